import type {
  ApiKeyExpired,
  ApiKeyIssued,
  ApiKeyRevoked,
  ClientActivated,
  ClientDeactivated,
  ClientDeleted,
  ClientRegistered,
  ClientSecret,
  ClientUpdated,
  Registration,
  RegistrationMetadata,
  RegistrationMetadataReplaced,
  RegistrationTokenRotated,
  SecretRetired,
  SecretRotated,
  UpdatableFields,
} from "@clientapps/domain";
import type { ClientApplicationView } from "../clientApplicationView.js";

/** Test data for the client-application projection: events of one client unless told otherwise. */

export type Target = Readonly<{ workspaceId: string; clientId: string }>;

export const target: Target = { workspaceId: "ws-1", clientId: "integration" };

export const registeredOn = "2025-03-14T16:40:40.100Z";
export const changedOn = "2025-03-25T11:15:00.100Z";

export const aSecret = (overrides: Partial<ClientSecret> = {}): ClientSecret => ({
  secretId: "secret-1",
  hash: "hmac-sha256-of-the-secret",
  fingerprint: "…wxyz",
  createdOn: registeredOn,
  expiresOn: null,
  ...overrides,
});

/** What a confidential authorization-code client is registered with, besides its secret and date. */
const registrationFields = {
  ...target,
  displayName: "Awork integration",
  description: "",
  redirectUris: ["https://app.example.com/callback"],
  isConfidential: true,
  grantTypes: ["authorization_code", "refresh_token"],
  scopes: ["read:organization"],
  skipAuthorization: false,
  isActive: true,
} as const;

/** A confidential authorization-code client, as it was registered. */
export const registered = (overrides: Partial<ClientRegistered["data"]> = {}): ClientRegistered => ({
  type: "ClientRegistered",
  data: { ...registrationFields, secret: aSecret(), registeredOn, ...overrides },
});

/** A public client: registered without a secret. */
export const registeredPublic = (overrides: Partial<ClientRegistered["data"]> = {}): ClientRegistered =>
  registered({ isConfidential: false, secret: null, ...overrides });

export const updated = (
  changes: Partial<UpdatableFields>,
  previous: Partial<UpdatableFields>,
  on = changedOn,
  who: Target = target,
): ClientUpdated => ({ type: "ClientUpdated", data: { ...who, changes, previous, updatedOn: on } });

export const activated = (on = changedOn, who: Target = target): ClientActivated => ({
  type: "ClientActivated",
  data: { ...who, activatedOn: on },
});

export const deactivated = (on = changedOn, who: Target = target): ClientDeactivated => ({
  type: "ClientDeactivated",
  data: { ...who, deactivatedOn: on },
});

export const deleted = (on = changedOn, who: Target = target): ClientDeleted => ({
  type: "ClientDeleted",
  data: { ...who, deletedOn: on },
});

/** An event a newer writer might append, which this build does not know. */
export const ofUnknownType = (who: Target = target) =>
  ({ type: "ClientRenamedInAFutureVersion", data: { ...who, displayName: "From the future" } }) as const;

/** The document {@link registered} (without overrides) leaves in the read model. */
export const registeredView: ClientApplicationView = {
  ...registrationFields,
  secrets: [aSecret()],
  apiKeys: [],
  registration: null,
  createdOn: registeredOn,
  updatedOn: registeredOn,
  deleted: false,
  deletedOn: null,
};

/* Credentials: secrets, API keys and the registration of a client that registered itself. */

export const secretRotated = (secret: ClientSecret, supersededUntil: string, on = changedOn): SecretRotated => ({
  type: "SecretRotated",
  data: {
    ...target,
    secret,
    gracePeriodSeconds: 3600,
    supersededSecrets: [{ secretId: aSecret().secretId, fingerprint: aSecret().fingerprint, expiresOn: supersededUntil }],
    rotatedOn: on,
  },
});

export const secretRetired = (secret: ClientSecret, on = changedOn): SecretRetired => ({
  type: "SecretRetired",
  data: { ...target, secretId: secret.secretId, fingerprint: secret.fingerprint, validUntil: secret.expiresOn ?? on, retiredOn: on },
});

export const anApiKey = (keyId = "key-1"): ApiKeyIssued["data"]["apiKey"] => ({
  keyId,
  name: "CI deploy",
  scopes: ["clientapps:read"],
  hash: `hmac-sha256-of-${keyId}`,
  fingerprint: `…${keyId.slice(-4)}`,
  createdOn: changedOn,
  expiresOn: null,
});

export const keyIssued = (keyId = "key-1"): ApiKeyIssued => ({
  type: "ApiKeyIssued",
  data: { ...target, apiKey: anApiKey(keyId) },
});

export const keyRevoked = (keyId = "key-1", on = changedOn): ApiKeyRevoked => ({
  type: "ApiKeyRevoked",
  data: { ...target, keyId, fingerprint: anApiKey(keyId).fingerprint, revokedOn: on },
});

export const keyExpired = (keyId = "key-1", on = changedOn): ApiKeyExpired => ({
  type: "ApiKeyExpired",
  data: { ...target, keyId, fingerprint: anApiKey(keyId).fingerprint, validUntil: on, expiredOn: on },
});

export const registrationMetadata = (overrides: Partial<RegistrationMetadata> = {}): RegistrationMetadata => ({
  tokenEndpointAuthMethod: "client_secret_basic",
  responseTypes: ["code"],
  clientUri: null,
  logoUri: null,
  tosUri: null,
  policyUri: null,
  contacts: [],
  jwksUri: null,
  jwks: null,
  softwareId: null,
  softwareVersion: null,
  ...overrides,
});

export const aRegistration: Registration = {
  tokenHash: "hmac-sha256-of-registration-1",
  tokenFingerprint: "…on-1",
  tokenIssuedOn: registeredOn,
  metadata: registrationMetadata(),
};

/** The client of {@link registered}, registered through RFC 7591. */
export const selfRegistered = (): ClientRegistered => registered({ registration: aRegistration });

export const tokenRotated = (on = changedOn): RegistrationTokenRotated => ({
  type: "RegistrationTokenRotated",
  data: { ...target, tokenHash: "hmac-sha256-of-registration-2", tokenFingerprint: "…on-2", rotatedOn: on },
});

export const metadataReplaced = (next: RegistrationMetadata, on = changedOn): RegistrationMetadataReplaced => ({
  type: "RegistrationMetadataReplaced",
  data: { ...target, metadata: next, previous: registrationMetadata(), replacedOn: on },
});
