import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { watchTimers } from "@clientapps/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConcurrencyError, EventStoreError, EventStoreUnavailableError } from "../errors.js";
import type { EventStore, NewEvent } from "../eventStore.js";
import { rejectionOf, within } from "../testing/contractTest.js";
import { describeEventStoreContract } from "../testing/index.js";
import { openSqliteDatabase } from "@clientapps/sqlite";
import { eventQueries } from "./eventQueries.js";
import { catchUpTurnMs } from "./pollingSubscription.js";
import { createSqliteEventStore, type GroupCommit, type SqliteEventStoreOptions } from "./sqliteEventStore.js";
import { streamPrefixRange } from "./streamPrefixRange.js";

const anEvent = (type = "Happened"): NewEvent => ({ eventId: randomUUID(), type, data: { type }, metadata: {} });

describeEventStoreContract("SQLite event store", async () => {
  const directory = await mkdtemp(join(tmpdir(), "event-store-"));
  const db = openSqliteDatabase(join(directory, "events.db"));
  // Polling so rarely that a subscription which misses an in-process append, or a close, fails the contract.
  const store = createSqliteEventStore(db, { pollIntervalMs: 60_000 });
  return {
    store,
    dispose: async () => {
      await store.close();
      db.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describe("SQLite event store", () => {
  let directory: string;
  let file: string;
  const opened: { db: Database.Database; store: EventStore }[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "event-store-"));
    file = join(directory, "events.db");
  });

  afterEach(async () => {
    for (const { db, store } of opened.splice(0)) {
      await store.close();
      db.close();
    }
    await rm(directory, { recursive: true, force: true });
  });

  /** A store on its own connection to the file, as another process would have. */
  const connect = (options?: SqliteEventStoreOptions) => {
    const db = openSqliteDatabase(file);
    const store = createSqliteEventStore(db, options);
    opened.push({ db, store });
    return { db, store };
  };

  it("keeps the events when the file is closed and opened again", async () => {
    const first = connect();
    const event = anEvent();
    const { position } = await first.store.appendToStream("order-1", [event], { expectedRevision: "no_stream" });
    await first.store.close();
    first.db.close();

    const { store } = connect();
    expect(await store.readStream("order-1")).toMatchObject([{ ...event, revision: 0, position }]);
    expect(await store.headPosition()).toBe(position);
  });

  it("delivers to a subscription the appends another connection makes", async () => {
    const writer = connect();
    const reader = connect({ pollIntervalMs: 20 });
    await writer.store.appendToStream("order-1", [anEvent()], { expectedRevision: "no_stream" });
    const events = reader.store.subscribeToAll()[Symbol.asyncIterator]();
    expect((await within(events.next(), "the existing event")).value).toMatchObject({ streamName: "order-1", revision: 0 });

    const pending = events.next();
    await writer.store.appendToStream("order-1", [anEvent()], { expectedRevision: 0 });

    expect((await within(pending, "the event appended elsewhere")).value).toMatchObject({ streamName: "order-1", revision: 1 });
  });

  /** The next `count` events of a subscription's iterator, as "stream#revision". */
  const nextEvents = async (events: AsyncIterator<{ streamName: string; revision: number }>, count: number, what: string) => {
    const seen: string[] = [];
    while (seen.length < count) {
      const next = await within(events.next(), what);
      if (next.done) break;
      seen.push(`${next.value.streamName}#${next.value.revision}`);
    }
    return seen;
  };

  // The subscriptions of one store share the newest events it read or appended (its window).
  it("delivers its own appends and another connection's, interleaved, in order and once each, to subscriptions that share them", async () => {
    const writer = connect();
    const { store } = connect({ pollIntervalMs: 20 });
    const all = store.subscribeToAll()[Symbol.asyncIterator]();
    const orders = store.subscribeToAll({ streamPrefix: "order-" })[Symbol.asyncIterator]();
    await store.appendToStream("order-1", [anEvent(), anEvent()], { expectedRevision: "no_stream" });
    expect(await nextEvents(all, 2, "the first appends")).toEqual(["order-1#0", "order-1#1"]);
    await writer.store.appendToStream("order-2", [anEvent()], { expectedRevision: "no_stream" });
    await store.appendToStream("invoice-1", [anEvent()], { expectedRevision: "no_stream" });
    await writer.store.appendToStream("order-2", [anEvent()], { expectedRevision: 0 });
    await store.appendToStream("order-1", [anEvent()], { expectedRevision: 1 });

    expect(await nextEvents(all, 4, "the interleaved appends")).toEqual(["order-2#0", "invoice-1#0", "order-2#1", "order-1#2"]);
    expect(await nextEvents(orders, 5, "the orders")).toEqual(["order-1#0", "order-1#1", "order-2#0", "order-2#1", "order-1#2"]);
    expect((await store.readAll({ maxCount: 100 })).map((event) => `${event.streamName}#${event.revision}`)).toEqual([
      "order-1#0",
      "order-1#1",
      "order-2#0",
      "invoice-1#0",
      "order-2#1",
      "order-1#2",
    ]);
  });

  it("delivers, to subscriptions resuming from positions as after a restart, every later event in order once", async () => {
    const { store } = connect();
    for (let index = 0; index < 6; index += 1) await store.appendToStream(`order-${index}`, [anEvent()], { expectedRevision: "no_stream" });
    const [, second, , fourth] = await store.readAll({ maxCount: 10 });
    const fromFourth = store.subscribeToAll({ after: fourth?.position })[Symbol.asyncIterator]();
    expect(await nextEvents(fromFourth, 2, "the events after the fourth")).toEqual(["order-4#0", "order-5#0"]);
    const fromSecond = store.subscribeToAll({ after: second?.position, streamPrefix: "order-" })[Symbol.asyncIterator]();
    expect(await nextEvents(fromSecond, 4, "the events after the second")).toEqual(["order-2#0", "order-3#0", "order-4#0", "order-5#0"]);
    await store.appendToStream("order-6", [anEvent()], { expectedRevision: "no_stream" });
    expect(await nextEvents(fromFourth, 1, "the next event")).toEqual(["order-6#0"]);
    expect(await nextEvents(fromSecond, 1, "the next event")).toEqual(["order-6#0"]);
  });

  it("finds a prefix's few events behind many of other streams, and subscribers far behind the shared window get every event", async () => {
    const { store } = connect();
    // More events than the window keeps (8,192), in groups of appends committed together.
    for (let group = 0; group < 10; group += 1) {
      await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          store.appendToStream(
            `other-${group}-${index}`,
            Array.from({ length: 100 }, () => anEvent()),
            { expectedRevision: "no_stream" },
          ),
        ),
      );
    }
    await store.appendToStream("order-1", [anEvent()], { expectedRevision: "no_stream" });
    const leader = store.subscribeToAll()[Symbol.asyncIterator]();
    expect(await nextEvents(leader, 10_001, "the whole log")).toHaveLength(10_001);

    const orders = store.subscribeToAll({ streamPrefix: "order-" })[Symbol.asyncIterator]();
    expect(await nextEvents(orders, 1, "the one order")).toEqual(["order-1#0"]);
    const trailing = store.subscribeToAll()[Symbol.asyncIterator]();
    const fromStart = await nextEvents(trailing, 10_001, "the whole log again");
    expect(new Set(fromStart).size).toBe(10_001);
    expect(fromStart.at(-1)).toBe("order-1#0");

    await store.appendToStream("order-1", [anEvent()], { expectedRevision: 0 });
    expect(await nextEvents(orders, 1, "the next order")).toEqual(["order-1#1"]);
    expect(await nextEvents(trailing, 1, "the next event")).toEqual(["order-1#1"]);
  }, 60_000);

  it("detects a conflict between appends of two connections", async () => {
    const first = connect();
    const second = connect();
    await first.store.appendToStream("order-1", [anEvent()], { expectedRevision: "no_stream" });
    await second.store.appendToStream("order-1", [anEvent()], { expectedRevision: 0 });

    const error = await rejectionOf(first.store.appendToStream("order-1", [anEvent()], { expectedRevision: 0 }));

    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ streamName: "order-1", expected: 0, actual: 1 });
  });

  it("turns a revision another writer took first into a ConcurrencyError, writing nothing", async () => {
    const { db, store } = connect();
    await store.appendToStream("order-1", [anEvent()], { expectedRevision: "no_stream" });
    // Stands for a writer that slips revision 1 in between reading the revision and inserting.
    db.exec(`
      CREATE TEMP TRIGGER slip_in BEFORE INSERT ON events WHEN NEW.event_id <> 'slipped-in' BEGIN
        INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
        VALUES (NEW.stream_name, NEW.revision, 'slipped-in', 'SlippedIn', '{}', '{}', NEW.recorded_at);
      END`);

    const error = await rejectionOf(store.appendToStream("order-1", [anEvent(), anEvent()], { expectedRevision: 0 }));

    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ streamName: "order-1", expected: 0 });
    expect(await store.readStream("order-1")).toHaveLength(1);
  });

  it("refuses an event id that is already recorded, writing none of the append", async () => {
    const { store } = connect();
    const event = anEvent();
    await store.appendToStream("order-1", [event], { expectedRevision: "no_stream" });

    const error = await rejectionOf(store.appendToStream("order-2", [anEvent(), event], { expectedRevision: "any" }));

    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).toMatchObject({ code: "duplicate_event_id" });
    expect(await store.readStream("order-2")).toEqual([]);
  });

  it("reports a write lock another connection holds too long as unavailable", async () => {
    const { db, store } = connect();
    const other = connect();
    db.pragma("busy_timeout = 10");
    other.db.exec("BEGIN IMMEDIATE");

    const error = await rejectionOf(store.appendToStream("order-1", [anEvent()], { expectedRevision: "any" }));
    other.db.exec("ROLLBACK");

    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as Error).cause).toMatchObject({ code: "SQLITE_BUSY" });
    await store.appendToStream("order-1", [anEvent()], { expectedRevision: "no_stream" });
  });

  it("reports a database handle closed under it as unavailable", async () => {
    const { db, store } = connect();
    db.close();

    await expect(store.readStream("order-1")).rejects.toThrow(EventStoreUnavailableError);
    await expect(store.appendToStream("order-1", [anEvent()], { expectedRevision: "any" })).rejects.toThrow(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toThrow(EventStoreUnavailableError);
  });

  it("ends its subscriptions and refuses further calls when closed, leaving the handle open", async () => {
    const { db, store } = connect();
    await store.appendToStream("order-1", [anEvent()], { expectedRevision: "no_stream" });
    const events = store.subscribeToAll()[Symbol.asyncIterator]();
    await within(events.next(), "the existing event");
    const pending = events.next();

    await store.close();

    expect(await within(pending, "the subscription to end")).toMatchObject({ done: true });
    await expect(store.readStream("order-1")).rejects.toThrow(EventStoreUnavailableError);
    expect(() => store.subscribeToAll()).toThrow(EventStoreUnavailableError);
    expect(db.open).toBe(true);
  });

  it("leaves no timer running once its subscriptions are closed", async () => {
    const { store } = connect({ pollIntervalMs: 60_000 });
    const activeTimers = watchTimers();
    const timersBefore = activeTimers();
    const closed = store.subscribeToAll();
    const broken = store.subscribeToAll();
    const closedEvents = closed[Symbol.asyncIterator]();
    const pending = closedEvents.next();
    await store.appendToStream("order-1", [anEvent()], { expectedRevision: "no_stream" });
    await within(pending, "the appended event");
    const waiting = closedEvents.next();
    for await (const event of broken) {
      expect(event.streamName).toBe("order-1");
      break;
    }
    expect(activeTimers()).toBeGreaterThan(timersBefore);

    await closed.close();
    await within(waiting, "the subscription to end");

    expect(activeTimers()).toBe(timersBefore);
  });

  it("reads a subscription's page by seeking the position, never by the stream-name index and a sort", async () => {
    const { db, store } = connect();
    for (let i = 0; i < 200; i++) {
      await store.appendToStream(`${i % 3 === 0 ? "workspace" : "clientapp"}-${i}`, [anEvent()], { expectedRevision: "no_stream" });
    }
    // No ANALYZE, as in the service's files: without statistics the planner prefers the stream-name index.
    const plan = (sql: string, parameters: Record<string, unknown>) =>
      db
        .prepare<Record<string, unknown>, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(parameters)
        .map((row) => row.detail);
    const page = { after: 100n, limit: 256 };

    for (const detail of [
      plan(eventQueries.prefix, { ...page, ...streamPrefixRange("clientapp-") }),
      plan(eventQueries.openPrefix, { ...page, from: "clientapp-" }),
      plan(eventQueries.all, page),
    ]) {
      expect(detail).toEqual([expect.stringMatching(/^SEARCH events USING INTEGER PRIMARY KEY \(rowid>\?\)$/)]);
    }
  });

  it("commits appends that arrive together in one transaction, answering each on its own", async () => {
    const commits: GroupCommit[] = [];
    const { store } = connect({ onCommit: (commit) => commits.push(commit) });
    await store.appendToStream("order-0", [anEvent()], { expectedRevision: "no_stream" });
    commits.length = 0;
    const duplicate = anEvent();

    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, i) =>
        store.appendToStream(`order-${i + 1}`, [anEvent(), anEvent()], { expectedRevision: "no_stream" }),
      ),
      store.appendToStream("order-0", [anEvent()], { expectedRevision: "no_stream" }),
      store.appendToStream("order-21", [duplicate, duplicate], { expectedRevision: "any" }),
    ]);

    expect(commits).toEqual([{ appends: 22, failed: 2 }]);
    const appended = outcomes.slice(0, 20).map((outcome) => (outcome.status === "fulfilled" ? outcome.value : outcome.reason));
    expect(appended.map((result) => result.nextExpectedRevision)).toEqual(Array(20).fill(1));
    const positions = appended.map((result) => result.position);
    expect(positions).toEqual([...positions].sort());
    expect(outcomes[20]).toMatchObject({ status: "rejected", reason: expect.any(ConcurrencyError) });
    expect(outcomes[21]).toMatchObject({ status: "rejected", reason: { code: "duplicate_event_id" } });
    for (let i = 1; i <= 20; i++) expect(await store.readStream(`order-${i}`)).toHaveLength(2);
    expect(await store.readStream("order-0")).toHaveLength(1);
    expect(await store.readStream("order-21")).toEqual([]);
  });

  it("writes, before it closes, the appends it accepted", async () => {
    const { store } = connect();
    const pending = store.appendToStream("order-1", [anEvent()], { expectedRevision: "no_stream" });
    await store.close();

    expect(await pending).toMatchObject({ nextExpectedRevision: 0 });
    const reopened = connect();
    expect(await reopened.store.readStream("order-1")).toHaveLength(1);
  });

  it("gives the event loop a turn every slice while a subscription catches up", async () => {
    const { store } = connect();
    for (let i = 0; i < 4; i++) {
      await store.appendToStream(
        `order-${i}`,
        Array.from({ length: 300 }, () => anEvent()),
        { expectedRevision: "no_stream" },
      );
    }
    let delivered = 0;
    let deliveredWhenOtherWorkRan: number | undefined;
    setImmediate(() => (deliveredWhenOtherWorkRan = delivered));

    for await (const _event of store.subscribeToAll()) {
      delivered += 1;
      // A consumer slow enough that its page takes longer than a slice.
      const busyUntil = performance.now() + (catchUpTurnMs * 2) / 256;
      while (performance.now() < busyUntil);
      if (delivered === 1200) break;
    }

    expect(deliveredWhenOtherWorkRan).toBeDefined();
    expect(deliveredWhenOtherWorkRan).toBeLessThan(1200);
  });
});
