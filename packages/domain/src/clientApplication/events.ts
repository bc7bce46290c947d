import type { ApiKey, ClientSecret, Registration, RegistrationMetadata, UpdatableFields } from "./clientApplication.js";

type Identity = Readonly<{ workspaceId: string; clientId: string }>;

/*
 * Credential events carry ids, fingerprints and keyed hashes: never a secret.
 * (The relay strips the hashes too before anything leaves the event store.)
 */

export type ClientRegistered = Readonly<{
  type: "ClientRegistered";
  data: Identity &
    Readonly<{
      displayName: string;
      description: string;
      redirectUris: readonly string[];
      isConfidential: boolean;
      grantTypes: readonly string[];
      scopes: readonly string[];
      skipAuthorization: boolean;
      isActive: boolean;
      /** Hash and fingerprint of the first secret of a confidential client; never the secret. */
      secret: ClientSecret | null;
      /** Present when the client registered itself (RFC 7591). */
      registration?: Registration | null;
      registeredOn: string;
    }>;
}>;

export type ClientUpdated = Readonly<{
  type: "ClientUpdated";
  data: Identity &
    Readonly<{
      /** New values of the fields that changed, and only those. */
      changes: Partial<UpdatableFields>;
      /** Their values before the change, so consumers need no state to show a diff. */
      previous: Partial<UpdatableFields>;
      updatedOn: string;
    }>;
}>;

/**
 * The credentials a reactivation makes valid again: downstream services that refused
 * them since the deactivation must accept them from `activatedOn` on.
 */
export type Reinstated = Readonly<{
  secrets: readonly Readonly<{ secretId: string; fingerprint: string }>[];
  apiKeys: readonly Readonly<{ keyId: string; fingerprint: string }>[];
  registrationToken: boolean;
}>;

export type ClientActivated = Readonly<{
  type: "ClientActivated";
  /** `reinstated` is absent on events written before it was recorded. */
  data: Identity & Readonly<{ activatedOn: string; reinstated?: Reinstated }>;
}>;

export type ClientDeactivated = Readonly<{ type: "ClientDeactivated"; data: Identity & Readonly<{ deactivatedOn: string }> }>;

export type SecretRotated = Readonly<{
  type: "SecretRotated";
  data: Identity &
    Readonly<{
      secret: ClientSecret;
      gracePeriodSeconds: number;
      /** The secrets this rotation put on notice, each with the end of its grace period. */
      supersededSecrets: readonly Readonly<{ secretId: string; fingerprint: string; expiresOn: string }>[];
      rotatedOn: string;
    }>;
}>;

export type SecretRetired = Readonly<{
  type: "SecretRetired";
  data: Identity &
    Readonly<{
      secretId: string;
      fingerprint: string;
      /** When the secret stopped authenticating: the end of its grace period, whenever the retirement is recorded. */
      validUntil: string;
      retiredOn: string;
    }>;
}>;

export type ApiKeyIssued = Readonly<{
  type: "ApiKeyIssued";
  data: Identity & Readonly<{ apiKey: Omit<ApiKey, "revokedOn" | "expiredOn"> }>;
}>;

export type ApiKeyRevoked = Readonly<{
  type: "ApiKeyRevoked";
  data: Identity &
    Readonly<{
      keyId: string;
      fingerprint: string;
      revokedOn: string;
      /** Set when the key went with the revocation of the key that issued it (or of that one's issuer, and so on). */
      revokedWithKeyId?: string;
    }>;
}>;

export type ApiKeyExpired = Readonly<{
  type: "ApiKeyExpired";
  data: Identity &
    Readonly<{
      keyId: string;
      fingerprint: string;
      /** When the key stopped authenticating: its expiry, whenever the expiry is recorded. */
      validUntil: string;
      expiredOn: string;
    }>;
}>;

export type RegistrationTokenRotated = Readonly<{
  type: "RegistrationTokenRotated";
  data: Identity & Readonly<{ tokenHash: string; tokenFingerprint: string; rotatedOn: string }>;
}>;

export type RegistrationMetadataReplaced = Readonly<{
  type: "RegistrationMetadataReplaced";
  data: Identity & Readonly<{ metadata: RegistrationMetadata; previous: RegistrationMetadata; replacedOn: string }>;
}>;

export type ClientDeleted = Readonly<{ type: "ClientDeleted"; data: Identity & Readonly<{ deletedOn: string }> }>;

export type ClientApplicationEvent =
  | ClientRegistered
  | ClientUpdated
  | ClientActivated
  | ClientDeactivated
  | SecretRotated
  | SecretRetired
  | ApiKeyIssued
  | ApiKeyRevoked
  | ApiKeyExpired
  | RegistrationTokenRotated
  | RegistrationMetadataReplaced
  | ClientDeleted;

export type ClientApplicationEventType = ClientApplicationEvent["type"];

/**
 * Every event type, once: the compiler refuses this object when a type of the
 * union is missing or one that is not in it is named, so no list built from it
 * can silently leave an event out.
 */
const eventTypeSet = {
  ClientRegistered: true,
  ClientUpdated: true,
  ClientActivated: true,
  ClientDeactivated: true,
  SecretRotated: true,
  SecretRetired: true,
  ApiKeyIssued: true,
  ApiKeyRevoked: true,
  ApiKeyExpired: true,
  RegistrationTokenRotated: true,
  RegistrationMetadataReplaced: true,
  ClientDeleted: true,
} as const satisfies Record<ClientApplicationEventType, true>;

const isEventTypeName = (name: string): name is ClientApplicationEventType => Object.hasOwn(eventTypeSet, name);

export const clientApplicationEventTypes: readonly [ClientApplicationEventType, ...ClientApplicationEventType[]] = [
  "ClientRegistered",
  ...Object.keys(eventTypeSet)
    .filter(isEventTypeName)
    .filter((name) => name !== "ClientRegistered"),
];

/** Whether this build knows an event type: events of other types come from a newer writer. */
export const isClientApplicationEventType = isEventTypeName;
