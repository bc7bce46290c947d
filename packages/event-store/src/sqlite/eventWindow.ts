import type { RecordedEvent } from "../eventStore.js";

/** What a read from the window gave: the matching events, and how far it looked, matching or not. */
export type WindowRead = Readonly<{ events: readonly RecordedEvent[]; through: bigint }>;

/**
 * The newest events of the log held in memory, in position order, so that the store's
 * subscriptions share one read (and one `JSON.parse`) of each event instead of each reading
 * it again: seven subscriptions follow the log in one process. The window holds every event
 * whose position is in (`start`, `end`], and only those; it is filled by unfiltered reads of
 * the log and by the store's own commits, each extending it only from its `end`. Events are
 * shared between readers, and so are never changed once in it.
 */
export type EventWindow = Readonly<{
  /** The positions the window holds every event of, as (start, end]. */
  start: () => bigint;
  end: () => bigint;
  /**
   * The events after `after` that `matches` accepts, at most `maxCount`, and the position read
   * through; `undefined` when `after` is outside the window, which then cannot tell.
   */
  read: (after: bigint, maxCount: number, matches: (streamName: string) => boolean) => WindowRead | undefined;
  /**
   * Adds the log's events right after `end`: `events` must be every event with a position in
   * (`end`, the last one's], in order. The oldest are let go beyond the window's capacity.
   */
  extend: (events: readonly RecordedEvent[], positions: readonly bigint[]) => void;
  /** Empties the window and starts it again at `at`, for readers resuming past its end. */
  restartAt: (at: bigint) => void;
}>;

export const createEventWindow = (capacity: number, start: bigint = -1n): EventWindow => {
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer.");
  // Compacted lazily: `first` is the index of the oldest event still held.
  let events: RecordedEvent[] = [];
  let positions: bigint[] = [];
  let first = 0;
  let from = start;
  let to = start;

  /** The index of the first event held after `after`. */
  const indexAfter = (after: bigint): number => {
    let low = first;
    let high = positions.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((positions[middle] ?? 0n) <= after) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  return {
    start: () => from,
    end: () => to,
    read: (after, maxCount, matches) => {
      if (after < from || after > to) return undefined;
      const found: RecordedEvent[] = [];
      for (let index = indexAfter(after); index < events.length; index += 1) {
        const event = events[index];
        const position = positions[index];
        if (event === undefined || position === undefined) break;
        if (matches(event.streamName)) {
          found.push(event);
          if (found.length === maxCount) return { events: found, through: position };
        }
      }
      return { events: found, through: to };
    },
    restartAt: (at) => {
      events = [];
      positions = [];
      first = 0;
      from = at;
      to = at;
    },
    extend: (added, addedPositions) => {
      if (added.length !== addedPositions.length) throw new RangeError("an event and its position go together.");
      for (const [index, event] of added.entries()) {
        const position = addedPositions[index] ?? 0n;
        if (position <= to) throw new RangeError("the window only grows from its end.");
        events.push(event);
        positions.push(position);
        to = position;
      }
      const excess = events.length - first - capacity;
      if (excess > 0) {
        first += excess;
        from = positions[first - 1] ?? from;
      }
      if (first > capacity) {
        events = events.slice(first);
        positions = positions.slice(first);
        first = 0;
      }
    },
  };
};
