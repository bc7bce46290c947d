import { DeciderSpecification } from "../../testing/index.js";
import type { ApiKey, ClientSecret, ImmutableFields, Registration, RegistrationMetadata, UpdatableFields } from "../clientApplication.js";
import type {
  ActivateClient,
  DeactivateClient,
  DeleteClient,
  ExpireApiKey,
  HashedToken,
  IssueApiKey,
  MergePatch,
  PatchClient,
  RegisterClient,
  ReplaceRegistration,
  RetireSecret,
  RevokeApiKey,
  RotateSecret,
  UpdateClient,
} from "../commands.js";
import type {
  ApiKeyExpired,
  ApiKeyIssued,
  ApiKeyRevoked,
  ClientActivated,
  Reinstated,
  ClientDeactivated,
  ClientDeleted,
  ClientRegistered,
  ClientUpdated,
  RegistrationMetadataReplaced,
  RegistrationTokenRotated,
  SecretRetired,
  SecretRotated,
} from "../events.js";
import { clientApplicationDecider } from "../index.js";
import { defaultRegistrationMetadata } from "../registration.js";

/** Test data for the client-application decider: one client, one fixed clock. */

export const spec = DeciderSpecification.for(clientApplicationDecider);

export const workspaceId = "ws-1";
export const clientId = "integration";
/** A client's identity: the events and commands here are of {@link target} unless told otherwise. */
export type Target = Readonly<{ workspaceId: string; clientId: string }>;
export const target = { workspaceId, clientId } as const;

/** The time every command is decided at. */
export const now = new Date("2025-03-25T11:15:00.100Z");
export const at = now.toISOString();
/** When the client of the given events was registered, earlier than {@link now}. */
export const registeredOn = "2025-03-14T16:40:40.100Z";

/** The time `seconds` after {@link now} (before it when negative). */
export const after = (seconds: number): string => new Date(now.getTime() + seconds * 1000).toISOString();

export const aSecret = (overrides: Partial<ClientSecret> = {}): ClientSecret => ({
  secretId: "secret-1",
  hash: "hmac-sha256-of-the-secret",
  fingerprint: "…wxyz",
  createdOn: registeredOn,
  expiresOn: null,
  ...overrides,
});

/** A confidential authorization-code client, as it was registered. */
export const registered = (overrides: Partial<ClientRegistered["data"]> = {}): ClientRegistered => ({
  type: "ClientRegistered",
  data: {
    ...target,
    displayName: "Awork integration",
    description: "",
    redirectUris: ["https://app.example.com/callback"],
    isConfidential: true,
    grantTypes: ["authorization_code", "refresh_token"],
    scopes: ["read:organization"],
    skipAuthorization: false,
    isActive: true,
    secret: aSecret(),
    registeredOn,
    ...overrides,
  },
});

/** A public (native or browser) client: no secret. */
export const registeredPublic = (overrides: Partial<ClientRegistered["data"]> = {}): ClientRegistered =>
  registered({ isConfidential: false, secret: null, ...overrides });

export const updated = (
  changes: Partial<UpdatableFields>,
  previous: Partial<UpdatableFields>,
  updatedOn = at,
  who: Target = target,
): ClientUpdated => ({
  type: "ClientUpdated",
  data: { ...who, changes, previous, updatedOn },
});

/** What the client of {@link registered} makes valid again when it is reactivated: its one secret. */
export const reinstatedSecretOnly: Reinstated = {
  secrets: [{ secretId: "secret-1", fingerprint: "…wxyz" }],
  apiKeys: [],
  registrationToken: false,
};

export const activated = (activatedOn = at, who: Target = target, reinstated: Reinstated = reinstatedSecretOnly): ClientActivated => ({
  type: "ClientActivated",
  data: { ...who, activatedOn, reinstated },
});

export const deactivated = (deactivatedOn = at, who: Target = target): ClientDeactivated => ({
  type: "ClientDeactivated",
  data: { ...who, deactivatedOn },
});

export const deleted = (deletedOn = at, who: Target = target): ClientDeleted => ({ type: "ClientDeleted", data: { ...who, deletedOn } });

