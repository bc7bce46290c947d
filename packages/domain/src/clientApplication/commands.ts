import type { ClientSecret, ImmutableFields, UpdatableFields } from "./clientApplication.js";

type Target = Readonly<{ workspaceId: string; clientId: string }>;

/** What the handler supplies from outside the domain: time, and the hashed first secret. */
type Stamp = Readonly<{ now: Date }>;

export type RegisterClient = Readonly<{
  type: "RegisterClient";
  data: Target &
    Readonly<{
      displayName: string;
      description?: string | undefined;
      redirectUris?: readonly string[] | undefined;
      isConfidential: boolean;
      /** Defaults: see {@link defaultGrantTypes}. */
      grantTypes?: readonly string[] | undefined;
      scopes?: readonly string[] | undefined;
      skipAuthorization?: boolean | undefined;
      isActive?: boolean | undefined;
      /** Required for confidential clients, forbidden for public ones. */
      secret: ClientSecret | null;
    }>;
  metadata: Stamp;
}>;

/**
 * PUT semantics: every updatable field present is set; absent fields keep their value.
 * Immutable fields may be echoed back but must not change.
 */
export type UpdateClient = Readonly<{
  type: "UpdateClient";
  data: Target & Readonly<{ changes: Partial<UpdatableFields>; immutable: Partial<ImmutableFields> }>;
  metadata: Stamp;
}>;

/** A member set to null is removed (RFC 7396), i.e. returns to its default. */
export type MergePatch = { readonly [K in keyof UpdatableFields]?: UpdatableFields[K] | null };

/** JSON Merge Patch (RFC 7396) of the updatable fields. */
export type PatchClient = Readonly<{
  type: "PatchClient";
  data: Target & Readonly<{ patch: MergePatch; immutable: Partial<ImmutableFields> }>;
  metadata: Stamp;
}>;

export type ActivateClient = Readonly<{ type: "ActivateClient"; data: Target; metadata: Stamp }>;

export type DeactivateClient = Readonly<{ type: "DeactivateClient"; data: Target; metadata: Stamp }>;

export type DeleteClient = Readonly<{ type: "DeleteClient"; data: Target; metadata: Stamp }>;

export type ClientApplicationCommand =
  | RegisterClient
  | UpdateClient
  | PatchClient
  | ActivateClient
  | DeactivateClient
  | DeleteClient;
