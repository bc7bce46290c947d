import { decodeEvent, Position, type DomainEvent, type EventStore, type EventSubscription } from "@clientapps/event-store";
import type { ReadModelStore } from "@clientapps/read-models";
import { backoffDelay, inSpan, sleep, traceparentOf, type Component, type Logger } from "@clientapps/runtime";
import type { Projection } from "./projection.js";

export type ProjectionRunner = Readonly<{
  name: string;
  /** The last position applied and checkpointed by this runner, if any. */
  position: () => Position | undefined;
  stop: () => Promise<void>;
}>;

export type ProjectionRunnerDependencies = Readonly<{
  eventStore: EventStore;
  readModels: ReadModelStore;
  logger: Logger;
  /** Told of every event skipped because its type is unknown to this build; `/metrics` counts them. */
  onUnknownEvent?: (projection: string, eventType: string) => void;
}>;

/**
 * Runs one projection: subscribes to the event log after its checkpoint, applies
 * each event, then records the position of the last one applied in that turn of the
 * event loop. A crash in between means the events are applied again on restart,
 * which the projection makes harmless.
 * Failures are retried with backoff from the last checkpoint, forever.
 */
export const startProjection = async <Event extends DomainEvent>(
  deps: ProjectionRunnerDependencies,
  projection: Projection<Event>,
): Promise<ProjectionRunner> => {
  const logger = deps.logger.child({ projection: projection.name });
  const handler = await projection.open(deps.readModels);
  const stopping = new AbortController();
  let subscription: EventSubscription | undefined;
  let position: Position | undefined;
  // Consecutive failures: an event applied since the last one starts the backoff over.
  let failures = 0;
  const unknownTypes = new Set<string>();

  const skipUnknown = (eventType: string): void => {
    deps.onUnknownEvent?.(projection.name, eventType);
    // Once per type and run: the counter has the numbers, the log only needs to say it happens.
    if (unknownTypes.has(eventType)) return;
    unknownTypes.add(eventType);
    logger.warn({ eventType }, "events of a type this build does not know are skipped");
  };

  // The checkpoint is recorded once per turn of the event loop, after the events applied in it
  // (a subscription's page, when catching up), rather than after each one.
  let unsaved: Position | undefined;
  let saving: Promise<void> | undefined;
  let saveError: Error | undefined;
  /** A read of the failure the deferred save may have recorded meanwhile (the compiler cannot see it change). */
  const failedSave = (): Error | undefined => saveError;

  const saveCheckpoints = async (): Promise<void> => {
    for (let next = unsaved; next !== undefined; next = unsaved) {
      unsaved = undefined;
      await deps.readModels.checkpoints.save(projection.name, next);
      position = next;
    }
  };

  const checkpointSoon = (applied: Position): void => {
    unsaved = applied;
    saving ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(saveCheckpoints)
      .catch((error: unknown) => {
        // Ends the subscription, so that the runner resumes from the last checkpoint it did record.
        saveError ??= error instanceof Error ? error : new Error("the checkpoint could not be recorded", { cause: error });
        void subscription?.close();
      })
      .finally(() => {
        saving = undefined;
      });
  };

  const runOnce = async (): Promise<void> => {
    const checkpoint = await deps.readModels.checkpoints.get(projection.name);
    position = checkpoint === undefined ? undefined : Position.parse(checkpoint);
    unsaved = undefined;
    saveError = undefined;
    subscription = deps.eventStore.subscribeToAll({ after: position, streamPrefix: projection.streamPrefix });
    if (stopping.signal.aborted) await subscription.close();
    for await (const recorded of subscription) {
      // A batch of one event, traced as a continuation of the request that wrote it.
      await inSpan(`projection ${projection.name}`, { kind: "consumer", parent: traceparentOf(recorded.metadata) }, async () => {
        const event = decodeEvent<Event>(recorded, projection.isEventType);
        if (event) await handler.apply(event, recorded);
        else skipUnknown(recorded.type);
      });
      checkpointSoon(recorded.position);
      failures = 0;
    }
    await saving;
    const failed = failedSave();
    if (failed) throw failed;
    await saveCheckpoints();
    if (!stopping.signal.aborted) throw new Error("the event subscription ended unexpectedly");
  };

  const loop = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      try {
        await runOnce();
      } catch (error) {
        failures += 1;
        const delay = backoffDelay(failures);
        logger.error({ err: error, retryInMs: delay }, "projection failed; resuming from its checkpoint");
        await subscription?.close();
        await sleep(delay, stopping.signal);
      }
    }
  };

  const running = loop();
  logger.info("projection started");
  return {
    name: projection.name,
    position: () => position,
    stop: async () => {
      stopping.abort();
      await subscription?.close();
      await running;
      logger.info("projection stopped");
    },
  };
};

/** Rebuilds a projection from zero: its read models are emptied and its checkpoint forgotten. */
export const resetProjection = async <Event extends DomainEvent>(
  readModels: ReadModelStore,
  projection: Projection<Event>,
): Promise<void> => {
  const handler = await projection.open(readModels);
  await handler.clear();
  await readModels.checkpoints.reset(projection.name);
};

/**
 * A projection as a component of a process: started by the service's composition,
 * on the dependencies it resolves at start, and stopped with the process.
 */
export const projectionComponent = <Event extends DomainEvent>(
  projection: Projection<Event>,
  dependencies: () => ProjectionRunnerDependencies,
): Component => ({ name: `projection ${projection.name}`, start: () => startProjection(dependencies(), projection) });
