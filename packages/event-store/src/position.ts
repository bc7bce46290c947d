/**
 * A place in the global order of all events. Opaque to callers; built from the
 * store's commit and prepare positions (equal for the SQLite store) as fixed-width
 * hex, so that comparing two positions as strings compares them in store order.
 */
export type Position = string & { readonly __brand: "Position" };

const width = 16;
const pattern = /^[0-9a-f]{32}$/;
const max = 2n ** 64n - 1n;

export const Position = {
  of: (commit: bigint, prepare: bigint = commit): Position => {
    // Outside 0..2^64-1 the fixed-width encoding, and with it the ordering, would break.
    if (commit < 0n || prepare < 0n || commit > max || prepare > max) throw new RangeError("positions are 64-bit unsigned");
    return `${commit.toString(16).padStart(width, "0")}${prepare.toString(16).padStart(width, "0")}` as Position;
  },
  parse: (value: string): Position | undefined => (pattern.test(value) ? (value as Position) : undefined),
  commit: (position: Position): bigint => BigInt(`0x${position.slice(0, width)}`),
  prepare: (position: Position): bigint => BigInt(`0x${position.slice(width)}`),
  compare: (a: Position, b: Position): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0),
  /** True when `position` is at or past `target`; an absent position has reached nothing. */
  reached: (position: Position | undefined, target: Position): boolean => position !== undefined && position >= target,
};