/** Registers the client of {@link registered}, leaving the defaults to the decider. */
export const register = (data: Partial<RegisterClient["data"]> = {}): RegisterClient => ({
  type: "RegisterClient",
  data: {
    ...target,
    displayName: "Awork integration",
    redirectUris: ["https://app.example.com/callback"],
    isConfidential: true,
    scopes: ["read:organization"],
    secret: aSecret(),
    ...data,
  },
  metadata: { now },
});

export const update = (changes: Partial<UpdatableFields>, immutable: Partial<ImmutableFields> = {}): UpdateClient => ({
  type: "UpdateClient",
  data: { ...target, changes, immutable },
  metadata: { now },
});

export const patch = (mergePatch: MergePatch, immutable: Partial<ImmutableFields> = {}): PatchClient => ({
  type: "PatchClient",
  data: { ...target, patch: mergePatch, immutable },
  metadata: { now },
});

/** The command as an admin sends it: allowed to turn an inactive client active again. */
export const asAdmin = <Command extends UpdateClient | PatchClient>(command: Command): Command => ({
  ...command,
  data: { ...command.data, mayReactivate: true },
});

/** Sent by an admin unless told otherwise: only one may turn an inactive client active again. */
export const activate = (mayReactivate = true): ActivateClient => ({
  type: "ActivateClient",
  data: { ...target, mayReactivate },
  metadata: { now },
});

export const deactivate = (): DeactivateClient => ({ type: "DeactivateClient", data: target, metadata: { now } });

export const deleteClient = (): DeleteClient => ({ type: "DeleteClient", data: target, metadata: { now } });

/** `count` distinct, valid redirect URIs. */
export const redirectUris = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `https://app.example.com/callback/${index}`);

/** `count` distinct, valid scopes. */
export const scopes = (count: number): string[] => Array.from({ length: count }, (_, index) => `scope:${index}`);

/* Secrets */

/** A freshly generated credential's keyed hash and fingerprint. */
export const aToken = (name = "new"): HashedToken => ({ hash: `hmac-sha256-of-${name}`, fingerprint: `…${name.slice(-4)}` });

export const rotate = (gracePeriodSeconds: number, secretId = "secret-2"): RotateSecret => ({
  type: "RotateSecret",
  data: { ...target, secretId, secret: aToken(secretId), gracePeriodSeconds },
  metadata: { now },
});

/** The secret {@link rotate} issues, as the decider records it. */
export const rotatedSecret = (secretId = "secret-2", createdOn = at): ClientSecret => ({
  secretId,
  ...aToken(secretId),
  createdOn,
  expiresOn: null,
});

export const secretRotated = (
  data: Partial<SecretRotated["data"]> & Pick<SecretRotated["data"], "supersededSecrets" | "gracePeriodSeconds">,
): SecretRotated => ({
  type: "SecretRotated",
  data: { ...target, secret: rotatedSecret(), rotatedOn: at, ...data },
});

export const retire = (secretId = "secret-1"): RetireSecret => ({ type: "RetireSecret", data: { ...target, secretId }, metadata: { now } });

/** `validUntil` is when the secret stopped working: its grace end (by default, when it was retired). */
export const secretRetired = (secretId = "secret-1", fingerprint = "…wxyz", retiredOn = at, validUntil = retiredOn): SecretRetired => ({
  type: "SecretRetired",
  data: { ...target, secretId, fingerprint, validUntil, retiredOn },
});

/* API keys */

export const issueKey = (data: Partial<IssueApiKey["data"]> = {}): IssueApiKey => ({
  type: "IssueApiKey",
  data: {
    ...target,
    keyId: "key-1",
    name: "CI deploy",
    scopes: ["clientapps:read"],
    expiresOn: null,
    key: aToken(data.keyId ?? "key-1"),
    ...data,
  },
  metadata: { now },
});

/** The key {@link issueKey} issues, as {@link keyIssued} carries it. */
export const anApiKey = (overrides: Partial<ApiKeyIssued["data"]["apiKey"]> = {}): ApiKeyIssued["data"]["apiKey"] => ({
  keyId: "key-1",
  name: "CI deploy",
  scopes: ["clientapps:read"],
  ...aToken(overrides.keyId ?? "key-1"),
  createdOn: at,
  expiresOn: null,
  ...overrides,
});

