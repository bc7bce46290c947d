import { commitWatcher } from "@clientapps/sqlite";
import type Database from "better-sqlite3";
import { ConcurrencyError, EventStoreError, EventStoreUnavailableError } from "../errors.js";
import type { AppendResult, EventStore, ExpectedRevision, RecordedEvent } from "../eventStore.js";
import { Position } from "../position.js";
import { eventQueries, schema, toRecordedEvent, type EventInsert, type EventRow } from "./eventQueries.js";
import { createEventWindow } from "./eventWindow.js";
import { createPollingSubscription, type SubscriptionHandle, type SubscriptionPage } from "./pollingSubscription.js";
import { unavailable, violatedUniqueColumns } from "./sqliteErrors.js";
import { streamPrefixRange } from "./streamPrefixRange.js";

/** What one group commit wrote: how many appends shared its transaction (and its fsync), and how many of them failed. */
export type GroupCommit = Readonly<{ appends: number; failed: number }>;

export type SqliteEventStoreOptions = Readonly<{
  /** How often the store looks whether another process appended, for its caught-up subscriptions. */
  pollIntervalMs?: number;
  /** Told of every committed transaction of appends, after it is durable and before the appenders hear of it. */
  onCommit?: (commit: GroupCommit) => void;
}>;

const defaultPollIntervalMs = 20;
const subscriptionBatchSize = 256;
/**
 * The newest events kept for the subscriptions to share (see `EventWindow`): room for the seven
 * subscriptions of one process to be some pages apart while they catch up on a long log.
 */
const windowCapacity = 8_192;

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

