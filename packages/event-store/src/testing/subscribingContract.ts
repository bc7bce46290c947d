import { describe, expect } from "vitest";
import type { RecordedEvent } from "../eventStore.js";
import { anEvent, type ContractTest, expectIncreasingPositions, reader, summary, within } from "./contractTest.js";

export const describeSubscribing = (test: ContractTest): void => {
  describe("subscribing to all events", () => {
    test("delivers the existing events, then those appended later, in order", async ({ store, prefix, subscribe, appendEach }) => {
      const existing = await appendEach(`${prefix}a`, `${prefix}b`, `${prefix}a`);
      const events = reader(subscribe({ streamPrefix: prefix }));
      expect(summary(await events.take(3))).toEqual(summary(existing));

      // Taken before appending, so that the subscription is waiting when the events arrive.
      const taken = events.take(2);
      await store.appendToStream(`other${prefix}a`, [anEvent()], { expectedRevision: "any" });
      await store.appendToStream(`${prefix}c`, [anEvent()], { expectedRevision: "any" });
      await store.appendToStream(`${prefix}a`, [anEvent()], { expectedRevision: 1 });

      const later = await taken;
      expect(later.map(({ streamName, revision }) => ({ streamName, revision }))).toEqual([
        { streamName: `${prefix}c`, revision: 0 },
        { streamName: `${prefix}a`, revision: 2 },
      ]);
      expectIncreasingPositions([...existing, ...later]);
    });

    test("delivers only the events after a checkpoint", async ({ prefix, subscribe, appendEach }) => {
      const existing = await appendEach(`${prefix}a`, `${prefix}b`, `${prefix}a`);
      const events = reader(subscribe({ streamPrefix: prefix, after: existing[1]?.position }));

      expect(summary(await events.take(1))).toEqual(summary(existing.slice(2)));
      const taken = events.take(1);
      const appended = await appendEach(`${prefix}c`);
      expect(summary(await taken)).toEqual(summary(appended));
    });

    test("replays the same events in the same order every time", async ({ prefix, subscribe, appendEach }) => {
      const appended = await appendEach(`${prefix}a`, `${prefix}b`, `${prefix}a`, `${prefix}c`);

      const first = await reader(subscribe({ streamPrefix: prefix })).take(4);
      const second = await reader(subscribe({ streamPrefix: prefix })).take(4);

      expect(first).toEqual(second);
      expect(summary(first)).toEqual(summary(appended));
    });

    test("ends a waiting for-await loop when closed", async ({ prefix, subscribe, appendEach }) => {
      await appendEach(`${prefix}a`);
      const subscription = subscribe({ streamPrefix: prefix });
      const received: RecordedEvent[] = [];
      let firstReceived: () => void = () => undefined;
      const first = new Promise<void>((resolve) => (firstReceived = resolve));
      const loop = (async () => {
        for await (const event of subscription) {
          received.push(event);
          firstReceived();
        }
      })();

      await within(first, "the first event");
      await subscription.close();
      await within(loop, "the loop to end");
      await appendEach(`${prefix}b`);
      expect(received).toHaveLength(1);
    });

    test("delivers nothing once closed, even before iterating", async ({ prefix, subscribe, appendEach }) => {
      await appendEach(`${prefix}a`);
      const subscription = subscribe({ streamPrefix: prefix });
      await subscription.close();
      expect(await reader(subscription).next()).toMatchObject({ done: true });
    });

    test("stops when a for-await loop breaks out of it", async ({ prefix, subscribe, appendEach }) => {
      await appendEach(`${prefix}a`, `${prefix}b`);
      const subscription = subscribe({ streamPrefix: prefix });
      for await (const event of subscription) {
        expect(event.streamName).toBe(`${prefix}a`);
        break;
      }
      await appendEach(`${prefix}c`);
      expect(await reader(subscription).next()).toMatchObject({ done: true });
    });
  });
};