export const keyIssued = (overrides: Partial<ApiKeyIssued["data"]["apiKey"]> = {}): ApiKeyIssued => ({
  type: "ApiKeyIssued",
  data: { ...target, apiKey: anApiKey(overrides) },
});

/** `count` working keys, issued before {@link now}, with ids `key-0`… */
export const keysIssued = (count: number, from = 0): ApiKeyIssued[] =>
  Array.from({ length: count }, (_, index) => keyIssued({ keyId: `key-${from + index}`, createdOn: registeredOn }));

export const revokeKey = (keyId = "key-1"): RevokeApiKey => ({ type: "RevokeApiKey", data: { ...target, keyId }, metadata: { now } });

export const keyRevoked = (keyId = "key-1", revokedOn = at): ApiKeyRevoked => ({
  type: "ApiKeyRevoked",
  data: { ...target, keyId, fingerprint: aToken(keyId).fingerprint, revokedOn },
});

export const expireKey = (keyId = "key-1"): ExpireApiKey => ({ type: "ExpireApiKey", data: { ...target, keyId }, metadata: { now } });

/** `validUntil` is when the key stopped working: its expiry (by default, when the expiry was recorded). */
export const keyExpired = (keyId = "key-1", expiredOn = at, validUntil = expiredOn): ApiKeyExpired => ({
  type: "ApiKeyExpired",
  data: { ...target, keyId, fingerprint: aToken(keyId).fingerprint, validUntil, expiredOn },
});

/** An {@link ApiKey} in state, as {@link keyIssued} leaves it. */
export const apiKeyState = (overrides: Partial<ApiKey> = {}): ApiKey => ({ ...anApiKey(), revokedOn: null, expiredOn: null, ...overrides });

/* Dynamic registration (RFC 7591/7592) */

/** Metadata valid for the confidential authorization-code client of {@link registered}. */
export const metadata = (overrides: Partial<RegistrationMetadata> = {}): RegistrationMetadata => ({
  ...defaultRegistrationMetadata(true),
  ...overrides,
});

export const aRegistration = (overrides: Partial<Registration> = {}): Registration => ({
  tokenHash: aToken("registration-1").hash,
  tokenFingerprint: aToken("registration-1").fingerprint,
  tokenIssuedOn: registeredOn,
  metadata: metadata(),
  ...overrides,
});

/** The client of {@link registered}, registered through RFC 7591. */
export const selfRegistered = (overrides: Partial<ClientRegistered["data"]> = {}): ClientRegistered =>
  registered({ registration: aRegistration(), ...overrides });

type Replacement = Partial<Omit<ReplaceRegistration["data"], "changes">> &
  Readonly<{ changes?: Partial<ReplaceRegistration["data"]["changes"]> }>;

/** Replaces the registration of {@link selfRegistered} with the same core fields and metadata unless told otherwise. */
export const replaceRegistration = ({ changes = {}, ...data }: Replacement = {}): ReplaceRegistration => ({
  type: "ReplaceRegistration",
  data: {
    ...target,
    changes: {
      displayName: "Awork integration",
      redirectUris: ["https://app.example.com/callback"],
      grantTypes: ["authorization_code", "refresh_token"],
      scopes: ["read:organization"],
      ...changes,
    },
    immutable: {},
    metadata: metadata(),
    token: aToken("registration-2"),
    ...data,
  },
  metadata: { now },
});

export const tokenRotated = (name = "registration-2", rotatedOn = at): RegistrationTokenRotated => ({
  type: "RegistrationTokenRotated",
  data: { ...target, tokenHash: aToken(name).hash, tokenFingerprint: aToken(name).fingerprint, rotatedOn },
});

export const metadataReplaced = (next: RegistrationMetadata, previous = metadata(), replacedOn = at): RegistrationMetadataReplaced => ({
  type: "RegistrationMetadataReplaced",
  data: { ...target, metadata: next, previous, replacedOn },
});
