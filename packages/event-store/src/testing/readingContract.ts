import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { EventStore, RecordedEvent } from "../eventStore.js";
import { Position } from "../position.js";
import { anEvent, type ContractTest, expectIncreasingPositions, manyEvents, summary } from "./contractTest.js";

export const describeReading = (test: ContractTest): void => {
  describe("reading a stream", () => {
    test("reads a missing stream as empty", async ({ store, prefix }) => {
      expect(await store.readStream(`${prefix}missing`)).toEqual([]);
    });

    test("reads from a revision, at most a number of events", async ({ store, prefix }) => {
      const stream = `${prefix}order`;
      const events = Array.from({ length: 5 }, () => anEvent());
      await store.appendToStream(stream, events, { expectedRevision: "no_stream" });

      const revisions = async (options: Parameters<EventStore["readStream"]>[1]) =>
        (await store.readStream(stream, options)).map((event) => event.revision);
      expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
      expect(await revisions({ maxCount: 2 })).toEqual([0, 1]);
      expect(await revisions({ fromRevision: 1, maxCount: 3 })).toEqual([1, 2, 3]);
      expect(await revisions({ fromRevision: 5 })).toEqual([]);
    });

    test("returns data and metadata exactly as appended", async ({ store, prefix }) => {
      const stream = `${prefix}order`;
      const data = {
        text: 'Grüße, 世界 👋 "quoted" \\ back\nslash',
        numbers: [0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER],
        nested: { empty: {}, none: null, list: [[], [true, false], { deep: { deeper: ["x"] } }] },
      };
      const metadata = { correlationId: randomUUID(), "key with spaces & ünïcode": "🙂" };
      const event = anEvent("Ordered", data, metadata);

      await store.appendToStream(stream, [event], { expectedRevision: "no_stream" });

      const [recorded] = await store.readStream(stream);
      expect(recorded).toMatchObject({ eventId: event.eventId, type: "Ordered", streamName: stream, revision: 0 });
      expect(recorded?.data).toStrictEqual(data);
      expect(recorded?.metadata).toStrictEqual(metadata);
      expect(recorded?.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    });
  });

  describe("reading all events", () => {
    test("returns the events of all streams in strictly increasing position order", async ({ store, prefix, appendEach }) => {
      const head = await store.headPosition();
      const streams = [`${prefix}a`, `${prefix}b`, `${prefix}a`, `${prefix}c`, `${prefix}b`];
      const appended = await appendEach(...streams);

      const all = await store.readAll({ after: head, maxCount: manyEvents });

      expectIncreasingPositions(all);
      expect(summary(all.filter((event) => event.streamName.startsWith(prefix)))).toEqual(summary(appended));
      expect(appended.map((event) => event.streamName)).toEqual(streams);
    });

    test("resumes strictly after a checkpoint", async ({ store, prefix, appendEach }) => {
      const appended = await appendEach(`${prefix}a`, `${prefix}b`, `${prefix}a`, `${prefix}c`, `${prefix}b`);

      const pages: (readonly RecordedEvent[])[] = [];
      for (let page = await store.readAll({ maxCount: 2, streamPrefix: prefix }); page.length > 0;) {
        pages.push(page);
        page = await store.readAll({ after: page.at(-1)?.position, maxCount: 2, streamPrefix: prefix });
      }

      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(summary(pages.flat())).toEqual(summary(appended));
    });

    test("filters by a stream-name prefix, taking _ and % literally", async ({ store, prefix, appendEach }) => {
      const order = `${prefix}order-`;
      const wildcards = `${prefix}a_b%`;
      const unicode = `${prefix}日本`;
      const matching = [`${order}1`, order, `${order}2`, `${wildcards}-1`, `${unicode}-1`, `${unicode}語`];
      // Names that share a shorter prefix, sort right after the prefix, or match it as a LIKE pattern.
      const others = [
        `${prefix}order`,
        `${prefix}order.`,
        `${prefix}orders-1`,
        `${prefix}Order-1`,
        `${prefix}axb%-1`,
        `${prefix}a_bxx-1`,
        `${prefix}a_c%`,
        `${prefix}日杢-1`,
        `${prefix}日札`,
        `${prefix}日`,
      ];
      await appendEach(...matching, ...others);

      const streamsUnder = async (streamPrefix: string) =>
        (await store.readAll({ streamPrefix, maxCount: manyEvents })).map((event) => event.streamName);
      expect(await streamsUnder(order)).toEqual([`${order}1`, order, `${order}2`]);
      expect(await streamsUnder(wildcards)).toEqual([`${wildcards}-1`]);
      expect(await streamsUnder(unicode)).toEqual([`${unicode}-1`, `${unicode}語`]);
      expect(await streamsUnder(prefix)).toEqual([...matching, ...others]);
    });

    test("gives positions that compare in commit order", async ({ store, prefix }) => {
      const positions: Position[] = [];
      for (const stream of [`${prefix}a`, `${prefix}b`, `${prefix}a`]) {
        positions.push((await store.appendToStream(stream, [anEvent()], { expectedRevision: "any" })).position);
      }
      const [first, second, third] = positions as [Position, Position, Position];

      expect(Position.compare(first, second)).toBe(-1);
      expect(Position.compare(third, second)).toBe(1);
      expect(Position.compare(second, second)).toBe(0);
      expect([third, first, second].sort()).toEqual([first, second, third]);
      expect(Position.reached(third, first)).toBe(true);
      expect(Position.reached(first, third)).toBe(false);
    });

    test("moves the head position forward with each append", async ({ store, prefix }) => {
      const before = await store.headPosition();
      const { position } = await store.appendToStream(`${prefix}order`, [anEvent()], { expectedRevision: "any" });

      const after = await store.headPosition();
      expect(after).toBeDefined();
      expect(Position.reached(after, position)).toBe(true);
      if (before !== undefined) expect(Position.compare(before, position)).toBe(-1);
    });
  });
};
