import type { CollectionDefinition } from "@clientapps/read-models";
import type { EventMessage } from "@clientapps/relay";

/**
 * What a downstream service must stop accepting, and from when: tokens it
 * minted for this credential (or, for `client`, for the whole client) are
 * invalid from `revokeFrom` on.
 */
export type RevocationEntry = Readonly<{
  workspaceId: string;
  sequence: number;
  eventId: string;
  clientId: string;
  reason: "secret_rotated" | "secret_retired" | "api_key_revoked" | "api_key_expired" | "client_deactivated" | "client_deleted";
  credentialType: "client_secret" | "api_key" | "client";
  credentialId: string;
  fingerprint: string | null;
  revokeFrom: string;
  occurredAt: string;
}>;

export const revocationFeedCollection: CollectionDefinition = {
  name: "revocationFeed",
  indexes: [
    { fields: ["workspaceId", "sequence"], unique: true },
    { fields: ["workspaceId", "clientId", "sequence"] },
  ],
};

export const revocationsTopic = "clientapps.revocations";

export type Revocation = Omit<RevocationEntry, "workspaceId" | "sequence" | "eventId" | "clientId" | "occurredAt">;

/** The revocations an event calls for; most events call for none. */
export const revocationsOf = (message: EventMessage): readonly Revocation[] => {
  const data = message.data as Record<string, string> & { supersededSecrets?: { secretId: string; fingerprint: string; expiresOn: string }[] };
  switch (message.type) {
    case "SecretRotated":
      return (data.supersededSecrets ?? []).map((secret) => ({
        reason: "secret_rotated",
        credentialType: "client_secret",
        credentialId: secret.secretId,
        fingerprint: secret.fingerprint,
        revokeFrom: secret.expiresOn,
      }));
    case "SecretRetired":
      // From when it stopped working, not from when the retirement was recorded.
      return [{ reason: "secret_retired", credentialType: "client_secret", credentialId: data.secretId!, fingerprint: data.fingerprint!, revokeFrom: data.validUntil ?? data.retiredOn! }];
    case "ApiKeyRevoked":
      return [{ reason: "api_key_revoked", credentialType: "api_key", credentialId: data.keyId!, fingerprint: data.fingerprint!, revokeFrom: data.revokedOn! }];
    case "ApiKeyExpired":
      return [{ reason: "api_key_expired", credentialType: "api_key", credentialId: data.keyId!, fingerprint: data.fingerprint!, revokeFrom: data.validUntil ?? data.expiredOn! }];
    case "ClientDeactivated":
      return [{ reason: "client_deactivated", credentialType: "client", credentialId: message.clientId, fingerprint: null, revokeFrom: data.deactivatedOn! }];
    case "ClientDeleted":
      return [{ reason: "client_deleted", credentialType: "client", credentialId: message.clientId, fingerprint: null, revokeFrom: data.deletedOn! }];
    default:
      return [];
  }
};
