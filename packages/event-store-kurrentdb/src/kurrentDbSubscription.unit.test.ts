import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { EventStoreUnavailableError, type EventSubscription } from "@clientapps/event-store";
import { UnavailableError, type AllStreamResolvedEvent } from "@kurrent/kurrentdb-client";
import { describe, expect, it } from "vitest";
import { createKurrentDbSubscription } from "./kurrentDbSubscription.js";
import { toPosition } from "./mapping.js";

// The client's subscription is a readable stream of resolved events; these tests stand in a
// stream for it, as no server runs here. The contract suite checks the same against a server.

const resolved = (commit: bigint, type = "Happened", streamId = "order-1"): AllStreamResolvedEvent => ({
  event: {
    streamId,
    id: randomUUID(),
    isJson: true,
    revision: 0n,
    type,
    created: new Date(0),
    data: {},
    metadata: {},
    position: { commit, prepare: commit },
  },
});

const subscriptionOver = (after?: bigint) => {
  const driver = Object.assign(new PassThrough({ objectMode: true }), {
    unsubscribed: false,
    unsubscribe: async () => {
      driver.unsubscribed = true;
    },
  });
  const calls = { opened: 0, closed: 0 };
  const subscription: EventSubscription = createKurrentDbSubscription({
    selection: {
      after: after === undefined ? undefined : toPosition({ commit: after, prepare: after }),
      streamPrefix: "order-",
    },
    open: () => {
      calls.opened += 1;
      return driver;
    },
    onClose: () => {
      calls.closed += 1;
    },
  });
  return { driver, calls, subscription, events: subscription[Symbol.asyncIterator]() };
};

describe("a subscription to $all", () => {
  it("delivers the selected events strictly after the position it starts after", async () => {
    const { driver, events } = subscriptionOver(10n);
    for (const event of [resolved(10n), resolved(11n, "$metadata"), resolved(12n, "Happened", "other-1"), resolved(13n)]) {
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
    expect(calls).toEqual({ opened: 1, closed: 1 });
  });

  it("never opens the client's subscription when closed before it is iterated", async () => {
    const { calls, subscription, events } = subscriptionOver();

    await subscription.close();

    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(calls).toEqual({ opened: 0, closed: 1 });
  });

  it("closes when a loop breaks out of it", async () => {
    const { driver, calls, subscription } = subscriptionOver();
    driver.write(resolved(1n));
    driver.write(resolved(2n));

    for await (const event of subscription) {
      expect(event.position).toBe(toPosition({ commit: 1n, prepare: 1n }));
      break;
    }

    expect(driver.unsubscribed).toBe(true);
    expect(calls.closed).toBe(1);
    expect(await subscription[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });

  it("reports the client's subscription failing as the store being unavailable", async () => {
    const { driver, events } = subscriptionOver();
    const pending = events.next();

    driver.destroy(new UnavailableError());

    await expect(pending).rejects.toThrow(EventStoreUnavailableError);
  });
});
