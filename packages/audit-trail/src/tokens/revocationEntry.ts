import type { CollectionDefinition } from "@clientapps/read-models";
import type { EventMessage } from "@clientapps/event-messages";

/**
 * What a downstream service must stop accepting, and from when: tokens it
 * minted for this credential (or, for `client`, for the whole client; for
 * `workspace`, for every credential of the workspace) are invalid from `revokeFrom` on.
 */
export type RevocationEntry = Readonly<{
  workspaceId: string;
  sequence: number;
  eventId: string;
  /** Null for a workspace's own events (its suspension, its admin tokens). */
  clientId: string | null;
  reason:
    | "secret_rotated"
    | "secret_retired"
    | "api_key_revoked"
    /** Revoked because the key that issued it (or that one's issuer) was. */
    | "api_key_revoked_with_issuer"
    | "api_key_expired"
    | "client_deactivated"
    /**
     * Not a revocation but its end: the client is active again, and from `revokeFrom`
     * on the credentials in `reinstated` work again, so downstream stops refusing them.
     */
    | "client_reactivated"
    | "client_deleted"
    /** Every credential of the workspace stops: admin tokens, API keys, client secrets, registration tokens. */
    | "workspace_suspended"
    /** The end of a suspension: from `revokeFrom` on, the workspace's credentials that still hold on their own work again. */
    | "workspace_resumed"
    | "workspace_deleted"
    | "admin_token_revoked";
  credentialType: "client_secret" | "api_key" | "client" | "workspace" | "admin_token";
  credentialId: string;
  fingerprint: string | null;
  revokeFrom: string;
  /** For `client_reactivated`: what became valid again (absent when the event did not record it). */
  reinstated?: Reinstated;
  occurredAt: string;
}>;

export type Reinstated = Readonly<{
  secrets: readonly Readonly<{ secretId: string; fingerprint: string }>[];
  apiKeys: readonly Readonly<{ keyId: string; fingerprint: string }>[];
  registrationToken: boolean;
}>;

export const revocationFeedCollection: CollectionDefinition = {
  name: "revocationFeed",
  indexes: [{ fields: ["workspaceId", "sequence"], unique: true }, { fields: ["workspaceId", "clientId", "sequence"] }],
};

export type Revocation = Omit<RevocationEntry, "workspaceId" | "sequence" | "eventId" | "clientId" | "occurredAt">;

const workspaceWide = (reason: Revocation["reason"], workspaceId: string, revokeFrom: string): Revocation => ({
  reason,
  credentialType: "workspace",
  credentialId: workspaceId,
  fingerprint: null,
  revokeFrom,
});

/** The revocations an event calls for; most events call for none. */
export const revocationsOf = (message: EventMessage): readonly Revocation[] => {
  switch (message.type) {
    case "SecretRotated":
      return message.data.supersededSecrets.map((secret) => ({
        reason: "secret_rotated",
        credentialType: "client_secret",
        credentialId: secret.secretId,
        fingerprint: secret.fingerprint,
        revokeFrom: secret.expiresOn,
      }));
    case "SecretRetired": {
      const { secretId, fingerprint, validUntil } = message.data;
      // From when it stopped working, not from when the retirement was recorded.
      return [{ reason: "secret_retired", credentialType: "client_secret", credentialId: secretId, fingerprint, revokeFrom: validUntil }];
    }
    case "ApiKeyRevoked": {
      const { keyId, fingerprint, revokedOn, revokedWithKeyId } = message.data;
      const reason = revokedWithKeyId === undefined ? "api_key_revoked" : "api_key_revoked_with_issuer";
      return [{ reason, credentialType: "api_key", credentialId: keyId, fingerprint, revokeFrom: revokedOn }];
    }
    case "ApiKeyExpired": {
      const { keyId, fingerprint, validUntil } = message.data;
      return [{ reason: "api_key_expired", credentialType: "api_key", credentialId: keyId, fingerprint, revokeFrom: validUntil }];
    }
    case "ClientDeactivated":
      return [
        {
          reason: "client_deactivated",
          credentialType: "client",
          credentialId: message.clientId,
          fingerprint: null,
          revokeFrom: message.data.deactivatedOn,
        },
      ];
    case "ClientDeleted":
      return [
        {
          reason: "client_deleted",
          credentialType: "client",
          credentialId: message.clientId,
          fingerprint: null,
          revokeFrom: message.data.deletedOn,
        },
      ];
    case "ClientActivated": {
      const { activatedOn, reinstated } = message.data;
      return [
        {
          reason: "client_reactivated",
          credentialType: "client",
          credentialId: message.clientId,
          fingerprint: null,
          revokeFrom: activatedOn,
          ...(reinstated === undefined ? {} : { reinstated }),
        },
      ];
    }
    case "WorkspaceSuspended":
      return [workspaceWide("workspace_suspended", message.workspaceId, message.data.suspendedOn)];
    case "WorkspaceResumed":
      return [workspaceWide("workspace_resumed", message.workspaceId, message.data.resumedOn)];
    case "WorkspaceDeleted":
      return [workspaceWide("workspace_deleted", message.workspaceId, message.data.deletedOn)];
    case "AdminTokenRevoked": {
      const { tokenId, fingerprint, revokedOn } = message.data;
      return [{ reason: "admin_token_revoked", credentialType: "admin_token", credentialId: tokenId, fingerprint, revokeFrom: revokedOn }];
    }
    case "ClientRegistered":
    case "ClientUpdated":
    case "ApiKeyIssued":
    case "RegistrationTokenRotated":
    case "RegistrationMetadataReplaced":
    case "WorkspaceCreated":
    case "WorkspaceRenamed":
    case "AdminTokenIssued":
      return [];
  }
};
