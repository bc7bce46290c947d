import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "../eventStore.js";
import { Position } from "../position.js";
import { createEventWindow } from "./eventWindow.js";

const eventAt = (position: bigint, streamName = "order-1"): RecordedEvent => ({
  eventId: `event-${position}`,
  type: "Happened",
  data: {},
  metadata: {},
  streamName,
  revision: 0,
  position: Position.of(position),
  recordedAt: "2026-12-02T00:00:00.000Z",
});
const all = () => true;
const idsOf = (events: readonly RecordedEvent[]) => events.map((event) => event.eventId);

describe("event window", () => {
  it("serves the events after a position it holds, up to a count, and says how far it looked", () => {
    const window = createEventWindow(10);
    window.extend(
      [1n, 2n, 3n].map((position) => eventAt(position)),
      [1n, 2n, 3n],
    );
    expect(idsOf(window.read(-1n, 2, all)?.events ?? [])).toEqual(["event-1", "event-2"]);
    expect(window.read(-1n, 2, all)?.through).toBe(2n);
    expect(window.read(1n, 10, all)).toMatchObject({ through: 3n });
    expect(window.read(3n, 10, all)).toEqual({ events: [], through: 3n });
  });

  it("looks past the events a reader does not follow", () => {
    const window = createEventWindow(10);
    window.extend([eventAt(1n, "other-1"), eventAt(2n, "order-1"), eventAt(3n, "other-2")], [1n, 2n, 3n]);
    const orders = (streamName: string) => streamName.startsWith("order-");
    expect(window.read(-1n, 5, orders)).toEqual({ events: [eventAt(2n, "order-1")], through: 3n });
    expect(window.read(2n, 5, orders)).toEqual({ events: [], through: 3n });
  });

  it("lets the oldest go beyond its capacity and cannot tell about positions before what it holds", () => {
    const window = createEventWindow(3);
    const positions = [1n, 2n, 3n, 4n, 5n];
    for (const position of positions) window.extend([eventAt(position)], [position]);
    expect([window.start(), window.end()]).toEqual([2n, 5n]);
    expect(window.read(1n, 10, all)).toBeUndefined();
    expect(window.read(6n, 10, all)).toBeUndefined();
    expect(idsOf(window.read(2n, 10, all)?.events ?? [])).toEqual(["event-3", "event-4", "event-5"]);
  });

  it("starts again at a later position, empty", () => {
    const window = createEventWindow(3);
    window.extend([eventAt(1n)], [1n]);
    window.restartAt(7n);
    expect([window.start(), window.end()]).toEqual([7n, 7n]);
    expect(window.read(1n, 10, all)).toBeUndefined();
    expect(window.read(7n, 10, all)).toEqual({ events: [], through: 7n });
    window.extend([eventAt(8n)], [8n]);
    expect(idsOf(window.read(7n, 10, all)?.events ?? [])).toEqual(["event-8"]);
  });

  it("refuses events that would not come after its end", () => {
    const window = createEventWindow(3);
    window.extend([eventAt(2n)], [2n]);
    expect(() => window.extend([eventAt(2n)], [2n])).toThrow(RangeError);
    expect(() => window.extend([eventAt(3n)], [])).toThrow(RangeError);
  });
});
