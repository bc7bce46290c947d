import type { ClientApplicationEvent } from "@clientapps/domain";
import { clientApplicationBuilders as b } from "@clientapps/domain/testing";
import { describe, it } from "vitest";
import { AuditSpecification } from "./testing/auditSpecification.js";
import { messagesOf, provenanceOf, secretsIn } from "./testing/eventMessages.js";

/** Secrets, API keys and the registration access token: only ids and fingerprints, never a hash. */

const given = (...events: ClientApplicationEvent[]) => AuditSpecification.given(messagesOf(...events));
const provenance = (events: readonly ClientApplicationEvent[], index: number) => provenanceOf(messagesOf(...events)[index]!);

const endOfGrace = b.after(3600);
const notice = (secretId: string, fingerprint: string, expiresOn: string) => ({ secretId, fingerprint, expiresOn });
const rotated = (gracePeriodSeconds: number, expiresOn: string) =>
  b.secretRotated({ gracePeriodSeconds, supersededSecrets: [notice("secret-1", "…wxyz", expiresOn)] });

describe("the audit consumer, for credentials", () => {
  describe("SecretRotated with a grace period", () => {
    const events = [b.registered(), rotated(3600, endOfGrace)];

    it("records the new secret's fingerprint and the end of the grace, and revokes the old secret from then on", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          {
            ...provenance(events, 1),
            sequence: 2,
            operation: "rotate_secret",
            changes: { secret: { before: ["…wxyz"], after: "…et-2" }, graceEndsOn: { before: null, after: endOfGrace } },
          },
        ],
        revocations: [
          {
            workspaceId: "ws-1",
            sequence: 1,
            eventId: "event-2",
            clientId: "integration",
            reason: "secret_rotated",
            credentialType: "client_secret",
            credentialId: "secret-1",
            fingerprint: "…wxyz",
            revokeFrom: endOfGrace,
          },
        ],
        neverShows: secretsIn(events),
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("SecretRotated without a grace period, and the SecretRetired that follows", () => {
    const events = [b.registered(), rotated(0, b.at), b.secretRetired("secret-1", "…wxyz", b.at)];

    it("revokes the old secret at once, for the rotation and for the retirement", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          {
            sequence: 2,
            operation: "rotate_secret",
            changes: { secret: { before: ["…wxyz"], after: "…et-2" }, graceEndsOn: { before: null, after: b.at } },
          },
          { ...provenance(events, 2), sequence: 3, operation: "retire_secret", changes: { secret: { before: "…wxyz", after: null } } },
        ],
        revocations: [
          {
            sequence: 1,
            eventId: "event-2",
            reason: "secret_rotated",
            credentialType: "client_secret",
            credentialId: "secret-1",
            fingerprint: "…wxyz",
            revokeFrom: b.at,
          },
          {
            sequence: 2,
            eventId: "event-3",
            reason: "secret_retired",
            credentialType: "client_secret",
            credentialId: "secret-1",
            fingerprint: "…wxyz",
            revokeFrom: b.at,
          },
        ],
        neverShows: secretsIn(events),
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("SecretRetired at the end of a grace period", () => {
    const events = [b.registered(), rotated(3600, endOfGrace), b.secretRetired("secret-1", "…wxyz", endOfGrace)];

    it("revokes the retired secret from its retirement", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          { operation: "rotate_secret" },
          { ...provenance(events, 2), sequence: 3, operation: "retire_secret", changes: { secret: { before: "…wxyz", after: null } } },
        ],
        revocations: [
          { sequence: 1, reason: "secret_rotated", revokeFrom: endOfGrace },
          {
            sequence: 2,
            eventId: "event-3",
            reason: "secret_retired",
            credentialType: "client_secret",
            credentialId: "secret-1",
            fingerprint: "…wxyz",
            revokeFrom: endOfGrace,
          },
        ],
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("ApiKeyIssued", () => {
    const events = [b.registered(), b.keyIssued({ expiresOn: b.after(86_400) })];

    it("records the key's id, name, scopes, fingerprint and expiry, and revokes nothing", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          {
            ...provenance(events, 1),
            sequence: 2,
            operation: "issue_api_key",
            changes: {
              apiKey: {
                before: null,
                after: { id: "key-1", name: "CI deploy", scopes: ["clientapps:read"], fingerprint: "…ey-1", expiresOn: b.after(86_400) },
              },
            },
          },
        ],
        revocations: [],
        neverShows: secretsIn(events),
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("ApiKeyRevoked", () => {
    const events = [b.registered(), b.keyIssued(), b.keyRevoked("key-1", b.after(60))];

    it("records the revocation and revokes the key from then on", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          { operation: "issue_api_key" },
          {
            ...provenance(events, 2),
            sequence: 3,
            operation: "revoke_api_key",
            changes: { apiKey: { before: { id: "key-1", fingerprint: "…ey-1" }, after: null } },
          },
        ],
        revocations: [
          {
            sequence: 1,
            eventId: "event-3",
            clientId: "integration",
            reason: "api_key_revoked",
            credentialType: "api_key",
            credentialId: "key-1",
            fingerprint: "…ey-1",
            revokeFrom: b.after(60),
          },
        ],
        neverShows: secretsIn(events),
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("ApiKeyExpired", () => {
    const events = [b.registered(), b.keyIssued({ expiresOn: b.after(60) }), b.keyExpired("key-1", b.after(61))];

    it("records the expiry and revokes the key from when it was recorded", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          { operation: "issue_api_key" },
          {
            ...provenance(events, 2),
            sequence: 3,
            operation: "expire_api_key",
            changes: { apiKey: { before: { id: "key-1", fingerprint: "…ey-1" }, after: null } },
          },
        ],
        revocations: [
          {
            sequence: 1,
            eventId: "event-3",
            reason: "api_key_expired",
            credentialType: "api_key",
            credentialId: "key-1",
            fingerprint: "…ey-1",
            revokeFrom: b.after(61),
          },
        ],
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("RegistrationTokenRotated", () => {
    const events = [b.selfRegistered(), b.tokenRotated()];

    it("records the new token's fingerprint only, and revokes nothing", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          {
            ...provenance(events, 1),
            sequence: 2,
            operation: "rotate_registration_token",
            changes: { registrationToken: { before: null, after: "…on-2" } },
          },
        ],
        revocations: [],
        neverShows: secretsIn(events),
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });

  describe("RegistrationMetadataReplaced", () => {
    const next = b.metadata({
      clientUri: "https://app.example.com",
      contacts: ["ops@example.com"],
      jwks: { keys: [{ kty: "EC", crv: "P-256" }] },
    });
    const events = [b.selfRegistered(), b.metadataReplaced(next)];

    it("records each changed metadata field before and after", async () => {
      await given(...events).then({
        activity: [
          { operation: "create" },
          {
            ...provenance(events, 1),
            sequence: 2,
            operation: "update_registration",
            changes: {
              clientUri: { before: null, after: "https://app.example.com" },
              contacts: { before: [], after: ["ops@example.com"] },
              jwks: { before: null, after: { keys: [{ kty: "EC", crv: "P-256" }] } },
            },
          },
        ],
        revocations: [],
      });
    });

    it("applied twice changes nothing", () => given(...events).thenAppliedTwiceIsTheSame());
  });
});
