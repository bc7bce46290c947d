import { PassThrough } from "node:stream";
import { EventStoreError, EventStoreUnavailableError, type EventSubscription, type Position } from "@clientapps/event-store";
import { AccessDeniedError, UnavailableError } from "@kurrent/kurrentdb-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createKurrentDbSubscription } from "./kurrentDbSubscription.js";
import { toPosition } from "./mapping.js";
import { resolvedEvent } from "./testing/resolvedEvent.js";

// The client's subscription is a readable stream of resolved events; these tests stand in a
// stream for it, as no server runs here. The contract suite checks the same against a server.

type StandIn = PassThrough & { unsubscribed: boolean; unsubscribe: () => Promise<void> };

const standIn = (): StandIn => {
  const driver = Object.assign(new PassThrough({ objectMode: true }), {
    unsubscribed: false,
    unsubscribe: async () => {
      driver.unsubscribed = true;
    },
  });
  return driver;
};

/** A subscription over stand-in client subscriptions, a fresh one each time it (re)subscribes. */
const subscriptionOver = (after?: bigint) => {
  const drivers: StandIn[] = [standIn()];
  const calls = { opened: 0, closed: 0, openedAfter: [] as (Position | undefined)[] };
  const subscription: EventSubscription = createKurrentDbSubscription({
    selection: {
      after: after === undefined ? undefined : toPosition({ commit: after, prepare: after }),
      streamPrefix: "order-",
    },
    open: (from) => {
      calls.openedAfter.push(from);
      const driver = drivers[calls.opened] ?? standIn();
      drivers[calls.opened] = driver;
      calls.opened += 1;
      return driver;
    },
    onClose: () => {
      calls.closed += 1;
    },
  });
  const driver = drivers[0] as StandIn;
  /** The stand-in of the n-th subscription to the client (0 the first), made ahead if need be. */
  const nth = (index: number): StandIn => (drivers[index] ??= standIn());
  return { driver, nth, calls, subscription, events: subscription[Symbol.asyncIterator]() };
};

describe("a subscription to $all", () => {
  it("delivers the selected events strictly after the position it starts after", async () => {
    const { driver, events } = subscriptionOver(10n);
    for (const event of [
      resolvedEvent(10n),
      resolvedEvent(11n, { type: "$metadata" }),
      resolvedEvent(12n, { streamId: "other-1" }),
      resolvedEvent(13n),
    ]) {
      driver.write(event);
    }

    const next = await events.next();

    expect(next.value).toMatchObject({ streamName: "order-1", position: toPosition({ commit: 13n, prepare: 13n }) });
  });

  it("ends a loop waiting for the next event when closed, cancelling the client's subscription", async () => {
    const { driver, calls, subscription, events } = subscriptionOver();
    const pending = events.next();

    await subscription.close();

    expect(await pending).toEqual({ done: true, value: undefined });
    expect(driver.unsubscribed).toBe(true);
    expect(calls).toMatchObject({ opened: 1, closed: 1 });
  });

  it("never opens the client's subscription when closed before it is iterated", async () => {
    const { calls, subscription, events } = subscriptionOver();

    await subscription.close();

    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(calls).toMatchObject({ opened: 0, closed: 1 });
  });

  it("closes when a loop breaks out of it", async () => {
    const { driver, calls, subscription } = subscriptionOver();
    driver.write(resolvedEvent(1n));
    driver.write(resolvedEvent(2n));

    for await (const event of subscription) {
      expect(event.position).toBe(toPosition({ commit: 1n, prepare: 1n }));
      break;
    }

    expect(driver.unsubscribed).toBe(true);
    expect(calls.closed).toBe(1);
    expect(await subscription[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });

  it("reports a failure retrying cannot fix, such as access denied, to the loop", async () => {
    const { driver, events } = subscriptionOver();
    const pending = events.next();

    driver.destroy(new AccessDeniedError());

    const error: unknown = await pending.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).not.toBeInstanceOf(EventStoreUnavailableError);
  });
});

describe("a subscription to $all when the client's subscription ends", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const position = (commit: bigint) => toPosition({ commit, prepare: commit });

  it.each([
    ["the server ends it cleanly", (driver: StandIn) => driver.end()],
    ["the server becomes unavailable", (driver: StandIn) => driver.destroy(new UnavailableError())],
  ])("resubscribes from the last delivered event when %s, instead of ending the loop", async (_, end) => {
    const { driver, nth, calls, events } = subscriptionOver();
    driver.write(resolvedEvent(1n));
    expect((await events.next()).value).toMatchObject({ position: position(1n) });

    const pending = events.next();
    end(driver);
    nth(1).write(resolvedEvent(1n));
    nth(1).write(resolvedEvent(2n));
    await vi.runAllTimersAsync();

    expect(await pending).toMatchObject({ done: false, value: { position: position(2n) } });
    expect(calls.openedAfter).toEqual([undefined, position(1n)]);
  });

  it("waits before each resubscription, longer after each failure in a row", async () => {
    const { driver, nth, calls, events } = subscriptionOver();
    const pending = events.next();
    driver.end();

    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      waits.push(await untilOpened(calls, attempt + 1));
      if (attempt < 3) nth(attempt).end();
    }
    nth(3).write(resolvedEvent(1n));

    expect((await pending).value).toMatchObject({ position: position(1n) });
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[1]).toBeGreaterThan(waits[0] ?? 0);
    expect(waits[2]).toBeGreaterThan(waits[1] ?? 0);
  });

  it("ends a loop waiting to resubscribe when closed, without subscribing again", async () => {
    const { driver, calls, subscription, events } = subscriptionOver();
    const pending = events.next();
    driver.end();
    await vi.advanceTimersByTimeAsync(0);

    await subscription.close();
    await vi.runAllTimersAsync();

    expect(await pending).toEqual({ done: true, value: undefined });
    expect(calls.opened).toBe(1);
  });
});

/** How many fake milliseconds pass until the client's subscription has been opened `count` times; fails after a minute. */
const untilOpened = async (calls: { opened: number }, count: number): Promise<number> => {
  let waited = 0;
  while (calls.opened < count) {
    if (waited >= 60_000) throw new Error(`subscribed ${calls.opened} times, not ${count}`);
    await vi.advanceTimersByTimeAsync(10);
    waited += 10;
  }
  return waited;
};
