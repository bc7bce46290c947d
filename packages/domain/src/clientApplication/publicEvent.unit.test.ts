import { describe, expect, it } from "vitest";
import type { ClientApplicationEvent } from "./events.js";
import { publicEvent } from "./publicEvent.js";
import { keyIssued, registered, secretRotated, selfRegistered, tokenRotated } from "./testing/builders.js";

/** Every keyed hash an event can carry, found anywhere in a value. */
const hashesIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(hashesIn);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (/hash/i.test(key) ? [key] : hashesIn(inner)));
};

describe("publicEvent", () => {
  const rotated = secretRotated({
    gracePeriodSeconds: 60,
    supersededSecrets: [{ secretId: "secret-1", fingerprint: "…wxyz", expiresOn: "2030-01-01T00:00:00.000Z" }],
  });
  const withHashes: readonly ClientApplicationEvent[] = [registered(), selfRegistered(), rotated, keyIssued(), tokenRotated()];

  it.each(withHashes.map((event) => [event.type, event] as const))("keeps no hash of a %s", (_, event) => {
    expect(hashesIn(event.data).length, "the fixture carries a hash").toBeGreaterThan(0);
    expect(hashesIn(publicEvent(event))).toEqual([]);
    expect(publicEvent(event).type).toBe(event.type);
  });

  it("keeps the facts: ids, fingerprints and times", () => {
    const event = publicEvent(registered());
    if (event.type !== "ClientRegistered") throw new Error(`expected ClientRegistered, got ${event.type}`);
    expect(event.data.clientId).toBe(registered().data.clientId);
    expect(event.data.secret).toEqual({
      secretId: "secret-1",
      fingerprint: "…wxyz",
      createdOn: registered().data.registeredOn,
      expiresOn: null,
    });
  });
});
