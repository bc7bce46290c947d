import type { EventMessage } from "@clientapps/event-messages";
import type { JsonValue } from "@clientapps/primitives";

type Change = Readonly<{ before: JsonValue; after: JsonValue }>;
type Changes = Record<string, Change>;

/** A record of fields whose values are JSON, or absent (a partial update names only what changed). */
type Fields = Readonly<Record<string, JsonValue | undefined>>;

const orNull = (value: JsonValue | undefined): JsonValue => value ?? null;

const created = (fields: Fields): Changes =>
  Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, { before: null, after: orNull(value) }]));

const diff = (before: Fields, after: Fields): Changes =>
  Object.fromEntries(
    Object.keys(after)
      .filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]))
      .map((name) => [name, { before: orNull(before[name]), after: orNull(after[name]) }]),
  );

/** Each changed field, before and after; credentials appear only as ids and fingerprints. */
export const activityChanges = (message: EventMessage): Changes => {
  switch (message.type) {
    case "ClientRegistered": {
      const {
        displayName,
        description,
        redirectUris,
        isConfidential,
        grantTypes,
        scopes,
        skipAuthorization,
        isActive,
        secret,
        registration,
      } = message.data;
      return {
        ...created({ displayName, description, redirectUris, isConfidential, grantTypes, scopes, skipAuthorization, isActive }),
        ...(secret ? { secret: { before: null, after: secret.fingerprint } } : {}),
        ...(registration ? { registrationToken: { before: null, after: registration.tokenFingerprint } } : {}),
      };
    }
    case "ClientUpdated":
      return diff(message.data.previous, message.data.changes);
    case "ClientActivated":
      return { isActive: { before: false, after: true } };
    case "ClientDeactivated":
      return { isActive: { before: true, after: false } };
    case "SecretRotated": {
      const { supersededSecrets, secret } = message.data;
      return {
        secret: { before: supersededSecrets.map((superseded) => superseded.fingerprint), after: secret.fingerprint },
        graceEndsOn: { before: null, after: supersededSecrets[0]?.expiresOn ?? null },
      };
    }
    case "SecretRetired":
      return { secret: { before: message.data.fingerprint, after: null } };
    case "ApiKeyIssued": {
      const { keyId, name, scopes, fingerprint, expiresOn, issuedByKeyId } = message.data.apiKey;
      const after: Record<string, JsonValue> = { id: keyId, name, scopes, fingerprint, expiresOn };
      if (issuedByKeyId !== undefined) after.issuedByKeyId = issuedByKeyId;
      return { apiKey: { before: null, after } };
    }
    case "ApiKeyRevoked": {
      const { keyId, fingerprint, revokedWithKeyId } = message.data;
      const changes: Changes = { apiKey: { before: { id: keyId, fingerprint }, after: null } };
      // A key that went with its issuer says which revocation took it.
      if (revokedWithKeyId !== undefined) changes.revokedWithIssuer = { before: null, after: revokedWithKeyId };
      return changes;
    }
    case "ApiKeyExpired":
      return { apiKey: { before: { id: message.data.keyId, fingerprint: message.data.fingerprint }, after: null } };
    case "RegistrationTokenRotated":
      return { registrationToken: { before: null, after: message.data.tokenFingerprint } };
    case "RegistrationMetadataReplaced":
      return diff(message.data.previous, message.data.metadata);
    case "ClientDeleted":
    case "WorkspaceDeleted":
      return { deleted: { before: false, after: true } };
    case "WorkspaceCreated":
      return created({ displayName: message.data.displayName, status: "active" });
    case "WorkspaceRenamed":
      return { displayName: { before: message.data.previousDisplayName, after: message.data.displayName } };
    case "WorkspaceSuspended":
      return { status: { before: "active", after: "suspended" } };
    case "WorkspaceResumed":
      return { status: { before: "suspended", after: "active" } };
    case "AdminTokenIssued": {
      const { tokenId, label, scopes, fingerprint, expiresOn } = message.data.adminToken;
      return { adminToken: { before: null, after: { id: tokenId, label, scopes, fingerprint, expiresOn } } };
    }
    case "AdminTokenRevoked":
      return { adminToken: { before: { id: message.data.tokenId, fingerprint: message.data.fingerprint }, after: null } };
  }
};
