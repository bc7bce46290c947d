import type Database from "better-sqlite3";
import { ConcurrencyError, EventStoreError, EventStoreUnavailableError } from "../errors.js";
import type { AppendResult, EventStore, ExpectedRevision, JsonObject, RecordedEvent } from "../eventStore.js";
import { Position } from "../position.js";
import { createPollingSubscription, type SubscriptionHandle } from "./pollingSubscription.js";
import { unavailable, violatedUniqueColumns } from "./sqliteErrors.js";
import { streamPrefixRange } from "./streamPrefixRange.js";

export type SqliteEventStoreOptions = Readonly<{
  /** How long a caught-up subscription waits before looking for appends of other processes. */
  pollIntervalMs?: number;
}>;

const defaultPollIntervalMs = 200;
const subscriptionBatchSize = 256;

// The index of UNIQUE (stream_name, revision) serves reading a stream and reading a range
// of stream names (a prefix), so no other index is needed.
const schema = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_name TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision >= 0),
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data)),
    metadata TEXT NOT NULL CHECK (json_valid(metadata)),
    recorded_at TEXT NOT NULL,
    UNIQUE (stream_name, revision)
  ) STRICT`;

const columns = "position, stream_name, revision, event_id, type, data, metadata, recorded_at";

type EventRow = Readonly<{
  position: bigint;
  stream_name: string;
  revision: bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}>;

type EventInsert = Readonly<{
  streamName: string;
  revision: number;
  eventId: string;
  type: string;
  data: string;
  metadata: string;
  recordedAt: string;
}>;

const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  type: row.type,
  data: JSON.parse(row.data) as JsonObject,
  metadata: JSON.parse(row.metadata) as JsonObject,
  streamName: row.stream_name,
  revision: Number(row.revision),
  position: Position.of(row.position),
  recordedAt: row.recorded_at,
});

const requireCount = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer.`);
  return value;
};

const meets = (expected: ExpectedRevision, actual: number | undefined): boolean => {
  switch (expected) {
    case "any":
      return true;
    case "no_stream":
      return actual === undefined;
    case "stream_exists":
      return actual !== undefined;
    default:
      return actual === expected;
  }
};

/** Creates the table if missing and prepares every statement the store runs. */
const prepareStatements = (db: Database.Database) => {
  try {
    db.exec(schema);
    // Row ids and revisions come out as bigint, so that no integer is ever rounded on its way out.
    const select = (where: string, order: string) =>
      db
        .prepare<Record<string, unknown>, EventRow>(`SELECT ${columns} FROM events WHERE ${where} ORDER BY ${order} LIMIT @limit`)
        .safeIntegers(true);
    return {
      revision: db
        .prepare<[string], { revision: bigint | null }>("SELECT max(revision) AS revision FROM events WHERE stream_name = ?")
        .safeIntegers(true),
      head: db.prepare<[], { position: bigint | null }>("SELECT max(position) AS position FROM events").safeIntegers(true),
      insert: db
        .prepare<[EventInsert], never>(
          `INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
           VALUES (@streamName, @revision, @eventId, @type, @data, @metadata, @recordedAt)`,
        )
        .safeIntegers(true),
      stream: select("stream_name = @streamName AND revision >= @fromRevision", "revision"),
      all: select("position > @after", "position"),
      prefix: select("position > @after AND stream_name >= @from AND stream_name < @to", "position"),
      openPrefix: select("position > @after AND stream_name >= @from", "position"),
    };
  } catch (error) {
    throw unavailable(error, "to create its schema");
  }
};

/**
 * An event store in one SQLite table. The caller owns the database handle: `close()` ends
 * the store's subscriptions and refuses further calls, but leaves the handle open.
 * Appends run in IMMEDIATE transactions, which take the file's write lock before reading
 * the stream's revision, so appends of all processes sharing the file are serialised and
 * positions (the autoincrement row ids) increase in commit order: a reader that resumes
 * after a position can never miss an event committed later with a lower one.
 * An append of no events is refused with a RangeError, as it would have no revision or
 * position to report.
 */
