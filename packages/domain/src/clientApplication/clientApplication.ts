import type { JsonValue } from "@clientapps/primitives";
import { assertNever } from "../decider.js";
import type { ClientApplicationEvent } from "./events.js";

export type ClientSecret = Readonly<{
  secretId: string;
  /** HMAC-SHA-256 of the secret with the server's pepper. */
  hash: string;
  /** Enough to recognise the secret (`…` and its last four characters); never enough to use it. */
  fingerprint: string;
  createdOn: string;
  /** Set when a rotation supersedes the secret: it authenticates until then (the grace period). */
  expiresOn: string | null;
}>;

export type ApiKey = Readonly<{
  keyId: string;
  name: string;
  scopes: readonly string[];
  hash: string;
  fingerprint: string;
  createdOn: string;
  expiresOn: string | null;
  /** When the key stopped working before its expiry, by revocation; null while it works. */
  revokedOn: string | null;
  /** When the server recorded the key's expiry; the key stops working at `expiresOn` regardless. */
  expiredOn: string | null;
  /** The API key that issued this one, when a key did (not an admin): revoking it revokes this one too. */
  issuedByKeyId?: string;
}>;

/** RFC 7591 §2 client metadata that has no counterpart among the core fields. */
export type RegistrationMetadata = Readonly<{
  tokenEndpointAuthMethod: string;
  responseTypes: readonly string[];
  clientUri: string | null;
  logoUri: string | null;
  tosUri: string | null;
  policyUri: string | null;
  contacts: readonly string[];
  jwksUri: string | null;
  jwks: { readonly [key: string]: JsonValue } | null;
  softwareId: string | null;
  softwareVersion: string | null;
}>;

/** A client made through dynamic registration (RFC 7591) and managed with its access token (RFC 7592). */
export type Registration = Readonly<{
  tokenHash: string;
  tokenFingerprint: string;
  tokenIssuedOn: string;
  metadata: RegistrationMetadata;
}>;

/** Fields a caller may change after registration. */
export type UpdatableFields = Readonly<{
  displayName: string;
  description: string;
  redirectUris: readonly string[];
  grantTypes: readonly string[];
  scopes: readonly string[];
  skipAuthorization: boolean;
  isActive: boolean;
}>;

export const updatableFieldNames = [
  "displayName",
  "description",
  "redirectUris",
  "grantTypes",
  "scopes",
  "skipAuthorization",
  "isActive",
] as const satisfies readonly (keyof UpdatableFields)[];

/** Fields fixed at registration; a command that names them with another value is refused. */
export type ImmutableFields = Readonly<{ workspaceId: string; clientId: string; isConfidential: boolean }>;

export const immutableFieldNames = ["workspaceId", "clientId", "isConfidential"] as const satisfies readonly (keyof ImmutableFields)[];

export type ClientApplication = UpdatableFields &
  ImmutableFields &
  Readonly<{
    secrets: readonly ClientSecret[];
    apiKeys: readonly ApiKey[];
    registration: Registration | null;
    createdOn: string;
    updatedOn: string;
  }>;

export type ClientApplicationState =
  | Readonly<{ status: "absent" }>
  | Readonly<{ status: "registered"; client: ClientApplication }>
  | Readonly<{ status: "deleted"; workspaceId: string; clientId: string; deletedOn: string }>;

export const initialState = (): ClientApplicationState => ({ status: "absent" });

const updateClient = (state: ClientApplicationState, change: (client: ClientApplication) => ClientApplication): ClientApplicationState =>
  state.status === "registered" ? { status: "registered", client: change(state.client) } : state;

const updateApiKey = (client: ClientApplication, keyId: string, change: (key: ApiKey) => ApiKey): ClientApplication => ({
  ...client,
  apiKeys: client.apiKeys.map((key) => (key.keyId === keyId ? change(key) : key)),
});

export const evolve = (state: ClientApplicationState, event: ClientApplicationEvent): ClientApplicationState => {
  switch (event.type) {
    case "ClientRegistered": {
      const { secret, registration, registeredOn, ...fields } = event.data;
      return {
        status: "registered",
        client: {
          ...fields,
          secrets: secret ? [secret] : [],
          apiKeys: [],
          registration: registration ?? null,
          createdOn: registeredOn,
          updatedOn: registeredOn,
        },
      };
    }
    case "ClientUpdated":
      return updateClient(state, (client) => ({ ...client, ...event.data.changes, updatedOn: event.data.updatedOn }));
    case "ClientActivated":
      return updateClient(state, (client) => ({ ...client, isActive: true, updatedOn: event.data.activatedOn }));
    case "ClientDeactivated":
      return updateClient(state, (client) => ({ ...client, isActive: false, updatedOn: event.data.deactivatedOn }));
    case "SecretRotated": {
      const ends = new Map(event.data.supersededSecrets.map((superseded) => [superseded.secretId, superseded.expiresOn]));
      return updateClient(state, (client) => ({
        ...client,
        secrets: [
          ...client.secrets.map((secret) => ({ ...secret, expiresOn: ends.get(secret.secretId) ?? secret.expiresOn })),
          event.data.secret,
        ],
        updatedOn: event.data.rotatedOn,
      }));
    }
    case "SecretRetired":
      return updateClient(state, (client) => ({
        ...client,
        secrets: client.secrets.filter((secret) => secret.secretId !== event.data.secretId),
        updatedOn: event.data.retiredOn,
      }));
    case "ApiKeyIssued":
      return updateClient(state, (client) => ({
        ...client,
        apiKeys: [...client.apiKeys, { ...event.data.apiKey, revokedOn: null, expiredOn: null }],
      }));
    case "ApiKeyRevoked":
      return updateClient(state, (client) =>
        updateApiKey(client, event.data.keyId, (key) => ({ ...key, revokedOn: event.data.revokedOn })),
      );
    case "ApiKeyExpired":
      return updateClient(state, (client) =>
        updateApiKey(client, event.data.keyId, (key) => ({ ...key, expiredOn: event.data.expiredOn })),
      );
    case "RegistrationTokenRotated":
      return updateClient(state, (client) =>
        client.registration
          ? {
              ...client,
              registration: {
                ...client.registration,
                tokenHash: event.data.tokenHash,
                tokenFingerprint: event.data.tokenFingerprint,
                tokenIssuedOn: event.data.rotatedOn,
              },
            }
          : client,
      );
    case "RegistrationMetadataReplaced":
      return updateClient(state, (client) =>
        client.registration
          ? { ...client, registration: { ...client.registration, metadata: event.data.metadata }, updatedOn: event.data.replacedOn }
          : client,
      );
    case "ClientDeleted":
      return {
        status: "deleted",
        workspaceId: event.data.workspaceId,
        clientId: event.data.clientId,
        deletedOn: event.data.deletedOn,
      };
    default:
      return assertNever(event);
  }
};

/** Whether a credential with this expiry still works at `now`. */
export const isLive = (expiresOn: string | null, now: Date): boolean => expiresOn === null || Date.parse(expiresOn) > now.getTime();

export const isApiKeyLive = (key: ApiKey, now: Date): boolean => key.revokedOn === null && isLive(key.expiresOn, now);
