import { createHash } from "node:crypto";

/** The previous hash of a workspace's first entry. */
export const genesisHash = "0".repeat(64);

/**
 * JSON with object keys sorted at every level, so the same content always hashes the same.
 * Undefined goes as JSON.stringify takes it (left out of objects, null in arrays), so an
 * entry hashes the same before it is stored as JSON and after it is read back.
 */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map((inner) => (inner === undefined ? "null" : canonicalJson(inner))).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value);
};

/** SHA-256 over the previous entry's hash and this entry's content (which includes its sequence). */
export const chainHash = (previousHash: string, content: unknown): string =>
  createHash("sha256").update(previousHash).update("\n").update(canonicalJson(content)).digest("hex");
