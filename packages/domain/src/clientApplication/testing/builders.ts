import { DeciderSpecification } from "../../testing/index.js";
import type { ClientSecret, ImmutableFields, UpdatableFields } from "../clientApplication.js";
import type {
  ActivateClient,
  DeactivateClient,
  DeleteClient,
  MergePatch,
  PatchClient,
  RegisterClient,
  UpdateClient,
} from "../commands.js";
import type { ClientActivated, ClientDeactivated, ClientDeleted, ClientRegistered, ClientUpdated } from "../events.js";
import { clientApplicationDecider } from "../index.js";

/** Test data for the client-application decider: one client, one fixed clock. */

export const spec = DeciderSpecification.for(clientApplicationDecider);

export const workspaceId = "ws-1";
export const clientId = "integration";
const target = { workspaceId, clientId } as const;

/** The time every command is decided at. */
export const now = new Date("2025-03-25T11:15:00.100Z");
export const at = now.toISOString();
/** When the client of the given events was registered, earlier than {@link now}. */
export const registeredOn = "2025-03-14T16:40:40.100Z";

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

export const updated = (changes: Partial<UpdatableFields>, previous: Partial<UpdatableFields>): ClientUpdated => ({
  type: "ClientUpdated",
  data: { ...target, changes, previous, updatedOn: at },
});

export const activated = (activatedOn = at): ClientActivated => ({ type: "ClientActivated", data: { ...target, activatedOn } });

export const deactivated = (deactivatedOn = at): ClientDeactivated => ({
  type: "ClientDeactivated",
  data: { ...target, deactivatedOn },
});

export const deleted = (deletedOn = at): ClientDeleted => ({ type: "ClientDeleted", data: { ...target, deletedOn } });

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

export const activate = (): ActivateClient => ({ type: "ActivateClient", data: target, metadata: { now } });

export const deactivate = (): DeactivateClient => ({ type: "DeactivateClient", data: target, metadata: { now } });

export const deleteClient = (): DeleteClient => ({ type: "DeleteClient", data: target, metadata: { now } });

/** `count` distinct, valid redirect URIs. */
export const redirectUris = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `https://app.example.com/callback/${index}`);

/** `count` distinct, valid scopes. */
export const scopes = (count: number): string[] => Array.from({ length: count }, (_, index) => `scope:${index}`);
