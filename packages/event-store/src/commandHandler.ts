import { streamLimitReached, type Decider, type EventMetadata, type Rejection } from "@clientapps/domain";
import { decodeEvent, type DomainEvent } from "./decodeEvent.js";
import { ConcurrencyError, UnreadableStreamError } from "./errors.js";
import type { EventStore, ExpectedRevision, JsonObject, NewEvent, RecordedEvent } from "./eventStore.js";
import type { Position } from "./position.js";

export type HandleOptions = Readonly<{
  /**
   * The revision the caller last saw (from `If-Match`). When given, a stream at
   * another revision fails with {@link ConcurrencyError}; when absent, a conflict
   * with a concurrent writer is retried on fresh state.
   */
  expectedRevision?: number | undefined;
  /** Metadata recorded with every event this command appends. */
  metadata: EventMetadata;
  newEventId: () => string;
}>;

export type Handled<State, Event> =
  | Readonly<{
      kind: "accepted";
      state: State;
      /** The events this command appended; empty when it changed nothing. */
      events: readonly Event[];
      /** The stream's revision afterwards; undefined when the stream still does not exist. */
      revision: number | undefined;
      /** Position of the last appended event; undefined when nothing was appended. */
      position: Position | undefined;
    }>
  | Readonly<{ kind: "rejected"; rejection: Rejection; state: State; revision: number | undefined }>;

const maxAttempts = 5;

type Folding<Event, State> = Pick<Decider<unknown, Event, State>, "evolve" | "initialState" | "isEventType">;

/**
 * Folds recorded events of one stream into state. An event of a type the decider
 * does not know fails the fold: a decision on a state that misses a change could
 * grant what that change took away.
 */
export const foldStream = <Event extends DomainEvent, State>(recorded: readonly RecordedEvent[], decider: Folding<Event, State>): State =>
  recorded.reduce((state, event) => {
    const decoded = decodeEvent<Event>(event, decider.isEventType);
    if (!decoded) throw new UnreadableStreamError(event.streamName, event.type);
    return decider.evolve(state, decoded);
  }, decider.initialState());

/** Folds a stream into state and reports its revision (undefined for a stream that does not exist). */
export const aggregateStream = async <Event extends DomainEvent, State>(
  eventStore: EventStore,
  streamName: string,
  decider: Folding<Event, State>,
): Promise<Readonly<{ state: State; revision: number | undefined }>> => {
  const recorded = await eventStore.readStream(streamName);
  return { state: foldStream(recorded, decider), revision: recorded.at(-1)?.revision };
};

/**
 * Load the stream, decide, append with the revision the decision was made on.
 * The store's optimistic concurrency check makes the decision safe against
 * concurrent writers, including the very first append ("stream must not exist").
 */
export const handleCommand = async <Command, Event extends DomainEvent, State>(
  eventStore: EventStore,
  decider: Decider<Command, Event, State>,
  streamName: string,
  command: Command,
  options: HandleOptions &
    Readonly<{
      /** Loads the stream's state exactly for its current revision (a `StreamStateCache`'s `load`); a full fold when absent. */
      load?: ((streamName: string) => Promise<Readonly<{ state: State; revision: number | undefined }>>) | undefined;
    }>,
): Promise<Handled<State, Event>> => {
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = options.load ? await options.load(streamName) : await aggregateStream(eventStore, streamName, decider);
    if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
      throw new ConcurrencyError(streamName, options.expectedRevision, revision ?? "no_stream");
    }
    const decision = decider.decide(command, state);
    const limit = decider.streamLimit;
    if (
      limit &&
      decision.kind === "accepted" &&
      (revision ?? -1) + 1 + decision.events.length > limit.maxEvents &&
      !decision.events.every((event) => limit.closesDoors(event))
    ) {
      const detail =
        `This history holds ${limit.maxEvents} changes, the most it may: ` + "only revocations, deactivation and deletion are taken now.";
      return { kind: "rejected", rejection: { code: streamLimitReached, detail, violations: [] }, state, revision };
    }
    if (decision.kind === "rejected") return { kind: "rejected", rejection: decision.rejection, state, revision };
    if (decision.events.length === 0) return { kind: "accepted", state, events: [], revision, position: undefined };

    const expectedRevision: ExpectedRevision = revision ?? "no_stream";
    const newEvents: NewEvent[] = decision.events.map((event) => ({
      eventId: options.newEventId(),
      type: event.type,
      data: event.data as JsonObject,
      metadata: options.metadata,
    }));
    try {
      const appended = await eventStore.appendToStream(streamName, newEvents, { expectedRevision });
      return {
        kind: "accepted",
        state: decision.events.reduce(decider.evolve, state),
        events: decision.events,
        revision: appended.nextExpectedRevision,
        position: appended.position,
      };
    } catch (error) {
      const retry = error instanceof ConcurrencyError && options.expectedRevision === undefined && attempt < maxAttempts;
      if (!retry) throw error;
    }
  }
};
