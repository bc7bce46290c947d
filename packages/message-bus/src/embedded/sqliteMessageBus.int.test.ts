import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { watchTimers } from "@clientapps/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "@clientapps/sqlite";
import { MessageBusUnavailableError } from "../errors.js";
import type { DeliveredMessage, MessageBus, MessageHandler } from "../messageBus.js";
import { aMessage, eventually, range, seqOf, sortedIds } from "../testing/contractTest.js";
import { describeMessageBusContract } from "../testing/index.js";
import { createEmbeddedMessageBus, type EmbeddedMessageBusOptions } from "./index.js";
import { partitionOf, trimEveryCommits } from "./sqliteMessageLog.js";
import { publishFromThreads } from "./testing/publishFromThreads.js";

describeMessageBusContract("Embedded SQLite message bus", async () => {
  const directory = await mkdtemp(join(tmpdir(), "message-bus-"));
  const db = openSqliteDatabase(join(directory, "messages.db"));
  // Polling so rarely that a consumer which misses a publish of its own process, or a stop, fails the contract.
  const bus = createEmbeddedMessageBus(db, { pollIntervalMs: 60_000 });
  return {
    bus,
    dispose: async () => {
      await bus.close();
      db.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describe("Embedded SQLite message bus", () => {
  let directory: string;
  let file: string;
  const opened: { db: Database.Database; bus: MessageBus }[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "message-bus-"));
    file = join(directory, "messages.db");
  });

  afterEach(async () => {
    for (const { db, bus } of opened.splice(0)) {
      await bus.close();
      db.close();
    }
    await rm(directory, { recursive: true, force: true });
  });

  /** A bus on its own connection to the file, as another process would have. */
  const connect = (options?: EmbeddedMessageBusOptions) => {
    const db = openSqliteDatabase(file);
    const bus = createEmbeddedMessageBus(db, options);
    opened.push({ db, bus });
    return { db, bus };
  };

  const consume = async (bus: MessageBus, groupId: string, topic: string, handler: MessageHandler = async () => {}) => {
    const received: DeliveredMessage[] = [];
    const consumer = await bus.consume({ groupId, topics: [topic] }, async (message) => {
      received.push(message);
      await handler(message);
    });
    return { received, stop: () => consumer.stop() };
  };

  it("gives the event loop a turn while a consumer catches up on handlers that never wait", async () => {
    const { bus } = connect({ partitions: 1 });
    await bus.publish(
      "backlog",
      range(0, 400).map((seq) => aMessage("one-key", seq)),
    );
    let handled = 0;
    let handledWhenOtherWorkRan: number | undefined;
    const consumer = await bus.consume({ groupId: "g", topics: ["backlog"] }, async () => {
      handled += 1;
      // Busy for longer, over the backlog, than a consumer may hold the event loop.
      const busyUntil = performance.now() + 0.1;
      while (performance.now() < busyUntil);
    });
    setImmediate(() => (handledWhenOtherWorkRan = handled));
    try {
      await eventually(() => handled === 400, "the backlog to be handled");
      expect(handledWhenOtherWorkRan).toBeDefined();
      expect(handledWhenOtherWorkRan).toBeLessThan(400);
    } finally {
      await consumer.stop();
    }
  });

  it("keeps messages and committed offsets when the file is closed and opened again", async () => {
    const first = connect();
    await first.bus.publish(
      "orders",
      range(0, 3).map((seq) => aMessage("key-0", seq)),
    );
    const reader = await consume(first.bus, "group-1", "orders");
    await eventually(() => reader.received.length >= 3, "the first three messages");
    await reader.stop();
    await first.bus.publish(
      "orders",
      range(3, 5).map((seq) => aMessage("key-0", seq)),
    );
    await first.bus.close();
    first.db.close();

    const { bus } = connect();
    const resumed = await consume(bus, "group-1", "orders");
    const fresh = await consume(bus, "group-2", "orders");
    await eventually(() => resumed.received.length >= 2 && fresh.received.length >= 5, "the messages after reopening");

    expect(resumed.received.map(({ offset, value }) => ({ offset, value }))).toEqual([
      { offset: 3, value: { seq: 3 } },
      { offset: 4, value: { seq: 4 } },
    ]);
    expect(fresh.received.map(seqOf)).toEqual(range(0, 5));
  });

  it("trims what every consumer group has passed, keeping what the slowest one has not", async () => {
    const { db, bus } = connect({ partitions: 1 });
    const total = 2 * trimEveryCommits + 100;
    await bus.publish(
      "orders",
      range(0, total).map((seq) => aMessage("key-0", seq)),
    );
    // The slow group stops at offset 100: it fails there, and retries, until stopped.
    const slow = await consume(bus, "slow", "orders", async (message) => {
      if (message.offset >= 100) throw new Error("not yet");
    });
    await eventually(() => slow.received.some((message) => message.offset === 100), "the slow group to reach offset 100");
    const fast = await consume(bus, "fast", "orders");
    await eventually(() => fast.received.length >= total, "the fast group to consume everything");
    await slow.stop();
    await fast.stop();

    const kept = db.prepare<[], { first: number; count: number }>(`SELECT min("offset") AS first, count(*) AS count FROM messages`).get();
    expect(kept).toEqual({ first: 100, count: total - 100 });
    // Numbering goes on after a trim; a new group starts at the earliest message kept.
    await bus.publish("orders", [aMessage("key-0", total)]);
    const late = await consume(bus, "late", "orders");
    await eventually(() => late.received.length >= total - 99, "the late group to consume what is kept");
    expect(late.received[0]?.offset).toBe(100);
    expect(late.received.at(-1)).toMatchObject({ offset: total, value: { seq: total } });
    await late.stop();
  });

  it("delivers to a consumer on another connection what this one publishes, by polling", async () => {
    const writer = connect();
    const reader = connect({ pollIntervalMs: 20 });
    const member = await consume(reader.bus, "group", "orders");

    await writer.bus.publish("orders", [aMessage("key-0", 0, { source: "writer" })]);
    await eventually(() => member.received.length >= 1, "the message published elsewhere");

    expect(member.received).toMatchObject([{ topic: "orders", key: "key-0", value: { seq: 0 }, offset: 0, headers: { source: "writer" } }]);
  });

  it("gives publishers running in parallel on other connections every offset exactly once", async () => {
    const { bus } = connect();
    const member = await consume(bus, "group", "orders");
    const writers = range(0, 4);

    // One key, so that every writer appends to the same partition.
    const threads = join(directory, "threads");
    await publishFromThreads({ directory: threads, file, topic: "orders", key: "shared", writers: writers.length, count: 150 });
    await eventually(() => member.received.length >= 600, "600 messages");

    // Offsets increase by one per message, as the port says: no offset lost, none taken twice.
    expect(member.received.map((message) => message.offset)).toEqual(range(0, 600));
    for (const writer of writers) {
      const seqs = member.received.filter((message) => message.value["writer"] === writer).map(seqOf);
      expect(seqs, `writer ${writer}`).toEqual(range(0, 150));
    }
  });

  it("writes none of a batch that fails part way", async () => {
    const { db, bus } = connect();
    await bus.publish("orders", [aMessage("key-0", 0)]);
    db.exec(`CREATE TEMP TRIGGER refuse_third BEFORE INSERT ON messages WHEN json_extract(NEW.value, '$.seq') = 3
             BEGIN SELECT RAISE(ABORT, 'refused'); END`);

    await expect(
      bus.publish(
        "orders",
        range(1, 5).map((seq) => aMessage(`key-${seq}`, seq)),
      ),
    ).rejects.toThrow(MessageBusUnavailableError);
    db.exec("DROP TRIGGER refuse_third");
    await bus.publish("orders", [aMessage("key-0", 1)]);
    const member = await consume(bus, "group", "orders");
    await eventually(() => member.received.length >= 2, "the messages around the failed batch");

    expect(sortedIds(member.received)).toEqual(["key-0#0", "key-0#1"]);
    expect(member.received.map((message) => message.offset)).toEqual([0, 1]);
  });

  it("keeps the partition count a topic was created with, whatever another bus is configured with", async () => {
    const four = connect({ partitions: 4 });
    const eight = connect({ partitions: 8 });
    const key =
      range(0, 50)
        .map((index) => `key-${index}`)
        .find((candidate) => partitionOf(candidate, 8) >= 4) ?? "";

    await four.bus.publish("orders", [aMessage(key, 0)]);
    await eight.bus.publish("orders", [aMessage(key, 1)]);
    await eight.bus.publish("invoices", [aMessage(key, 0)]);
    const orders = await consume(eight.bus, "group", "orders");
    const invoices = await consume(eight.bus, "group", "invoices");
    await eventually(() => orders.received.length >= 2 && invoices.received.length >= 1, "the messages of both topics");

    const partition = partitionOf(key, 4);
    expect(orders.received.map(({ partition, offset }) => ({ partition, offset }))).toEqual([
      { partition, offset: 0 },
      { partition, offset: 1 },
    ]);
    expect(invoices.received.map((message) => message.partition)).toEqual([partitionOf(key, 8)]);
  });

  it("deals a stopped member's partitions to the members still running, from its committed offsets", async () => {
    const { bus } = connect();
    const keys = range(0, 12).map((index) => `key-${index}`);
    const first = await consume(bus, "group", "orders");
    const second = await consume(bus, "group", "orders");
    await bus.publish(
      "orders",
      keys.map((key) => aMessage(key, 0)),
    );
    await eventually(() => first.received.length + second.received.length >= 12, "the first round");
    expect(first.received.length).toBeGreaterThan(0);
    expect(second.received.length).toBeGreaterThan(0);

    await first.stop();
    const handledByFirst = [...first.received];
    await bus.publish(
      "orders",
      keys.map((key) => aMessage(key, 1)),
    );
    await eventually(() => handledByFirst.length + second.received.length >= 24, "the second round");

    expect(first.received).toEqual(handledByFirst);
    expect(sortedIds([...handledByFirst, ...second.received])).toEqual(
      sortedIds(keys.flatMap((key) => [aMessage(key, 0), aMessage(key, 1)])),
    );
  });

  it("reports a write lock another connection holds too long as unavailable", async () => {
    const { db, bus } = connect();
    const other = connect();
    await bus.publish("orders", [aMessage("key-0", 0)]);
    db.pragma("busy_timeout = 10");
    other.db.exec("BEGIN IMMEDIATE");

    const error = await bus.publish("orders", [aMessage("key-0", 1)]).catch((thrown: unknown) => thrown);
    other.db.exec("ROLLBACK");

    expect(error).toBeInstanceOf(MessageBusUnavailableError);
    expect((error as Error).cause).toMatchObject({ code: "SQLITE_BUSY" });
    await bus.publish("orders", [aMessage("key-0", 1)]);
  });

  it("reports a database handle closed under it as unavailable", async () => {
    const { db, bus } = connect();
    db.close();

    await expect(bus.publish("orders", [aMessage("key-0", 0)])).rejects.toThrow(MessageBusUnavailableError);
    await expect(bus.consume({ groupId: "group", topics: ["orders"] }, async () => {})).rejects.toThrow(MessageBusUnavailableError);
  });

  it("stops its consumers when closed, refuses further calls, leaves the handle open and no timer running", async () => {
    const { db, bus } = connect({ pollIntervalMs: 60_000 });
    const pendingTimers = watchTimers();
    const idle = await consume(bus, "idle", "orders");
    const failing = await consume(bus, "failing", "orders", async () => {
      throw new Error("always fails");
    });
    await bus.publish("orders", [aMessage("key-0", 0)]);
    await eventually(() => idle.received.length >= 1 && failing.received.length >= 2, "a delivery and a redelivery");
    // Idle consumers wait on poll timers, the failing one on its backoff.
    expect(pendingTimers()).toBeGreaterThan(0);

    await bus.close();

    expect(pendingTimers()).toBe(0);
    await expect(bus.publish("orders", [aMessage("key-0", 1)])).rejects.toThrow(MessageBusUnavailableError);
    await expect(bus.consume({ groupId: "idle", topics: ["orders"] }, async () => {})).rejects.toThrow(MessageBusUnavailableError);
    expect(db.open).toBe(true);
    expect(failing.received.map(seqOf)).toEqual(failing.received.map(() => 0));
  });
});
