import { accept, assertNever, reject, type Decision, type FieldViolation } from "../decider.js";
import {
  immutableFieldNames,
  isApiKeyLive,
  isLive,
  updatableFieldNames,
  type ClientApplication,
  type ClientApplicationState,
  type ImmutableFields,
  type UpdatableFields,
} from "./clientApplication.js";
import type { ClientApplicationCommand, MergePatch, RegisterClient, ReplaceRegistration } from "./commands.js";
import { expireApiKey, issueApiKey, retireSecret, revokeApiKey, rotateSecret } from "./credentials.js";
import { registrationMetadataViolations } from "./registration.js";
import type { ClientApplicationEvent, Reinstated } from "./events.js";
import { clientApplicationViolations, defaultGrantTypes } from "./validation.js";

export const ClientApplicationRejections = {
  validationFailed: "validation_failed",
  immutableField: "immutable_field",
  alreadyExists: "client_already_exists",
  notFound: "client_not_found",
  deleted: "client_deleted",
  /** Reactivating makes the client's credentials work again; the caller must be allowed to (an admin). */
  reactivationNeedsAdmin: "reactivation_needs_admin",
} as const;

export type ClientApplicationRejectionCode = (typeof ClientApplicationRejections)[keyof typeof ClientApplicationRejections];

type Decided = Decision<ClientApplicationEvent>;

const invalid = (violations: readonly FieldViolation[]): Decided =>
  reject(ClientApplicationRejections.validationFailed, "The client application is not valid.", violations);

const register = (command: RegisterClient, state: ClientApplicationState): Decided => {
  const { data } = command;
  if (state.status === "registered") {
    return reject(ClientApplicationRejections.alreadyExists, `A client application with id '${data.clientId}' already exists.`);
  }
  if (state.status === "deleted") {
    return reject(
      ClientApplicationRejections.alreadyExists,
      `The client id '${data.clientId}' belonged to a deleted client application; client ids are never reused.`,
    );
  }
  const redirectUris = data.redirectUris ?? [];
  const fields = {
    workspaceId: data.workspaceId,
    clientId: data.clientId,
    displayName: data.displayName,
    description: data.description ?? "",
    redirectUris,
    isConfidential: data.isConfidential,
    grantTypes: data.grantTypes ?? defaultGrantTypes(data.isConfidential, redirectUris),
    scopes: data.scopes ?? [],
  };
  const violations = [...clientApplicationViolations(fields, { passwordGrant: data.passwordGrant })];
  if (data.isConfidential && !data.secret) {
    violations.push({ field: "secret", code: "required", message: "a confidential client is registered with a secret" });
  }
  if (!data.isConfidential && data.secret) {
    violations.push({ field: "secret", code: "forbidden", message: "a public client never has a secret" });
  }
  if (data.registration) violations.push(...registrationMetadataViolations(data.registration.metadata, fields));
  if (violations.length > 0) return invalid(violations);
  const registeredOn = command.metadata.now.toISOString();
  return accept({
    type: "ClientRegistered",
    data: {
      ...fields,
      skipAuthorization: data.skipAuthorization ?? false,
      isActive: data.isActive ?? true,
      secret: data.secret,
      ...(data.registration
        ? {
            registration: {
              tokenHash: data.registration.token.hash,
              tokenFingerprint: data.registration.token.fingerprint,
              tokenIssuedOn: registeredOn,
              metadata: data.registration.metadata,
            },
          }
        : {}),
      registeredOn,
    },
  });
};

type Existing = Readonly<{ client: ClientApplication }> | Readonly<{ refused: Decided }>;

const existing = (state: ClientApplicationState, clientId: string): Existing => {
  switch (state.status) {
    case "registered":
      return { client: state.client };
    case "deleted":
      return { refused: reject(ClientApplicationRejections.deleted, `The client application '${clientId}' has been deleted.`) };
    case "absent":
      return { refused: reject(ClientApplicationRejections.notFound, `There is no client application '${clientId}'.`) };
    default:
      return assertNever(state);
  }
};

const immutableViolations = (client: ClientApplication, given: Partial<ImmutableFields>): FieldViolation[] =>
  immutableFieldNames.flatMap((name) =>
    given[name] !== undefined && given[name] !== client[name]
      ? [{ field: name, code: "immutable", message: `cannot be changed after registration (is ${JSON.stringify(client[name])})` }]
      : [],
  );

/** What works again once an inactive client is active: its live secrets and keys, and its registration token. */
const reinstatedBy = (client: ClientApplication, now: Date): Reinstated => ({
  secrets: client.secrets.filter((secret) => isLive(secret.expiresOn, now)).map(({ secretId, fingerprint }) => ({ secretId, fingerprint })),
  apiKeys: client.apiKeys.filter((key) => isApiKeyLive(key, now)).map(({ keyId, fingerprint }) => ({ keyId, fingerprint })),
  registrationToken: client.registration !== undefined && client.registration !== null,
});

const activatedEvent = (client: ClientApplication, now: Date): ClientApplicationEvent => ({
  type: "ClientActivated",
  data: {
    workspaceId: client.workspaceId,
    clientId: client.clientId,
    activatedOn: now.toISOString(),
    reinstated: reinstatedBy(client, now),
  },
});

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies a set of field changes: validates the resulting client and emits only what differs.
 * `refused` are violations already found in the request, reported together with the others.
 */
