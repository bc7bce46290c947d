import { clientApplicationStreamPrefix, isClientApplicationEventType, type ClientApplicationEvent } from "@clientapps/domain";
import type { Projection } from "@clientapps/projections";
import type { CollectionDefinition } from "@clientapps/read-models";

/**
 * Work the server owes at a known time: retiring a secret whose grace period
 * ends, recording an API key's expiry. Built from events, so it survives
 * restarts; the scheduler acts on it and the decider makes acting twice harmless.
 */
export type ScheduledCredentialTask = Readonly<{
  kind: "retireSecret" | "expireApiKey";
  workspaceId: string;
  clientId: string;
  credentialId: string;
  dueAt: string;
  pending: boolean;
}>;

export const credentialScheduleCollection: CollectionDefinition = {
  name: "credentialSchedule",
  indexes: [{ fields: ["pending", "dueAt"] }, { fields: ["workspaceId", "clientId", "pending"] }],
};

export const scheduledTaskId = (task: Pick<ScheduledCredentialTask, "workspaceId" | "clientId" | "kind" | "credentialId">): string =>
  `${task.workspaceId}:${task.clientId}:${task.kind}:${task.credentialId}`;

type Change = Omit<ScheduledCredentialTask, "workspaceId" | "clientId">;

const changesOf = (event: ClientApplicationEvent): readonly Change[] => {
  switch (event.type) {
    case "SecretRotated":
      // A grace period of 0 retires in the same decision: nothing is left to schedule.
      return event.data.supersededSecrets
        .filter((secret) => secret.expiresOn > event.data.rotatedOn)
        .map((secret) => ({ kind: "retireSecret", credentialId: secret.secretId, dueAt: secret.expiresOn, pending: true }));
    case "SecretRetired":
      return [{ kind: "retireSecret", credentialId: event.data.secretId, dueAt: event.data.retiredOn, pending: false }];
    case "ApiKeyIssued":
      return event.data.apiKey.expiresOn === null
        ? []
        : [{ kind: "expireApiKey", credentialId: event.data.apiKey.keyId, dueAt: event.data.apiKey.expiresOn, pending: true }];
    case "ApiKeyRevoked":
      return [{ kind: "expireApiKey", credentialId: event.data.keyId, dueAt: event.data.revokedOn, pending: false }];
    case "ApiKeyExpired":
      return [{ kind: "expireApiKey", credentialId: event.data.keyId, dueAt: event.data.expiredOn, pending: false }];
    default:
      return [];
  }
};

/** The checkpoint of the projection that builds this collection. */
export const credentialScheduleCheckpoint = "credentialSchedule";

export const credentialScheduleProjection: Projection<ClientApplicationEvent> = {
  name: credentialScheduleCheckpoint,
  streamPrefix: clientApplicationStreamPrefix,
  isEventType: isClientApplicationEventType,
  open: async (store) => {
    const tasks = await store.collection<ScheduledCredentialTask>(credentialScheduleCollection);
    return {
      clear: () => tasks.clear(),
      apply: async (event, recorded) => {
        const owner = { workspaceId: event.data.workspaceId, clientId: event.data.clientId };
        if (event.type === "ClientDeleted") {
          // A deleted client owes nothing more: its credentials stopped with it.
          for (let cursor: string | undefined, first = true; first || cursor; first = false) {
            const page = await tasks.find({
              where: { ...owner, pending: true },
              orderBy: { field: "dueAt", direction: "asc" },
              limit: 100,
              cursor,
            });
            for (const task of page.items) await tasks.upsert(task.id, recorded.revision, { ...task.document, pending: false });
            cursor = page.nextCursor;
          }
          return;
        }
        for (const change of changesOf(event)) {
          const task = { ...owner, ...change };
          await tasks.upsert(scheduledTaskId(task), recorded.revision, task);
        }
      },
    };
  },
};
