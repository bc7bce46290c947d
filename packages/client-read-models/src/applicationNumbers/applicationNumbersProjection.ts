import { clientApplicationStreamPrefix, isClientApplicationEventType, type ClientApplicationEvent } from "@clientapps/domain";
import type { Projection } from "@clientapps/projections";
import type { CollectionDefinition } from "@clientapps/read-models";

/**
 * Integer ids for client applications, for APIs whose clients expect one (AWX's
 * `/api/v2/applications/{id}/`). Each workspace numbers its clients 1, 2, 3, … in the
 * order of their registration in the event log, so a rebuild gives every client the
 * number it had; a deleted client keeps its number, which is never given again.
 */
export type ApplicationNumberView = Readonly<{ workspaceId: string; clientId: string; number: number }>;

export const applicationNumbersCollection: CollectionDefinition = {
  name: "applicationNumbers",
  indexes: [{ fields: ["workspaceId", "number"] }],
};

/** Each workspace's last number given; its revision is that number, so an older write never lowers it. */
export const applicationNumberCountersCollection: CollectionDefinition = { name: "applicationNumberCounters", indexes: [] };

export const applicationNumbersCheckpoint = "applicationNumbers";

export const applicationNumberViewId = (workspaceId: string, clientId: string): string => `${workspaceId}:${clientId}`;

export const applicationNumbersProjection: Projection<ClientApplicationEvent> = {
  name: applicationNumbersCheckpoint,
  streamPrefix: clientApplicationStreamPrefix,
  isEventType: isClientApplicationEventType,
  open: async (store) => {
    const numbers = await store.collection<ApplicationNumberView>(applicationNumbersCollection);
    const counters = await store.collection<{ workspaceId: string; last: number }>(applicationNumberCountersCollection);
    const counted = (workspaceId: string, last: number) => counters.upsert(workspaceId, last, { workspaceId, last });
    return {
      clear: async () => {
        await numbers.clear();
        await counters.clear();
      },
      apply: async (event) => {
        if (event.type !== "ClientRegistered") return;
        const { workspaceId, clientId } = event.data;
        const id = applicationNumberViewId(workspaceId, clientId);
        const stored = await numbers.get(id);
        // Applied before: the counter may have missed it if the process stopped in between.
        if (stored) return void (await counted(workspaceId, stored.document.number));
        const number = ((await counters.get(workspaceId))?.document.last ?? 0) + 1;
        await numbers.upsert(id, 0, { workspaceId, clientId, number });
        await counted(workspaceId, number);
      },
    };
  },
};
