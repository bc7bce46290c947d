import { describe, expect } from "vitest";
import type { DeliveredMessage, OutgoingMessage } from "../messageBus.js";
import {
  aMessage,
  contractTest,
  contractTestTimeoutMs,
  deferred,
  eventually,
  expectOrdered,
  idOf,
  range,
  seqOf,
  seqsOfKey,
  sortedIds,
  uniqueName,
  type MessageBusFixture,
} from "./contractTest.js";

const keysNamed = (count: number): string[] => range(0, count).map((index) => `key-${index}`);

/**
 * The behaviour every message-bus adapter must have, as a vitest suite. `createBus` is called
 * for each test and `dispose` after it. The suite assumes only what Kafka gives: order per
 * partition and so per key, consumer groups resuming from committed offsets, at-least-once
 * delivery. It never assumes the bus is empty (each test has its own topic and groups), that
 * offsets are consecutive, nor how partitions are dealt to members.
 */
export const describeMessageBusContract = (adapterName: string, createBus: () => Promise<MessageBusFixture>): void => {
  describe(`${adapterName} (message-bus contract)`, () => {
    const test = contractTest(createBus);

    test("gives each test the contract's timeout, not the configured default", ({ task }) => {
      expect(task.timeout).toBe(contractTestTimeoutMs);
    });

    test("answers a ping while it is up, for readiness checks", async ({ bus }) => {
      await expect(bus.ping()).resolves.toBeUndefined();
    });

    test("delivers each message with its topic, key, value, headers, partition and offset", async ({ bus, topic, join }) => {
      const member = await join(uniqueName("group"));
      const value = { seq: 0, nested: { list: [1, "two", null, true], empty: {} } };
      const headers = { "trace-id": "trace-1", empty: "" };
      await bus.publish(topic, [{ key: "key-a", value, headers }]);
      await bus.publish(topic, [aMessage("key-b", 0)]);
      await bus.publish(topic, [aMessage("key-a", 1)]);

      await eventually(() => member.received.length >= 3, "three messages");

      const delivered = (id: string) => member.received.find((message) => idOf(message) === id);
      const position = { partition: expect.any(Number), offset: expect.any(Number) };
      expect(member.received).toHaveLength(3);
      expect(delivered("key-a#0")).toEqual({ topic, key: "key-a", value, headers, ...position });
      expect(delivered("key-b#0")).toEqual({ topic, key: "key-b", value: { seq: 0 }, headers: {}, ...position });
      expect(delivered("key-a#1")).toEqual({ topic, key: "key-a", value: { seq: 1 }, headers: {}, ...position });
      expectOrdered(member.received);
    });

    test("keeps each key's order across many keys and interleaved publishes", async ({ bus, topic, join }) => {
      const member = await join(uniqueName("group"));
      const keys = keysNamed(10);
      // Publishes of different keys overlap; each key's own publishes follow one another.
      for (const seq of range(0, 30)) await Promise.all(keys.map((key) => bus.publish(topic, [aMessage(key, seq)])));

      await eventually(() => member.received.length >= 300, "300 messages");

      expect(member.received).toHaveLength(300);
      for (const key of keys) expect(seqsOfKey(member.received, key), key).toEqual(range(0, 30));
      expectOrdered(member.received);
    });

    test("publishes a batch of messages in one call", async ({ bus, topic, join }) => {
      const keys = keysNamed(3);
      const batch = range(0, 5).flatMap((seq) => keys.map((key) => aMessage(key, seq)));
      const member = await join(uniqueName("group"));

      await bus.publish(topic, batch);
      await eventually(() => member.received.length >= batch.length, "the whole batch");

      expect(sortedIds(member.received)).toEqual(sortedIds(batch));
      for (const key of keys) expect(seqsOfKey(member.received, key), key).toEqual(range(0, 5));
      expectOrdered(member.received);
    });

    test("delivers messages published before the group first consumed", async ({ bus, topic, join }) => {
      const published = keysNamed(3).map((key) => aMessage(key, 0));
      for (const message of published) await bus.publish(topic, [message]);

      const member = await join(uniqueName("group"));
      await eventually(() => member.received.length >= published.length, "the earlier messages");

      expect(sortedIds(member.received)).toEqual(sortedIds(published));
    });

    test("delivers every message to each of two groups", async ({ bus, topic, join }) => {
      const first = await join(uniqueName("group"));
      const second = await join(uniqueName("group"));
      const published = range(0, 5).flatMap((seq) => keysNamed(3).map((key) => aMessage(key, seq)));
      for (const message of published) await bus.publish(topic, [message]);

      await eventually(() => first.received.length >= 15 && second.received.length >= 15, "15 messages in each group");

      expect(sortedIds(first.received)).toEqual(sortedIds(published));
      expect(sortedIds(second.received)).toEqual(sortedIds(published));
    });

    test("splits a group's work between two members, which together handle each message once", async ({ bus, topic, join }) => {
      const groupId = uniqueName("group");
      const first = await join(groupId);
      const second = await join(groupId);
      const keys = keysNamed(8);
      const published: OutgoingMessage[] = [];
      const handled = () => [...first.received, ...second.received];

      // A broker may still be dealing out partitions when consume() resolves, so rounds of
      // messages go on, bounded, until both members have had some.
      for (let seq = 0; first.received.length === 0 || second.received.length === 0; seq += 1) {
        expect(seq, "rounds before both members had work").toBeLessThan(20);
        const round = keys.map((key) => aMessage(key, seq));
        await bus.publish(topic, round);
        published.push(...round);
        await eventually(() => handled().length >= published.length, `round ${seq}`);
      }

      expect(sortedIds(handled())).toEqual(sortedIds(published));
      expectOrdered(first.received);
      expectOrdered(second.received);
    });

    test("a member that stops hands over at its committed offset, losing and repeating nothing", async ({ bus, topic, join }) => {
      const groupId = uniqueName("group");
      const keys = keysNamed(3);
      const before = range(0, 10).flatMap((seq) => keys.map((key) => aMessage(key, seq)));
      await bus.publish(topic, before);
      const stopAsked = deferred();
      // The fifth message is still in hand when stop is asked; it is finished, and committed.
      const first = await join(groupId, async (_message, received) => {
        if (received.length === 5) await stopAsked.promise;
      });
      await eventually(() => first.received.length >= 5, "five messages in hand");

      const stopping = first.stop();
      stopAsked.resolve();
      await stopping;
      const handledByFirst = [...first.received];
      const after = range(10, 15).flatMap((seq) => keys.map((key) => aMessage(key, seq)));
      await bus.publish(topic, after);
      const second = await join(groupId);
      await eventually(() => handledByFirst.length + second.received.length >= 45, "all 45 messages");

      expect(first.received).toEqual(handledByFirst);
      expect(sortedIds([...handledByFirst, ...second.received])).toEqual(sortedIds([...before, ...after]));
      for (const key of keys) {
        expect([...seqsOfKey(handledByFirst, key), ...seqsOfKey(second.received, key)], key).toEqual(range(0, 15));
      }
    });

    test("redelivers a message whose handler failed, and does not skip past it", async ({ bus, topic, join }) => {
      let failed = false;
      const member = await join(uniqueName("group"), async (message) => {
        if (seqOf(message) === 1 && !failed) {
          failed = true;
          throw new Error("the handler failed once");
        }
      });

      await bus.publish(
        topic,
        range(0, 3).map((seq) => aMessage("key-0", seq)),
      );
      await eventually(() => member.received.some((message) => seqOf(message) === 2), "the message after the failed one");

      expect(member.received.map(seqOf)).toEqual([0, 1, 1, 2]);
      expect(member.received[2]).toEqual(member.received[1]);
    });

    test("a member that crashes with a message in hand leaves it to the next member", async ({ bus, topic, join }) => {
      const groupId = uniqueName("group");
      const crash = deferred();
      // Stands for a process that dies mid-message: its handler never succeeds and it stops.
      const first = await join(groupId, async (message) => {
        if (seqOf(message) === 0) {
          await crash.promise;
          throw new Error("crashed");
        }
      });
      await bus.publish(topic, [aMessage("key-0", 0), aMessage("key-0", 1)]);
      await eventually(() => first.received.length >= 1, "the first message in hand");

      const stopping = first.stop();
      crash.resolve();
      await stopping;
      const second = await join(groupId);
      await eventually(() => second.received.length >= 2, "both messages at the next member");

      expect(first.received.map(seqOf)).toEqual([0]);
      expect(second.received.map(seqOf)).toEqual([0, 1]);
      expect(second.received[0]).toEqual<DeliveredMessage | undefined>(first.received[0]);
    });
  });
};
