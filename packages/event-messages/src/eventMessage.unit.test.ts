import { clientApplicationEventTypes, workspaceEventTypes, type ClientApplicationEvent, type WorkspaceEvent } from "@clientapps/domain";
import { clientApplicationBuilders as b, workspaceBuilders as w } from "@clientapps/domain/testing";
import { eventRecorder } from "@clientapps/event-store/testing";
import { describe, expect, it } from "vitest";
import { EventMessage, messageKey, toEventMessage } from "./eventMessage.js";

/** One event of every type, as the decider makes them. */
const oneOfEach: readonly ClientApplicationEvent[] = [
  b.selfRegistered(),
  b.updated({ displayName: "Renamed" }, { displayName: "Awork integration" }),
  b.deactivated(),
  b.activated(),
  b.secretRotated({
    gracePeriodSeconds: 60,
    supersededSecrets: [{ secretId: "secret-1", fingerprint: "…wxyz", expiresOn: b.after(60) }],
  }),
  b.secretRetired(),
  b.keyIssued(),
  b.keyRevoked(),
  b.keyExpired(),
  b.tokenRotated(),
  b.metadataReplaced(b.metadata({ clientUri: "https://example.com" })),
  b.deleted(),
];

const messageOf = (event: ClientApplicationEvent) => toEventMessage(event, eventRecorder({ firstPosition: 42n }).record(event));

describe("toEventMessage", () => {
  it("covers every event type", () => {
    expect(oneOfEach.map((event) => event.type).sort()).toEqual([...clientApplicationEventTypes].sort());
  });

  it("keys by workspace and client, carries the event id as a header, and reads back through its schema", () => {
    const message = messageOf(b.deleted());
    expect(message.key).toBe(messageKey(b.workspaceId, b.clientId));
    expect(message.headers).toEqual({ "event-id": "event-1", "event-type": "ClientDeleted", "workspace-id": b.workspaceId });
    expect(EventMessage.parse(message.value)).toMatchObject({
      eventId: "event-1",
      type: "ClientDeleted",
      revision: 0,
      position: expect.any(String),
    });
  });

  it.each(oneOfEach.map((event) => [event.type, event] as const))("writes a %s its own schema reads back whole", (_, event) => {
    const message = messageOf(event);
    expect(EventMessage.parse(message.value)).toStrictEqual(message.value);
  });

  it("publishes credential events without their hashes", () => {
    const message = messageOf(b.keyIssued({ hash: "HMAC-OF-THE-KEY", fingerprint: "…abcd" }));
    expect(JSON.stringify(message)).not.toContain("HMAC-OF-THE-KEY");
    expect(JSON.stringify(message)).toContain("…abcd");
  });

  it("refuses a message of a type this build does not know", () => {
    const value = { ...messageOf(b.deleted()).value, type: "ClientRenamedInAFutureVersion" };
    expect(EventMessage.safeParse(value).success).toBe(false);
  });

  it("carries a user's name and e-mail as recorded", () => {
    const actor = { type: "user", id: "user-7", name: "Ada Lovelace", email: "ada@example.com" } as const;
    const recorded = eventRecorder().record(b.deleted(), { actor });
    expect(EventMessage.parse(toEventMessage(b.deleted(), recorded).value).metadata.actor).toEqual(actor);
  });

  it.each([
    ["key_0123456789abcdef", { type: "apiKey", id: "key_0123456789abcdef" }],
    ["cred_0123456789abcdef01234567", { type: "adminToken", id: "cred_0123456789abcdef01234567" }],
    ["registration:integration", { type: "registrationToken", id: "integration" }],
    ["anonymous:203.0.113.7", { type: "anonymous", id: "anonymous" }],
  ])("reads the untyped credential actor %s of an older event as the kind its id names", (id, actor) => {
    const legacy = { ...eventRecorder().record(b.deleted()), metadata: { actor: { type: "credential", id } } };
    expect(EventMessage.parse(toEventMessage(b.deleted(), legacy).value).metadata.actor).toEqual(actor);
    // A message an older relay published reads the same.
    const published = toEventMessage(b.deleted(), eventRecorder().record(b.deleted())).value as Record<string, unknown>;
    const metadata = { ...(published.metadata as object), actor: { type: "credential", id } };
    expect(EventMessage.parse({ ...published, metadata }).metadata.actor).toEqual(actor);
  });

  it("keeps the rest of the metadata when the actor cannot be read", () => {
    const recorded = eventRecorder().record(b.deleted());
    const odd = { ...recorded, metadata: { ...recorded.metadata, actor: { type: "robot", id: "r2" } } };
    const { metadata } = EventMessage.parse(toEventMessage(b.deleted(), odd).value);
    expect(metadata.actor).toEqual({ type: "unknown", id: "unknown" });
    expect(metadata.requestId).toBe(recorded.metadata.requestId);
  });
});

describe("toEventMessage of a workspace's own events", () => {
  const oneOfEachWorkspaceEvent: readonly WorkspaceEvent[] = [
    w.created(),
    w.renamed("Acme Inc."),
    w.suspended(),
    w.resumed(),
    w.deleted(),
    w.issued(w.newToken({ expiresOn: "2026-04-01T00:00:00.000Z" })),
    w.revoked(),
  ];
  const workspaceMessageOf = (event: WorkspaceEvent) => toEventMessage(event, eventRecorder({ firstPosition: 7n }).record(event));

  it("covers every workspace event type", () => {
    expect(oneOfEachWorkspaceEvent.map((event) => event.type).sort()).toEqual([...workspaceEventTypes].sort());
  });

  it.each(oneOfEachWorkspaceEvent.map((event) => [event.type, event] as const))(
    "writes a %s, keyed by its workspace and naming no client, that its schema reads back whole",
    (_, event) => {
      const message = workspaceMessageOf(event);
      expect(message.key).toBe(messageKey(w.workspaceId, null));
      expect(EventMessage.parse(message.value)).toStrictEqual(message.value);
      expect(EventMessage.parse(message.value).clientId).toBeNull();
    },
  );

  it("publishes an issued admin token without its keyed hash", () => {
    const message = workspaceMessageOf(w.issued(w.newToken({ token: { hash: "HMAC-OF-THE-ADMIN-TOKEN", fingerprint: "…zzzz" } })));
    expect(JSON.stringify(message)).not.toContain("HMAC-OF-THE-ADMIN-TOKEN");
    expect(JSON.stringify(message)).toContain("…zzzz");
  });

  it("refuses a workspace event that names a client, and a client event that names none", () => {
    expect(EventMessage.safeParse({ ...workspaceMessageOf(w.suspended()).value, clientId: "x" }).success).toBe(false);
    expect(EventMessage.safeParse({ ...messageOf(b.deleted()).value, clientId: null }).success).toBe(false);
  });
});
