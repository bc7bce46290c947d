import {
  clientApplicationStreamPrefix,
  evolve,
  type ClientApplicationEvent,
  type ClientApplicationEventType,
  clientApplicationEventTypes,
} from "@clientapps/domain";
import { toDomainEvent, type RecordedEvent } from "@clientapps/event-store";
import type { Projection } from "../projection.js";
import {
  clientApplicationViewId,
  clientApplicationsCollection,
  stateOf,
  viewOf,
  type ClientApplicationView,
} from "./clientApplicationView.js";

const known = new Set<string>(clientApplicationEventTypes);

export const clientApplicationsProjection: Projection = {
  name: "clientApplications",
  streamPrefix: clientApplicationStreamPrefix,
  open: async (store) => {
    const views = await store.collection<ClientApplicationView>(clientApplicationsCollection);
    return {
      clear: () => views.clear(),
      apply: async (recorded: RecordedEvent) => {
        // Events of types this build does not know are skipped, not fatal: a newer writer may add some.
        if (!known.has(recorded.type as ClientApplicationEventType)) return;
        const event = toDomainEvent<ClientApplicationEvent>(recorded);
        const id = clientApplicationViewId(event.data.workspaceId, event.data.clientId);
        const stored = await views.get(id);
        if (stored && stored.revision >= recorded.revision) return;

        const previous = stored?.document;
        let next: ClientApplicationView;
        if (event.type === "ClientDeleted") {
          if (!previous) return;
          // The tombstone keeps no credential hash of any kind.
          next = {
            ...previous,
            secrets: [],
            apiKeys: [],
            registration: null,
            deleted: true,
            deletedOn: event.data.deletedOn,
            updatedOn: event.data.deletedOn,
          };
        } else {
          const state = evolve(stateOf(previous), event);
          if (state.status !== "registered") return;
          next = viewOf(state.client);
        }
        await views.upsert(id, recorded.revision, next);
      },
    };
  },
};
