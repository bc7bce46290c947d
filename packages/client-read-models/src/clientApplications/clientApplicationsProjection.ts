import { clientApplicationStreamPrefix, evolve, isClientApplicationEventType, type ClientApplicationEvent } from "@clientapps/domain";
import type { Projection } from "@clientapps/projections";
import {
  clientApplicationsCheckpoint,
  clientApplicationViewId,
  clientApplicationsCollection,
  stateOf,
  viewOf,
  type ClientApplicationView,
} from "./clientApplicationView.js";

export const clientApplicationsProjection: Projection<ClientApplicationEvent> = {
  name: clientApplicationsCheckpoint,
  streamPrefix: clientApplicationStreamPrefix,
  isEventType: isClientApplicationEventType,
  open: async (store) => {
    const views = await store.collection<ClientApplicationView>(clientApplicationsCollection);
    return {
      clear: () => views.clear(),
      apply: async (event, recorded) => {
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