export const createSqliteEventStore = (db: Database.Database, options: SqliteEventStoreOptions = {}): EventStore => {
  const pollIntervalMs = options.pollIntervalMs ?? defaultPollIntervalMs;
  if (!(pollIntervalMs > 0)) throw new RangeError("pollIntervalMs must be positive.");

  const statements = prepareStatements(db);

  const subscriptions = new Set<SubscriptionHandle>();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new EventStoreUnavailableError("The event store is closed.");
  };

  /** Runs a synchronous piece of driver work, letting only the port's errors out. */
  const guard = <T>(doing: string, work: () => T): T => {
    assertOpen();
    try {
      return work();
    } catch (error) {
      if (error instanceof EventStoreError) throw error;
      throw unavailable(error, doing);
    }
  };

  const currentRevision = (streamName: string): number | undefined => {
    const revision = statements.revision.get(streamName)?.revision;
    return revision === null || revision === undefined ? undefined : Number(revision);
  };

  const append = db.transaction(
    (streamName: string, events: readonly Omit<EventInsert, "revision">[], expected: ExpectedRevision): AppendResult => {
      const actual = currentRevision(streamName);
      if (!meets(expected, actual)) throw new ConcurrencyError(streamName, expected, actual ?? "no_stream");
      let revision = actual ?? -1;
      let position = 0n;
      for (const event of events) {
        revision += 1;
        position = BigInt(statements.insert.run({ ...event, revision }).lastInsertRowid);
      }
      return { nextExpectedRevision: revision, position: Position.of(position) };
    },
  );

  /** An error of a failed append transaction, as the port's error. */
  const appendError = (error: unknown, streamName: string, expected: ExpectedRevision): Error => {
    if (error instanceof EventStoreError) return error;
    const violated = violatedUniqueColumns(error);
    // Unreachable while every writer takes the write lock before reading the revision, as
    // this store does; it still turns the race into a conflict should a writer not.
    if (violated.includes("events.revision")) {
      const actual = guard("to read the revision of a conflicting stream", () => currentRevision(streamName));
      return new ConcurrencyError(streamName, expected, actual ?? "no_stream");
    }
    if (violated.includes("events.event_id")) {
      return new EventStoreError(
        "duplicate_event_id",
        `An event appended to '${streamName}' has an id that is already recorded or repeated in the same append.`,
        { cause: error },
      );
    }
    return unavailable(error, `to append to '${streamName}'`);
  };

  const readAfter = (after: Position | undefined, maxCount: number, streamPrefix: string | undefined) => {
    const page = { after: after === undefined ? -1n : Position.commit(after), limit: maxCount };
    if (streamPrefix === undefined || streamPrefix === "") return statements.all.all(page).map(toRecordedEvent);
    const { from, to } = streamPrefixRange(streamPrefix);
    const rows = to === undefined ? statements.openPrefix.all({ ...page, from }) : statements.prefix.all({ ...page, from, to });
    return rows.map(toRecordedEvent);
  };

  return {
    appendToStream: async (streamName, events, { expectedRevision }) => {
      if (events.length === 0) throw new RangeError("An append needs at least one event.");
      if (typeof expectedRevision === "number") requireCount("expectedRevision", expectedRevision);
      assertOpen();
      const recordedAt = new Date().toISOString();
      // Serialised before the transaction, so that unserialisable data fails as the caller's error.
      const inserts = events.map((event) => ({
        streamName,
        eventId: event.eventId,
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        recordedAt,
      }));
      let result: AppendResult;
      try {
        result = append.immediate(streamName, inserts, expectedRevision);
      } catch (error) {
        throw appendError(error, streamName, expectedRevision);
      }
      for (const subscription of subscriptions) subscription.wake();
      return result;
    },

    readStream: async (streamName, { fromRevision = 0, maxCount } = {}) => {
      const limit = maxCount === undefined ? -1 : requireCount("maxCount", maxCount);
      const from = requireCount("fromRevision", fromRevision);
      return guard(`to read '${streamName}'`, () => statements.stream.all({ streamName, fromRevision: from, limit }).map(toRecordedEvent));
    },

    readAll: async ({ after, maxCount, streamPrefix }) => {
      requireCount("maxCount", maxCount);
      return guard("to read all events", () => readAfter(after, maxCount, streamPrefix));
    },

    subscribeToAll: ({ after, streamPrefix } = {}) => {
      assertOpen();
      return createPollingSubscription({
        after,
        pollIntervalMs,
        readBatch: (from) => guard("to read for a subscription", () => readAfter(from, subscriptionBatchSize, streamPrefix)),
        register: (handle) => {
          subscriptions.add(handle);
          return () => subscriptions.delete(handle);
        },
      });
    },

    headPosition: async () =>
      guard("to read the head position", () => {
        const position = statements.head.get()?.position;
        return position === null || position === undefined ? undefined : Position.of(position);
      }),

    close: async () => {
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
    },
  };
};
