import type { ClientApplicationEvent } from "@clientapps/domain";
import { clientApplicationBuilders as b } from "@clientapps/domain/testing";
import { eventsTopic } from "@clientapps/event-messages";
import { describe, expect, it } from "vitest";
import { actorOfEntry } from "./activity/activityEntry.js";
import { genesisHash } from "./activity/hashChain.js";
import { AuditSpecification } from "./testing/auditSpecification.js";
import { eventLog, inWorkspace, messagesOf, provenanceOf, secretsIn } from "./testing/eventMessages.js";

/** The client-application lifecycle in the activity stream and the revocation feed. */

const given = (...events: ClientApplicationEvent[]) => AuditSpecification.given(messagesOf(...events));
const provenance = (events: readonly ClientApplicationEvent[], index: number) => provenanceOf(messagesOf(...events)[index]!);

/** The changes of {@link b.registered}'s client; `secret` and `registrationToken` as the test says. */
const registeredFields = {
  displayName: { before: null, after: "Awork integration" },
  description: { before: null, after: "" },
  redirectUris: { before: null, after: ["https://app.example.com/callback"] },
  isConfidential: { before: null, after: true },
  grantTypes: { before: null, after: ["authorization_code", "refresh_token"] },
  scopes: { before: null, after: ["read:organization"] },
  skipAuthorization: { before: null, after: false },
  isActive: { before: null, after: true },
};

