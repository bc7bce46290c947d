import type { JsonObject } from "@clientapps/primitives";
import type { Position } from "./position.js";

export type { JsonObject, JsonValue } from "@clientapps/primitives";

export type NewEvent = Readonly<{
  eventId: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}>;

export type RecordedEvent = NewEvent &
  Readonly<{
    streamName: string;
    /** Revision of the event in its stream; the first event of a stream has revision 0. */
    revision: number;
    position: Position;
    /** When the store recorded the event (ISO 8601). */
    recordedAt: string;
  }>;

/**
 * What the appender believes about the stream: its last revision, that it does
 * not exist yet (`no_stream`), that it exists (`stream_exists`), or nothing (`any`).
 */
export type ExpectedRevision = number | "no_stream" | "stream_exists" | "any";

export type AppendResult = Readonly<{
  /** Revision of the last event appended: the stream's revision now. */
  nextExpectedRevision: number;
  /** Position of the last event appended. */
  position: Position;
}>;

export type ReadStreamOptions = Readonly<{ fromRevision?: number; maxCount?: number }>;

export type ReadAllOptions = Readonly<{
  /** Events strictly after this position; from the very start when absent. */
  after?: Position | undefined;
  maxCount: number;
  /** Only events of streams whose name starts with this prefix. */
  streamPrefix?: string | undefined;
}>;

export type SubscribeToAllOptions = Omit<ReadAllOptions, "maxCount">;

/** Delivers every matching event in position order, then waits for new ones until closed. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/**
 * The event-store port. Every adapter honours, and the contract suite checks:
 * revisions start at 0; an append with a stale expectation fails with
 * {@link ConcurrencyError} and writes nothing; an append of several events is
 * all-or-nothing; positions are totally ordered and strictly increase in commit order;
 * subscriptions deliver in order and resume strictly after a given position.
 */
export interface EventStore {
  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: Readonly<{ expectedRevision: ExpectedRevision }>,
  ): Promise<AppendResult>;
  /** The stream's events in revision order; empty when the stream does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<readonly RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): EventSubscription;
  /** Position of the last event in the store, if any. */
  headPosition(): Promise<Position | undefined>;
  /**
   * A value that changes whenever an event may have been appended to the store, by this
   * process or by any other: two equal values mean no append committed between them, so
   * what was read at the first is still exact at the second. A store that cannot tell
   * without a round trip (a server) leaves it out, and its readers read.
   */
  changeToken?(): string;
  close(): Promise<void>;
}