type PendingAppend = Readonly<{
  streamName: string;
  inserts: readonly Omit<EventInsert, "revision">[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}>;

type AppendOutcome = Readonly<{ result: AppendResult }> | Readonly<{ error: unknown }>;

/** Creates the table if missing and prepares every statement the store runs. */
const prepareStatements = (db: Database.Database) => {
  try {
    db.exec(schema);
    // Row ids and revisions come out as bigint, so that no integer is ever rounded on its way out.
    const select = (sql: string) => db.prepare<Record<string, unknown>, EventRow>(sql).safeIntegers(true);
    return {
      revision: db
        .prepare<[string], { revision: bigint | null }>("SELECT max(revision) AS revision FROM events WHERE stream_name = ?")
        .safeIntegers(true),
      head: db.prepare<[], { position: bigint | null }>("SELECT max(position) AS position FROM events").safeIntegers(true),
      // Changes when another connection (another process) commits to the file; this
      // connection's own commits are counted by the store itself.
      dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
      insert: db
        .prepare<[EventInsert], never>(
          `INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
           VALUES (@streamName, @revision, @eventId, @type, @data, @metadata, @recordedAt)`,
        )
        .safeIntegers(true),
      stream: select(eventQueries.stream),
      all: select(eventQueries.all),
      prefix: select(eventQueries.prefix),
      openPrefix: select(eventQueries.openPrefix),
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
 * after a position can never miss an event committed later with a lower one. Appends that
 * arrive together share one transaction (group commit, see `flush`), each in its own
 * savepoint, so one append's conflict fails that append alone.
 * An append of no events is refused with a RangeError, as it would have no revision or
 * position to report.
 */
export const createSqliteEventStore = (db: Database.Database, options: SqliteEventStoreOptions = {}): EventStore => {
  const pollIntervalMs = options.pollIntervalMs ?? defaultPollIntervalMs;
  if (!(pollIntervalMs > 0)) throw new RangeError("pollIntervalMs must be positive.");

  const statements = prepareStatements(db);

  const subscriptions = new Set<SubscriptionHandle>();
  let closed = false;
  /** Transactions of appends this store committed; with the file's data version, the change token. */
  let commits = 0;

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

  /** One look per poll interval at whether another process committed, for all the subscriptions. */
  const othersCommits = guard("to watch the file", () => commitWatcher(db, pollIntervalMs));

  const currentRevision = (streamName: string): number | undefined => {
    const revision = statements.revision.get(streamName)?.revision;
    return revision === null || revision === undefined ? undefined : Number(revision);
  };

  // Nested in the group commit's transaction, this runs in a savepoint: a failed append
  // (a stale revision, a repeated event id) is undone alone, and the others still commit.
  const appendOne = db.transaction(
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

  const commitGroup = db.transaction((group: readonly PendingAppend[]): AppendOutcome[] =>
    group.map((pending) => {
      try {
        return { result: appendOne(pending.streamName, pending.inserts, pending.expected) };
      } catch (error) {
        // SQLite rolls the whole transaction back on some errors (a full disk, an I/O error):
        // the appends before this one are gone too, so none of the group may be acknowledged.
        if (!db.inTransaction) throw error;
        return { error };
      }
    }),
  );

  let queued: PendingAppend[] = [];
  let flushing: NodeJS.Immediate | undefined;

  /**
   * Group commit: every append queued since the last flush is written in one IMMEDIATE
   * transaction, so they share its one fsync, and each appender hears of its append only
   * once that transaction is committed, and so on disk. Appends queued in one turn of the
   * event loop (requests that arrived together) are flushed at the end of that turn.
   */
  const flush = (): void => {
    clearImmediate(flushing);
    flushing = undefined;
    const group = queued;
    queued = [];
    if (group.length === 0) return;
    let outcomes: AppendOutcome[];
    let dataVersionBefore: number;
    try {
      dataVersionBefore = statements.dataVersion.get() ?? 0;
      outcomes = commitGroup.immediate(group);
    } catch (error) {
      for (const pending of group) pending.reject(unavailable(error, `to append to '${pending.streamName}'`));
      return;
    }
    commits += 1;
    keepCommitted(group, outcomes, dataVersionBefore);
    const failed = outcomes.filter((outcome) => "error" in outcome).length;
    options.onCommit?.({ appends: group.length, failed });
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome && "result" in outcome) pending.resolve(outcome.result);
      else pending.reject(appendError(outcome?.error, pending.streamName, pending.expected));
    });
    if (failed < group.length) for (const subscription of subscriptions) subscription.wake();
  };

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

  const window = createEventWindow(windowCapacity);
  /**
   * The change token at which the window last held the end of the log: while the token stays the
   * same, nothing was committed since, by this process or another, and a caught-up subscription
   * needs no read of the file.
   */
  let windowCompleteAt: string | undefined;
  const tokenOf = (dataVersion: number, commitCount: number): string => `${dataVersion}:${commitCount}`;
  const changeToken = (): string => tokenOf(statements.dataVersion.get() ?? 0, commits);
  const positionOf = (commit: bigint): Position | undefined => (commit < 0n ? undefined : Position.of(commit));

  /**
   * A subscription's next page: from the window while it is inside it, the window extended by one
   * unfiltered page of the log when it runs out, and read directly (as `readAll` does) when the
   * subscription is further behind than the window reaches.
   */
  const readForSubscription = (after: Position | undefined, streamPrefix: string | undefined): SubscriptionPage => {
    const from = after === undefined ? -1n : Position.commit(after);
    const range = streamPrefix === undefined || streamPrefix === "" ? undefined : streamPrefixRange(streamPrefix);
    const matches = (streamName: string): boolean =>
      range === undefined || (streamName >= range.from && (range.to === undefined || streamName < range.to));
    // A subscription resuming from its checkpoint (after a restart, all of them) starts past an
    // empty or older window: the window moves up to it, and the ones behind join it as they catch up.
    if (from > window.end()) {
      window.restartAt(from);
      windowCompleteAt = undefined;
    }
    const served = window.read(from, subscriptionBatchSize, matches);
    if (served === undefined) {
      const events = readAfter(after, subscriptionBatchSize, streamPrefix);
      return { events, through: events.at(-1)?.position ?? after };
    }
    if (served.events.length === subscriptionBatchSize) return { events: served.events, through: positionOf(served.through) };
    const token = changeToken();
    if (token === windowCompleteAt) return { events: served.events, through: positionOf(served.through) };
    // Read from the window's end, unfiltered, so that the window stays whole for every prefix.
    const rows = statements.all.all({ after: window.end(), limit: subscriptionBatchSize });
    // The token was read before the rows: a commit after it changes the token and is looked for next time.
    if (rows.length < subscriptionBatchSize) windowCompleteAt = token;
    if (rows.length === 0) return { events: served.events, through: positionOf(served.through) };
    window.extend(
      rows.map(toRecordedEvent),
      rows.map((row) => row.position),
    );
    const more = window.read(served.through, subscriptionBatchSize - served.events.length, matches);
    if (more === undefined) return { events: served.events, through: positionOf(served.through) };
    return { events: [...served.events, ...more.events], through: positionOf(more.through) };
  };

  /**
   * Puts a group this store just committed into the window, when the window held the end of the
   * log before it and no other process has committed since (which the file's data version tells):
   * the group's events are then the next ones of the log, and no subscription reads them again.
   */
  const keepCommitted = (group: readonly PendingAppend[], outcomes: readonly AppendOutcome[], dataVersionBefore: number): void => {
    if (windowCompleteAt !== tokenOf(dataVersionBefore, commits - 1)) return;
    const events: RecordedEvent[] = [];
    const positions: bigint[] = [];
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (!outcome || !("result" in outcome)) return;
      const last = Position.commit(outcome.result.position);
      const firstRevision = outcome.result.nextExpectedRevision - pending.inserts.length + 1;
      pending.inserts.forEach((insert, offset) => {
        const position = last - BigInt(pending.inserts.length - 1 - offset);
        positions.push(position);
        events.push(
          toRecordedEvent({
            position,
            stream_name: insert.streamName,
            revision: BigInt(firstRevision + offset),
            event_id: insert.eventId,
            type: insert.type,
            data: insert.data,
            metadata: insert.metadata,
            recorded_at: insert.recordedAt,
          }),
        );
      });
    });
    const contiguous = positions.every((position, index) => position === window.end() + BigInt(index + 1));
    if (!contiguous) return;
    window.extend(events, positions);
    // The data version from before the commit: had another process committed since, reading it now
    // would vouch for events the window does not hold; the next read then looks in the file.
    windowCompleteAt = tokenOf(dataVersionBefore, commits);
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
      return new Promise<AppendResult>((resolve, reject) => {
        queued.push({ streamName, inserts, expected: expectedRevision, resolve, reject });
        flushing ??= setImmediate(flush);
      });
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
        readBatch: (from) => guard("to read for a subscription", () => readForSubscription(from, streamPrefix)),
        register: (handle) => {
          subscriptions.add(handle);
          const unlisten = othersCommits.listen(handle.wake);
          return () => {
            subscriptions.delete(handle);
            unlisten();
          };
        },
      });
    },

    headPosition: async () =>
      guard("to read the head position", () => {
        const position = statements.head.get()?.position;
        return position === null || position === undefined ? undefined : Position.of(position);
      }),

    changeToken: () => guard("to read the data version", changeToken),

    close: async () => {
      // What was accepted before the close is still written, and answered.
      flush();
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
    },
  };
};