describe("the audit consumer, for the client-application lifecycle", () => {
  describe("ClientRegistered, confidential", () => {
    const events = [b.registered()];

    it("records who created the client from where, its fields and only its secret's fingerprint", async () => {
      await given(...events).then({
        activity: [
          {
            workspaceId: "ws-1",
            sequence: 1,
            eventId: "event-1",
            eventType: "ClientRegistered",
            operation: "create",
            occurredAt: "2025-03-25T11:15:00.993Z",
            recordedAt: "2025-03-25T11:15:01.000Z",
            actorType: "adminToken",
            actorId: "cred-admin",
            objectType: "clientApplication",
            objectId: "integration",
            requestId: "req-1",
            correlationId: "corr-1",
            sourceIp: "203.0.113.7",
            userAgent: "awork-cli/2.4.1",
            previousHash: genesisHash,
            changes: { ...registeredFields, secret: { before: null, after: "…wxyz" } },
          },
        ],
        revocations: [],
        neverShows: secretsIn(events),
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("ClientRegistered, public", () => {
    const events = [b.registeredPublic()];

    it("records the fields, and no secret", async () => {
      await given(...events).then({
        activity: [
          {
            ...provenance(events, 0),
            sequence: 1,
            operation: "create",
            changes: { ...registeredFields, isConfidential: { before: null, after: false } },
          },
        ],
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("ClientRegistered through dynamic registration", () => {
    const events = [b.selfRegistered()];

    it("records the registration access token by its fingerprint only", async () => {
      await given(...events).then({
        activity: [
          {
            ...provenance(events, 0),
            operation: "create",
            changes: {
              ...registeredFields,
              secret: { before: null, after: "…wxyz" },
              registrationToken: { before: null, after: "…on-1" },
            },
          },
        ],
        neverShows: secretsIn(events),
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("ClientUpdated", () => {
    const events = [
      b.registered(),
      b.updated(
        { displayName: "Awork sync", scopes: ["read:organization", "write:tasks"] },
        { displayName: "Awork integration", scopes: ["read:organization"] },
      ),
    ];

    it("records each changed field before and after", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          {
            ...provenance(events, 1),
            sequence: 2,
            operation: "update",
            changes: {
              displayName: { before: "Awork integration", after: "Awork sync" },
              scopes: { before: ["read:organization"], after: ["read:organization", "write:tasks"] },
            },
          },
        ],
        revocations: [],
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("ClientDeactivated", () => {
    const events = [b.registered(), b.deactivated()];

    it("records the deactivation and revokes every token of the client from then on", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          { ...provenance(events, 1), sequence: 2, operation: "deactivate", changes: { isActive: { before: true, after: false } } },
        ],
        revocations: [
          {
            workspaceId: "ws-1",
            sequence: 1,
            eventId: "event-2",
            clientId: "integration",
            reason: "client_deactivated",
            credentialType: "client",
            credentialId: "integration",
            fingerprint: null,
            revokeFrom: b.at,
            occurredAt: provenance(events, 1).occurredAt,
          },
        ],
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("ClientActivated", () => {
    const events = [b.registered(), b.deactivated(), b.activated(b.after(60))];

    it("records the activation and tells the revocation feed what works again, and from when (client_reactivated)", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          { operation: "deactivate" },
          { ...provenance(events, 2), sequence: 3, operation: "activate", changes: { isActive: { before: false, after: true } } },
        ],
        revocations: [
          { sequence: 1, eventId: "event-2", reason: "client_deactivated" },
          {
            workspaceId: "ws-1",
            sequence: 2,
            eventId: "event-3",
            clientId: "integration",
            reason: "client_reactivated",
            credentialType: "client",
            credentialId: "integration",
            fingerprint: null,
            revokeFrom: b.after(60),
            reinstated: b.reinstatedSecretOnly,
            occurredAt: provenance(events, 2).occurredAt,
          },
        ],
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("ClientDeleted", () => {
    const events = [b.registered(), b.deleted()];

    it("records the deletion and revokes every token of the client from then on", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          { ...provenance(events, 1), sequence: 2, operation: "delete", changes: { deleted: { before: false, after: true } } },
        ],
        revocations: [
          {
            sequence: 1,
            eventId: "event-2",
            clientId: "integration",
            reason: "client_deleted",
            credentialType: "client",
            credentialId: "integration",
            fingerprint: null,
            revokeFrom: b.at,
          },
        ],
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });
});

describe("the audit consumer, for who made the change", () => {
  const log = eventLog();
  const messages = [
    log.record(b.registered(), { actor: { type: "user", id: "user-7", name: "Ada Lovelace", email: "ada@example.com" } }),
    log.record(b.keyIssued(), { actor: { type: "user", id: "user-8", name: null, email: null } }),
    log.record(b.keyRevoked(), { actor: { type: "apiKey", id: "key_0123456789abcdef" } }),
  ];

  it("records a user by subject, with the name and e-mail their token carried, and a credential by kind and id", async () => {
    const outcome = await AuditSpecification.given(messages).then({
      activity: [
        { sequence: 1, actorType: "user", actorId: "user-7", actorName: "Ada Lovelace", actorEmail: "ada@example.com" },
        { sequence: 2, actorType: "user", actorId: "user-8" },
        { sequence: 3, actorType: "apiKey", actorId: "key_0123456789abcdef" },
      ],
      revocations: [{ sequence: 1, eventId: "event-3", reason: "api_key_revoked" }],
    });
    const [, nameless] = outcome.activity.map(({ document }) => document);
    expect(nameless && ("actorName" in nameless || "actorEmail" in nameless), "no name or e-mail claimed: none recorded").toBe(false);
  });

  it("reads an entry recorded before actors had types as the credential kind its id names", () => {
    expect(actorOfEntry({ actorType: "credential", actorId: "key_0123456789abcdef" })).toEqual({
      type: "apiKey",
      id: "key_0123456789abcdef",
    });
    expect(actorOfEntry({ actorType: "credential", actorId: "cred_0123" })).toEqual({ type: "adminToken", id: "cred_0123" });
    expect(actorOfEntry({ actorType: "user", actorId: "user-7", actorName: "Ada" })).toEqual({
      type: "user",
      id: "user-7",
      name: "Ada",
      email: null,
    });
  });

  it("applied twice changes nothing", () => AuditSpecification.given(messages).thenAppliedTwiceIsTheSame());
});

describe("the audit consumer, across workspaces and messages", () => {
  // The same client id in two workspaces, their events interleaved on the bus.
  const interleaved = [
    b.registered(),
    inWorkspace(b.registered(), "ws-2"),
    inWorkspace(b.deactivated(), "ws-2"),
    b.keyIssued(),
    b.keyRevoked(),
    inWorkspace(b.deleted(), "ws-2"),
    b.deleted(),
  ];

  it("numbers and chains each workspace's entries on their own, from 1", async () => {
    const outcome = await given(...interleaved).then({
      activity: [
        { workspaceId: "ws-1", sequence: 1, eventId: "event-1", operation: "create", previousHash: genesisHash },
        { workspaceId: "ws-1", sequence: 2, eventId: "event-4", operation: "issue_api_key" },
        { workspaceId: "ws-1", sequence: 3, eventId: "event-5", operation: "revoke_api_key" },
        { workspaceId: "ws-1", sequence: 4, eventId: "event-7", operation: "delete" },
        { workspaceId: "ws-2", sequence: 1, eventId: "event-2", operation: "create", previousHash: genesisHash },
        { workspaceId: "ws-2", sequence: 2, eventId: "event-3", operation: "deactivate" },
        { workspaceId: "ws-2", sequence: 3, eventId: "event-6", operation: "delete" },
      ],
      revocations: [
        { workspaceId: "ws-1", sequence: 1, eventId: "event-5", reason: "api_key_revoked" },
        { workspaceId: "ws-1", sequence: 2, eventId: "event-7", reason: "client_deleted" },
        { workspaceId: "ws-2", sequence: 1, eventId: "event-3", reason: "client_deactivated" },
        { workspaceId: "ws-2", sequence: 2, eventId: "event-6", reason: "client_deleted" },
      ],
    });
    const [first, , , , second] = outcome.activity.map(({ document }) => document);
    expect(first?.hash, "the same event in two workspaces hashes differently").not.toBe(second?.hash);
    expect(outcome.anchors.map(({ id, document }) => [id, document.sequence])).toEqual([
      ["ws-1", 4],
      ["ws-2", 3],
    ]);
  });

  it("applied twice changes nothing", () => given(...interleaved).thenAppliedTwiceIsTheSame());

  describe("an unreadable message", () => {
    const log = eventLog();
    const registered = log.record(b.registered());
    const updated = log.record(b.updated({ description: "Syncs tasks" }, { description: "" }));
    const rotated = log.record(b.secretRotated({ gracePeriodSeconds: 0, supersededSecrets: [] }));
    const messages = [
      { key: "ws-1:integration", value: { hello: "world" } },
      registered,
      { ...updated, value: { ...updated.value, type: "ClientRenamed" } },
      // The envelope is fine; the data is not what its type says, which the schema of that type refuses.
      { ...rotated, value: { ...rotated.value, data: { ...(rotated.value.data as object), supersededSecrets: "secret-1" } } },
      updated,
    ];

    it("is logged with its place and skipped, and the next one goes through", async () => {
      const outcome = await AuditSpecification.given(messages).then({
        activity: [
          { sequence: 1, eventId: "event-1", operation: "create" },
          { sequence: 2, eventId: "event-2", operation: "update", changes: { description: { before: "", after: "Syncs tasks" } } },
        ],
        skipped: 3,
      });
      const skipped = outcome.logs.filter((line) => line.msg === "unreadable event message skipped");
      expect(skipped).toMatchObject([
        { level: "error", component: "audit", topic: eventsTopic, partition: 0, offset: 0, problem: expect.stringContaining("schema") },
        { level: "error", component: "audit", topic: eventsTopic, partition: 0, offset: 2, problem: expect.stringContaining("schema") },
        { level: "error", component: "audit", topic: eventsTopic, partition: 0, offset: 3, problem: expect.stringContaining("schema") },
      ]);
    });

    it("applied twice changes nothing", () => AuditSpecification.given(messages).thenAppliedTwiceIsTheSame());
  });
});
