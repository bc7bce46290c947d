import { createHash } from "node:crypto";

/** The previous hash of a workspace's first entry. */
export const genesisHash = "0".repeat(64);

/**
 * JSON with object keys sorted at every level (by UTF-16 code units, as `sort` compares
 * strings), so the same content always hashes the same. Undefined goes as JSON.stringify
 * takes it (left out of objects, null in arrays), so an entry hashes the same before it is
 * stored as JSON and after it is read back. Built by appending to one string, as every
 * activity entry of the audit goes through it.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    let json = "[";
    for (let index = 0; index < value.length; index += 1) {
      const inner: unknown = value[index];
      json += `${index === 0 ? "" : ","}${inner === undefined ? "null" : canonicalJson(inner)}`;
    }
    return `${json}]`;
  }
  const record = value as Record<string, unknown>;
  let json = "{";
  for (const key of Object.keys(record).sort()) {
    const inner = record[key];
    if (inner === undefined) continue;
    json += `${json.length === 1 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(inner)}`;
  }
  return `${json}}`;
};

/** SHA-256 over the previous entry's hash and this entry's content (which includes its sequence). */
export const chainHash = (previousHash: string, content: unknown): string =>
  createHash("sha256").update(previousHash).update("\n").update(canonicalJson(content)).digest("hex");
