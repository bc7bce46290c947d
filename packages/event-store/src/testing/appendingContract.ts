import { describe, expect } from "vitest";
import { ConcurrencyError } from "../errors.js";
import { anEvent, type ContractTest, expectConcurrencyError, expectIncreasingPositions } from "./contractTest.js";

export const describeAppending = (test: ContractTest): void => {
  describe("appending", () => {
    test("numbers a stream's events from revision 0 upwards", async ({ store, prefix }) => {
      const stream = `${prefix}order`;
      expect(await store.appendToStream(stream, [anEvent()], { expectedRevision: "no_stream" })).toMatchObject({
        nextExpectedRevision: 0,
      });
      expect(await store.appendToStream(stream, [anEvent(), anEvent()], { expectedRevision: 0 })).toMatchObject({
        nextExpectedRevision: 2,
      });
      expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0, 1, 2]);
    });

    test("refuses no_stream for an existing stream, telling its revision and writing nothing", async ({ store, prefix }) => {
      const stream = `${prefix}order`;
      await store.appendToStream(stream, [anEvent(), anEvent()], { expectedRevision: "no_stream" });
      const before = await store.readStream(stream);

      await expectConcurrencyError(store.appendToStream(stream, [anEvent(), anEvent()], { expectedRevision: "no_stream" }), {
        streamName: stream,
        expected: "no_stream",
        actual: 1,
      });
      expect(await store.readStream(stream)).toEqual(before);
    });

    test("refuses a stale or future revision, telling the actual one", async ({ store, prefix }) => {
      const stream = `${prefix}order`;
      await store.appendToStream(stream, [anEvent(), anEvent()], { expectedRevision: "no_stream" });

      for (const expected of [0, 2]) {
        await expectConcurrencyError(store.appendToStream(stream, [anEvent()], { expectedRevision: expected }), {
          streamName: stream,
          expected,
          actual: 1,
        });
      }
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    test("refuses a revision or stream_exists for a missing stream, telling no_stream", async ({ store, prefix }) => {
      const stream = `${prefix}missing`;
      for (const expected of [0, "stream_exists"] as const) {
        await expectConcurrencyError(store.appendToStream(stream, [anEvent()], { expectedRevision: expected }), {
          streamName: stream,
          expected,
          actual: "no_stream",
        });
      }
      expect(await store.readStream(stream)).toEqual([]);
    });

    test("accepts stream_exists for an existing stream", async ({ store, prefix }) => {
      const stream = `${prefix}order`;
      await store.appendToStream(stream, [anEvent()], { expectedRevision: "no_stream" });
      expect(await store.appendToStream(stream, [anEvent()], { expectedRevision: "stream_exists" })).toMatchObject({
        nextExpectedRevision: 1,
      });
    });

    test("appends with any whether or not the stream exists", async ({ store, prefix }) => {
      const stream = `${prefix}order`;
      for (const revision of [0, 1]) {
        expect(await store.appendToStream(stream, [anEvent()], { expectedRevision: "any" })).toMatchObject({
          nextExpectedRevision: revision,
        });
      }
    });

    test("appends several events together, reporting the last one's revision and position", async ({ store, prefix }) => {
      const stream = `${prefix}order`;
      await store.appendToStream(stream, [anEvent()], { expectedRevision: "no_stream" });
      const events = [anEvent("First"), anEvent("Second"), anEvent("Third")];

      const result = await store.appendToStream(stream, events, { expectedRevision: 0 });

      const recorded = await store.readStream(stream, { fromRevision: 1 });
      expect(recorded.map(({ eventId, revision }) => ({ eventId, revision }))).toEqual(
        events.map(({ eventId }, index) => ({ eventId, revision: index + 1 })),
      );
      expectIncreasingPositions(recorded);
      expect(result).toEqual({ nextExpectedRevision: 3, position: recorded.at(-1)?.position });
    });

    test("lets exactly one of concurrent appends with the same expectation win", async ({ store, prefix }) => {
      const existing = `${prefix}existing`;
      const created = `${prefix}created`;
      await store.appendToStream(existing, [anEvent()], { expectedRevision: "no_stream" });

      for (const [stream, expectedRevision] of [
        [existing, 0],
        [created, "no_stream"],
      ] as const) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.appendToStream(stream, [anEvent(), anEvent()], { expectedRevision })),
        );
        const losers = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
        expect(losers).toHaveLength(7);
        for (const loser of losers) expect(loser).toBeInstanceOf(ConcurrencyError);
      }
      expect(await store.readStream(existing)).toHaveLength(3);
      expect(await store.readStream(created)).toHaveLength(2);
    });

    test("refuses an append of no events with a RangeError", async ({ store, prefix }) => {
      await expect(store.appendToStream(`${prefix}order`, [], { expectedRevision: "any" })).rejects.toThrow(RangeError);
    });
  });
};
