import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretHasher } from "./secretHasher.js";

describe("secret hasher", () => {
  const hasher = createSecretHasher(randomBytes(32));

  it("matches the secret it hashed and nothing else", () => {
    const stored = hasher.hash("s3cret");
    expect(hasher.matches("s3cret", stored)).toBe(true);
    expect(hasher.matches("s3creT", stored)).toBe(false);
    expect(hasher.matches("", stored)).toBe(false);
    expect(hasher.matches("s3cret", "")).toBe(false);
  });

  it("depends on the pepper, so stored hashes are useless without it", () => {
    const other = createSecretHasher(randomBytes(32));
    expect(other.hash("s3cret")).not.toBe(hasher.hash("s3cret"));
    expect(hasher.hash("s3cret")).not.toContain("s3cret");
  });

  it("refuses a short pepper", () => {
    expect(() => createSecretHasher(randomBytes(16))).toThrow(RangeError);
  });
});
