import type { ChainAnchor } from "@clientapps/audit-trail";
import type { ReadModelCollection } from "@clientapps/read-models";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTailWaker } from "./activityTailWaker.js";

const intervalMs = 25;

/** Anchors held in a map, read through `get` only, as the waker reads them. */
const anchorsOf = (sequences: Map<string, number>) => {
  const get = vi.fn(async (id: string) => {
    const sequence = sequences.get(id);
    return sequence === undefined ? undefined : { id, revision: sequence, document: { sequence, hash: "h" } };
  });
  return { get, collection: { get } as unknown as ReadModelCollection<ChainAnchor> };
};

afterEach(() => {
  vi.useRealTimers();
});

describe("the activity tails' waker", () => {
  it("wakes a workspace's tails when its newest entry changes, with one read per workspace and look", async () => {
    vi.useFakeTimers();
    const sequences = new Map([["ws-1", 3]]);
    const { get, collection } = anchorsOf(sequences);
    const waker = createTailWaker(collection, intervalMs);
    const first = vi.fn();
    const second = vi.fn();
    const stops = [waker.watch("ws-1", first), waker.watch("ws-1", second)];

    await vi.advanceTimersByTimeAsync(intervalMs);
    // The first look wakes once: what came before the tail opened is the tail's own to read.
    expect([first.mock.calls.length, second.mock.calls.length, get.mock.calls.length]).toEqual([1, 1, 1]);
    await vi.advanceTimersByTimeAsync(intervalMs * 3);
    expect(first).toHaveBeenCalledTimes(1);

    sequences.set("ws-1", 4);
    await vi.advanceTimersByTimeAsync(intervalMs);
    expect([first.mock.calls.length, second.mock.calls.length]).toEqual([2, 2]);
    for (const stop of stops) stop();
  });

  it("does not wake the tails of other workspaces", async () => {
    vi.useFakeTimers();
    const sequences = new Map([
      ["ws-1", 1],
      ["ws-2", 1],
    ]);
    const { collection } = anchorsOf(sequences);
    const waker = createTailWaker(collection, intervalMs);
    const ofOther = vi.fn();
    const stops = [waker.watch("ws-1", () => undefined), waker.watch("ws-2", ofOther)];
    await vi.advanceTimersByTimeAsync(intervalMs);
    sequences.set("ws-1", 2);
    await vi.advanceTimersByTimeAsync(intervalMs * 2);
    expect(ofOther).toHaveBeenCalledTimes(1);
    for (const stop of stops) stop();
  });

  it("keeps looking when a read fails, and runs no timer once every tail has closed", async () => {
    vi.useFakeTimers();
    const { get, collection } = anchorsOf(new Map([["ws-1", 1]]));
    get.mockRejectedValueOnce(new Error("unavailable"));
    const waker = createTailWaker(collection, intervalMs);
    const listener = vi.fn();
    const stop = waker.watch("ws-1", listener);
    await vi.advanceTimersByTimeAsync(intervalMs * 2);
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
