import { describe, expect, it } from "vitest";
import { credentialKindOf, fingerprintOf, generateCredential } from "./credentialFormat.js";

describe("credential format", () => {
  it("carries a recognisable prefix per kind, 256 random bits and a checksum", () => {
    const key = generateCredential("apiKey");
    expect(key).toMatch(/^ca_key_[0-9A-Za-z]{49}$/);
    expect(credentialKindOf(key)).toBe("apiKey");
    expect(credentialKindOf(generateCredential("clientSecret"))).toBe("clientSecret");
    expect(credentialKindOf(generateCredential("registrationAccessToken"))).toBe("registrationAccessToken");
    expect(credentialKindOf(generateCredential("adminToken"))).toBe("adminToken");
    expect(credentialKindOf(generateCredential("platformToken"))).toBe("platformToken");
  });

  it("never repeats itself", () => {
    const values = new Set(Array.from({ length: 1000 }, () => generateCredential("apiKey")));
    expect(values.size).toBe(1000);
  });

  it("refuses a mistyped credential without any lookup", () => {
    const key = generateCredential("apiKey");
    const body = key.slice("ca_key_".length);
    for (let i = 0; i < body.length; i++) {
      const replacement = body[i] === "a" ? "b" : "a";
      const typo = `ca_key_${body.slice(0, i)}${replacement}${body.slice(i + 1)}`;
      expect(credentialKindOf(typo)).toBeUndefined();
    }
  });

  it("refuses truncated, extended, re-prefixed and foreign values", () => {
    const key = generateCredential("apiKey");
    expect(credentialKindOf(key.slice(0, -1))).toBeUndefined();
    expect(credentialKindOf(`${key}x`)).toBeUndefined();
    expect(credentialKindOf(key.replace("ca_key_", "ca_rat_"))).toBeUndefined();
    expect(credentialKindOf(`Bearer ${key}`)).toBeUndefined();
    expect(credentialKindOf("")).toBeUndefined();
  });

  it("fingerprints with the last four characters only", () => {
    const key = generateCredential("clientSecret");
    expect(fingerprintOf(key)).toBe(`…${key.slice(-4)}`);
  });
});
