import type { Position, RecordedEvent } from "@clientapps/event-store";
import type { AllStreamResolvedEvent } from "@kurrent/kurrentdb-client";
import { describe, expect, it } from "vitest";
import { toPosition } from "./mapping.js";
import { readAllPages, type ReadAllPage } from "./readAllPages.js";

// $all in memory, read as the client reads it: from a position, the event there included,
// with the server's filter applied (or, to show the result does not depend on it, not).

type Stored = Readonly<{ streamId: string; type: string }>;

const storeOf = (stored: readonly Stored[]): AllStreamResolvedEvent[] =>
  stored.map(({ streamId, type }, index) => {
    // Commit positions grow by record; prepare positions trail them, as in KurrentDB's log.
    const commit = BigInt(index + 1) * 100n;
    return {
      event: {
        streamId,
        type,
        id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
        isJson: true,
        revision: 0n,
        created: new Date(0),
        data: { index },
        metadata: {},
        position: { commit, prepare: commit - 1n },
      },
    };
  });

const reader =
  (all: readonly AllStreamResolvedEvent[], { inclusive = true, serverFilters = true } = {}) =>
  (streamPrefix?: string): ReadAllPage =>
    async function* (start, maxCount) {
      const positionOf = (resolved: AllStreamResolvedEvent) => toPosition(resolved.event?.position ?? { commit: 0n, prepare: 0n });
      const fromStart = all.filter(
        (resolved) => start === undefined || (inclusive ? positionOf(resolved) >= start : positionOf(resolved) > start),
      );
      const filtered = serverFilters
        ? fromStart.filter(({ event }) =>
            streamPrefix === undefined ? !event?.type.startsWith("$") : event?.streamId.startsWith(streamPrefix),
          )
        : fromStart;
      yield* filtered.slice(0, maxCount);
    };

const indexes = (events: readonly RecordedEvent[]) => events.map((event) => event.data["index"]);

const mixed = storeOf([
  { streamId: "order-1", type: "Ordered" },
  { streamId: "other-1", type: "Happened" },
  { streamId: "order-2", type: "Ordered" },
  { streamId: "$stats-node", type: "$statsCollected" },
  { streamId: "order-1", type: "Paid" },
  { streamId: "order-3", type: "$>" },
  { streamId: "order-3", type: "Ordered" },
]);

const everyPage = async (readPage: ReadAllPage, streamPrefix: string | undefined, maxCount: number) => {
  const pages: (readonly RecordedEvent[])[] = [];
  let after: Position | undefined;
  for (let page = await readAllPages(readPage, { maxCount, streamPrefix }); page.length > 0;) {
    pages.push(page);
    after = page.at(-1)?.position;
    page = await readAllPages(readPage, { after, maxCount, streamPrefix });
  }
  return pages;
};

describe("reading $all page by page", () => {
  it("returns the events strictly after a position, though the read includes the event there", async () => {
    const after = toPosition({ commit: 300n, prepare: 299n });

    const events = await readAllPages(reader(mixed)("order-"), { after, maxCount: 10, streamPrefix: "order-" });

    expect(indexes(events)).toEqual([4, 6]);
  });

  it("returns at most maxCount events even when the event read after is not one of them", async () => {
    const after = toPosition({ commit: 200n, prepare: 199n });

    const events = await readAllPages(reader(mixed)("order-"), { after, maxCount: 1, streamPrefix: "order-" });

    expect(indexes(events)).toEqual([2]);
  });

  it.each([
    ["with a prefix", "order-", [0, 2, 4, 6]],
    ["without a prefix", undefined, [0, 1, 2, 4, 6]],
  ])("goes through every matching event %s, without gaps or repeats, in pages of any size", async (_, prefix, expected) => {
    for (const maxCount of [1, 2, 3, 100]) {
      for (const options of [{}, { inclusive: false }, { serverFilters: false }]) {
        const pages = await everyPage(reader(mixed, options)(prefix), prefix, maxCount);
        expect(indexes(pages.flat())).toEqual(expected);
        expect(pages.slice(0, -1).every((page) => page.length === maxCount)).toBe(true);
      }
    }
  });

  it("reads on when whole pages hold only events it leaves out", async () => {
    const all = storeOf([
      ...Array.from({ length: 7 }, () => ({ streamId: "order-1", type: "$>" })),
      { streamId: "order-1", type: "Ordered" },
    ]);

    expect(indexes(await readAllPages(reader(all)("order-"), { maxCount: 1, streamPrefix: "order-" }))).toEqual([7]);
  });

  it("returns nothing after the last event", async () => {
    const after = toPosition({ commit: 700n, prepare: 699n });
    expect(await readAllPages(reader(mixed)("order-"), { after, maxCount: 5, streamPrefix: "order-" })).toEqual([]);
  });
});
