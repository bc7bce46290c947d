import { randomUUID } from "node:crypto";
import {
  clientApplicationDecider,
  clientApplicationStreamName,
  type ClientApplicationCommand,
  type EventMetadata,
} from "@clientapps/domain";
import { handleCommand, type EventStore } from "@clientapps/event-store";
import { credentialScheduleCollection, type ScheduledCredentialTask } from "@clientapps/client-read-models";
import type { ReadModelStore, Stored } from "@clientapps/read-models";
import { sleep, type Logger } from "@clientapps/runtime";

export type CredentialScheduler = Readonly<{
  /** Carries out every task due by now; returns how many events it appended. */
  tick: () => Promise<number>;
  stop: () => Promise<void>;
}>;

type Dependencies = Readonly<{ eventStore: EventStore; readModels: ReadModelStore; clock: () => Date; logger: Logger }>;

const batchSize = 100;

/** The scheduler acts on its own: it is the actor, and the task it carries out ties its events together. */
const systemMetadata = (workspaceId: string, taskId: string, now: Date): EventMetadata => ({
  occurredAt: now.toISOString(),
  actor: { type: "system", id: "credential-scheduler" },
  workspaceId,
  requestId: randomUUID(),
  correlationId: taskId,
  causationId: null,
  sourceIp: null,
  userAgent: null,
});

const commandFor = (task: ScheduledCredentialTask, now: Date): ClientApplicationCommand => {
  const target = { workspaceId: task.workspaceId, clientId: task.clientId };
  return task.kind === "retireSecret"
    ? { type: "RetireSecret", data: { ...target, secretId: task.credentialId }, metadata: { now } }
    : { type: "ExpireApiKey", data: { ...target, keyId: task.credentialId }, metadata: { now } };
};

/**
 * Polls the schedule (a projection of the events, so it survives restarts) and
 * sends each due task to the decider. Several schedulers may run at once: the
 * stream's optimistic concurrency and the decider's "already retired → nothing"
 * rule mean a task done twice still appends its event once.
 */
export const startCredentialScheduler = async (
  deps: Dependencies,
  options: Readonly<{ intervalMs: number; autoStart?: boolean }>,
): Promise<CredentialScheduler> => {
  const logger = deps.logger.child({ component: "credentialScheduler" });
  const tasks = await deps.readModels.collection<ScheduledCredentialTask>(credentialScheduleCollection);

  const carryOut = async (task: Stored<ScheduledCredentialTask>, now: Date): Promise<number> => {
    const { document } = task;
    const handled = await handleCommand(
      deps.eventStore,
      clientApplicationDecider,
      clientApplicationStreamName(document.workspaceId, document.clientId),
      commandFor(document, now),
      {
        metadata: systemMetadata(document.workspaceId, task.id, now),
        newEventId: randomUUID,
      },
    );
    if (handled.kind === "rejected") {
      // Not due (another node's clock) or gone with its client: the schedule will catch up.
      logger.debug({ task: task.id, reason: handled.rejection.code }, "scheduled task not carried out");
      return 0;
    }
    return handled.events.length;
  };

  const tick = async (): Promise<number> => {
    const now = deps.clock();
    let appended = 0;
    // Every due task, page by page: a batch of stuck tasks must not keep later ones from their turn.
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const due = await tasks.find({
        where: { pending: true },
        // The bound is exclusive, and a task due at exactly now is due: its credential stopped working now.
        range: { field: "dueAt", to: new Date(now.getTime() + 1).toISOString() },
        orderBy: { field: "dueAt", direction: "asc" },
        limit: batchSize,
        cursor,
      });
      for (const task of due.items) {
        try {
          appended += await carryOut(task, now);
        } catch (error) {
          logger.warn({ err: error, task: task.id }, "scheduled task failed; it stays due");
        }
      }
      cursor = due.nextCursor;
    }
    if (appended > 0) logger.info({ appended }, "scheduled credential changes recorded");
    return appended;
  };

  const stopping = new AbortController();
  const loop = async () => {
    while (!stopping.signal.aborted) {
      try {
        await tick();
      } catch (error) {
        logger.warn({ err: error }, "schedule unavailable; retrying");
      }
      await sleep(options.intervalMs, stopping.signal);
    }
  };
  const running = options.autoStart === false ? Promise.resolve() : loop();
  return {
    tick,
    stop: async () => {
      stopping.abort();
      await running;
    },
  };
};
