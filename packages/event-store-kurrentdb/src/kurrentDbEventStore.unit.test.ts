import { randomUUID } from "node:crypto";
import { EventStoreUnavailableError, type EventStore } from "@clientapps/event-store";
import type { AllStreamResolvedEvent, KurrentDBClient } from "@kurrent/kurrentdb-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createKurrentDbEventStore } from "./kurrentDbEventStore.js";
import { toPosition } from "./mapping.js";
import { resolvedEvent } from "./testing/resolvedEvent.js";

// A stand-in for the part of the client the store uses, as no server runs here: reads are
// async iterables the test controls, and every call's options are recorded.

/** A read that never answers, like the native bridge's against a server that accepted the call and went silent. */
const silentRead = (): AsyncIterable<AllStreamResolvedEvent> => ({
  [Symbol.asyncIterator]: () => ({ next: () => new Promise<never>(() => undefined) }),
});

const answering = (events: readonly AllStreamResolvedEvent[]): AsyncIterable<AllStreamResolvedEvent> => ({
  [Symbol.asyncIterator]: async function* () {
    yield* events;
  },
});

const standInClient = (read: () => AsyncIterable<AllStreamResolvedEvent>) => {
  const calls: { method: string; options: Record<string, unknown> }[] = [];
  const client = {
    readStream: (_: string, options: Record<string, unknown>) => {
      calls.push({ method: "readStream", options });
      return read();
    },
    readAll: (options: Record<string, unknown>) => {
      calls.push({ method: "readAll", options });
      return read();
    },
    appendToStream: async () => ({ success: true, nextExpectedRevision: 0n, position: { commit: 1n, prepare: 1n } }),
    dispose: async () => undefined,
  };
  return { calls, client: client as unknown as KurrentDBClient };
};

/** How a promise has ended so far, read after advancing the fake timers. */
const track = (promise: Promise<unknown>) => {
  const outcome: { settled: boolean; error?: unknown } = { settled: false };
  promise.then(
    () => (outcome.settled = true),
    (error: unknown) => Object.assign(outcome, { settled: true, error }),
  );
  return outcome;
};

describe("reads of a KurrentDB event store", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const operations: [string, (store: EventStore) => Promise<unknown>][] = [
    ["reading a stream", (store) => store.readStream("order-1")],
    ["reading all events", (store) => store.readAll({ maxCount: 10 })],
    ["reading the head position", (store) => store.headPosition()],
    ["reading back an append's position", (store) => store.appendToStream("order-1", [anEvent()], { expectedRevision: "any" })],
  ];

  it.each(operations)("gives up %s at the deadline, reporting the store as unavailable", async (_, operation) => {
    const store = createKurrentDbEventStore(standInClient(silentRead).client, { readDeadlineMs: 2_000 });

    const outcome = track(operation(store));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect(outcome.error).toBeInstanceOf(EventStoreUnavailableError);
    expect(outcome.error).toMatchObject({ message: expect.stringContaining("deadline") });
  });

  it("has a deadline of 10 s unless told otherwise", async () => {
    const store = createKurrentDbEventStore(standInClient(silentRead).client);

    const outcome = track(store.readStream("order-1"));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect(outcome.error).toBeInstanceOf(EventStoreUnavailableError);
  });

  it("gives as the head the last event a read of all events returns, passing over system streams' events", async () => {
    // Read backwards, as the store reads the head: the newest event first.
    const { client } = standInClient(() => answering([resolvedEvent(9n, { streamId: "$scavenges-1" }), resolvedEvent(7n)]));
    const store = createKurrentDbEventStore(client);

    expect(await store.headPosition()).toBe(toPosition({ commit: 7n, prepare: 7n }));
  });

  it("reads from the leader, so that a read after an append on a cluster sees it", async () => {
    const { calls, client } = standInClient(() => answering([resolvedEvent(5n)]));
    const store = createKurrentDbEventStore(client);

    await store.readStream("order-1");
    await store.readAll({ maxCount: 10 });
    await store.headPosition();

    expect(calls.map(({ method }) => method)).toEqual(["readStream", "readAll", "readAll"]);
    expect(calls.every(({ options }) => options["requiresLeader"] === true)).toBe(true);
  });
});

const anEvent = () => ({ eventId: randomUUID(), type: "Happened", data: {}, metadata: {} });
