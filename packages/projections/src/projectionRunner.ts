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
 * each event, then records the event's position. A crash between the two means
 * the event is applied again on restart, which the projection makes harmless.
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

  const runOnce = async (): Promise<void> => {
    const checkpoint = await deps.readModels.checkpoints.get(projection.name);
    position = checkpoint === undefined ? undefined : Position.parse(checkpoint);
    subscription = deps.eventStore.subscribeToAll({ after: position, streamPrefix: projection.streamPrefix });
    if (stopping.signal.aborted) await subscription.close();
    for await (const recorded of subscription) {
      // A batch of one event, traced as a continuation of the request that wrote it.
      await inSpan(`projection ${projection.name}`, { kind: "consumer", parent: traceparentOf(recorded.metadata) }, async () => {
        const event = decodeEvent<Event>(recorded, projection.isEventType);
        if (event) await handler.apply(event, recorded);
        else skipUnknown(recorded.type);
        await deps.readModels.checkpoints.save(projection.name, recorded.position);
      });
      position = recorded.position;
      failures = 0;
    }
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
