import { describe, expect, it } from "vitest";
import { Position } from "./position.js";

const maxCommit = 2n ** 64n - 1n;

describe("Position", () => {
  it("orders as strings the way its numbers order, across every change of digit count", () => {
    const commits = [0n, 1n, 9n, 10n, 15n, 16n, 255n, 256n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, maxCommit];
    const positions = commits.map((commit) => Position.of(commit));

    expect([...positions].reverse().sort()).toEqual(positions);
    for (const [index, position] of positions.entries()) {
      const next = positions[index + 1];
      if (next !== undefined) expect(Position.compare(position, next)).toBe(-1);
    }
  });

  it("orders by commit first, then by prepare", () => {
    expect(Position.compare(Position.of(1n, 2n ** 40n), Position.of(2n, 0n))).toBe(-1);
    expect(Position.compare(Position.of(5n, 3n), Position.of(5n, 4n))).toBe(-1);
    expect(Position.compare(Position.of(5n, 4n), Position.of(5n, 4n))).toBe(0);
    expect(Position.compare(Position.of(6n, 0n), Position.of(5n, 9n))).toBe(1);
  });

  it("gives back the commit and prepare it was made of", () => {
    for (const [commit, prepare] of [
      [0n, 0n],
      [42n, 41n],
      [2n ** 53n + 1n, 2n ** 53n],
      [maxCommit, maxCommit],
    ] as const) {
      const position = Position.of(commit, prepare);
      expect(Position.commit(position)).toBe(commit);
      expect(Position.prepare(position)).toBe(prepare);
    }
  });

  it("takes the commit as the prepare when no prepare is given", () => {
    const position = Position.of(300n);
    expect(Position.prepare(position)).toBe(300n);
    expect(position).toBe(Position.of(300n, 300n));
  });

  it("refuses negative commits and prepares", () => {
    expect(() => Position.of(-1n)).toThrow(RangeError);
    expect(() => Position.of(1n, -1n)).toThrow(RangeError);
  });

  it("refuses values beyond 64 bits, whose encoding would sort wrongly", () => {
    expect(Position.of(2n ** 64n - 1n)).toBe("f".repeat(32));
    expect(() => Position.of(2n ** 64n)).toThrow(RangeError);
    expect(() => Position.of(0n, 2n ** 64n)).toThrow(RangeError);
  });

  it("parses what it made and nothing else", () => {
    const position = Position.of(123_456_789n, 123_456_700n);
    expect(Position.parse(position)).toBe(position);
    for (const junk of [
      "",
      "junk",
      "0",
      position.slice(1),
      `${position}0`,
      position.toUpperCase(),
      ` ${position}`,
      `0x${position.slice(2)}`,
      `${position.slice(0, -1)}g`,
      "-".padEnd(32, "0"),
    ]) {
      expect(Position.parse(junk), junk).toBeUndefined();
    }
  });

  it("counts a position as reached at or past the target, and an absent one as reaching nothing", () => {
    const target = Position.of(10n);
    expect(Position.reached(Position.of(10n), target)).toBe(true);
    expect(Position.reached(Position.of(11n), target)).toBe(true);
    expect(Position.reached(Position.of(9n, 20n), target)).toBe(false);
    expect(Position.reached(undefined, target)).toBe(false);
  });
});
