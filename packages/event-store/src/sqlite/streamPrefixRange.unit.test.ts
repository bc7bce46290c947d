import { describe, expect, it } from "vitest";
import { streamPrefixRange } from "./streamPrefixRange.js";

describe("streamPrefixRange", () => {
  it("ends the range at the prefix with its last character incremented", () => {
    expect(streamPrefixRange("order-")).toEqual({ from: "order-", to: "order." });
    expect(streamPrefixRange("a_b%")).toEqual({ from: "a_b%", to: "a_b&" });
    expect(streamPrefixRange("日本")).toEqual({ from: "日本", to: "日札" });
  });

  it("increments a character outside the basic plane as one code point", () => {
    expect(streamPrefixRange("x😀")).toEqual({ from: "x😀", to: "x😁" });
  });

  it("steps over the surrogates, which UTF-8 cannot encode", () => {
    expect(streamPrefixRange("x\ud7ff")).toEqual({ from: "x\ud7ff", to: "x\ue000" });
  });

  it("carries past the last code point", () => {
    expect(streamPrefixRange("ab\u{10ffff}\u{10ffff}")).toEqual({ from: "ab\u{10ffff}\u{10ffff}", to: "ac" });
  });

  it("has no end when nothing sorts after every name with the prefix", () => {
    expect(streamPrefixRange("\u{10ffff}")).toEqual({ from: "\u{10ffff}", to: undefined });
  });
});