const change = (
  client: ClientApplication,
  requested: Partial<UpdatableFields>,
  immutable: Partial<ImmutableFields>,
  now: Date,
  refused: readonly FieldViolation[] = [],
  mayReactivate = false,
  passwordGrant = false,
): Decided => {
  const immutables = immutableViolations(client, immutable);
  if (immutables.length > 0) {
    return reject(ClientApplicationRejections.immutableField, "Immutable fields cannot be changed.", immutables);
  }
  // A member present but undefined is absent (the type allows it): it keeps its value.
  const present = Object.fromEntries(Object.entries(requested).filter(([, value]) => value !== undefined)) as Partial<UpdatableFields>;
  const next = { ...client, ...present };
  if (next.isActive && !client.isActive && !mayReactivate) {
    return reject(
      ClientApplicationRejections.reactivationNeedsAdmin,
      "Reactivating a client makes its credentials work again; it needs the admin scope.",
    );
  }
  const violations = [
    ...refused,
    ...clientApplicationViolations(next, { passwordGrant: passwordGrant || client.grantTypes.includes("password") }),
  ];
  if (violations.length > 0) return invalid(violations);

  const changes: Record<string, unknown> = {};
  const previous: Record<string, unknown> = {};
  for (const name of updatableFieldNames) {
    if (name === "isActive" || !(name in present) || sameValue(next[name], client[name])) continue;
    changes[name] = next[name];
    previous[name] = client[name];
  }
  const at = now.toISOString();
  const target = { workspaceId: client.workspaceId, clientId: client.clientId };
  const events: ClientApplicationEvent[] = [];
  if (Object.keys(changes).length > 0) {
    events.push({ type: "ClientUpdated", data: { ...target, changes, previous, updatedOn: at } });
  }
  if (next.isActive !== client.isActive) {
    events.push(next.isActive ? activatedEvent(client, now) : { type: "ClientDeactivated", data: { ...target, deactivatedOn: at } });
  }
  return accept(...events);
};

/** RFC 7396: a null member is removed, which for a field with a default means "back to the default". */
const applyMergePatch = (
  client: ClientApplication,
  patch: MergePatch,
): Readonly<{ changes: Partial<UpdatableFields>; violations: FieldViolation[] }> => {
  const redirectUris = patch.redirectUris === null ? [] : (patch.redirectUris ?? client.redirectUris);
  const defaults: Omit<UpdatableFields, "displayName"> = {
    description: "",
    redirectUris: [],
    grantTypes: defaultGrantTypes(client.isConfidential, redirectUris),
    scopes: [],
    skipAuthorization: false,
    isActive: true,
  };
  const changes: Record<string, unknown> = {};
  const violations: FieldViolation[] = [];
  for (const name of updatableFieldNames) {
    const value = patch[name];
    if (value === undefined) continue;
    if (value !== null) changes[name] = value;
    else if (name === "displayName") violations.push({ field: name, code: "required", message: "cannot be removed" });
    else changes[name] = defaults[name];
  }
  return { changes: changes, violations };
};

/** RFC 7592 §2.2: a full replacement of the registration; the access token always rotates. */
const replaceRegistration = (client: ClientApplication, command: ReplaceRegistration): Decided => {
  const { changes, immutable, metadata, token } = command.data;
  const { now } = command.metadata;
  if (!client.registration) {
    return reject(ClientApplicationRejections.notFound, `The client application '${client.clientId}' was not registered dynamically.`);
  }
  const metadataViolations = registrationMetadataViolations(metadata, {
    isConfidential: client.isConfidential,
    grantTypes: changes.grantTypes,
  });
  const decided = change(client, changes, immutable, now, metadataViolations);
  if (decided.kind === "rejected") return decided;
  const target = { workspaceId: client.workspaceId, clientId: client.clientId };
  const at = now.toISOString();
  const events = [...decided.events];
  if (!sameValue(metadata, client.registration.metadata)) {
    events.push({
      type: "RegistrationMetadataReplaced",
      data: { ...target, metadata, previous: client.registration.metadata, replacedOn: at },
    });
  }
  events.push({
    type: "RegistrationTokenRotated",
    data: { ...target, tokenHash: token.hash, tokenFingerprint: token.fingerprint, rotatedOn: at },
  });
  return accept(...events);
};

export const decide = (command: ClientApplicationCommand, state: ClientApplicationState): Decided => {
  if (command.type === "RegisterClient") return register(command, state);

  const found = existing(state, command.data.clientId);
  if ("refused" in found) return found.refused;
  const { client } = found;
  const { now } = command.metadata;
  const target = { workspaceId: client.workspaceId, clientId: client.clientId };

  switch (command.type) {
    case "UpdateClient":
      return change(client, command.data.changes, command.data.immutable, now, [], command.data.mayReactivate, command.data.passwordGrant);
    case "PatchClient": {
      const { changes, violations } = applyMergePatch(client, command.data.patch);
      return change(client, changes, command.data.immutable, now, violations, command.data.mayReactivate);
    }
    case "ActivateClient":
      if (client.isActive) return accept();
      if (command.data.mayReactivate !== true) {
        return reject(
          ClientApplicationRejections.reactivationNeedsAdmin,
          "Reactivating a client makes its credentials work again; it needs the admin scope.",
        );
      }
      return accept(activatedEvent(client, now));
    case "DeactivateClient":
      return client.isActive ? accept({ type: "ClientDeactivated", data: { ...target, deactivatedOn: now.toISOString() } }) : accept();
    case "RotateSecret":
      return rotateSecret(client, command);
    case "RetireSecret":
      return retireSecret(client, command);
    case "IssueApiKey":
      return issueApiKey(client, command);
    case "RevokeApiKey":
      return revokeApiKey(client, command);
    case "ExpireApiKey":
      return expireApiKey(client, command);
    case "ReplaceRegistration":
      return replaceRegistration(client, command);
    case "DeleteClient":
      return accept({ type: "ClientDeleted", data: { ...target, deletedOn: now.toISOString() } });
    default:
      return assertNever(command);
  }
};
