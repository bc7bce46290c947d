import type { ClientSecret, ImmutableFields, RegistrationMetadata, UpdatableFields } from "./clientApplication.js";

type Target = Readonly<{ workspaceId: string; clientId: string }>;

/** What the handler supplies from outside the domain: time, and the hashed first secret. */
type Stamp = Readonly<{ now: Date }>;

/** A freshly generated credential as the domain sees it: its keyed hash and fingerprint only. */
export type HashedToken = Readonly<{ hash: string; fingerprint: string }>;

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
      /** For a client registering itself (RFC 7591): its access token's hash and its metadata. */
      registration?: Readonly<{ token: HashedToken; metadata: RegistrationMetadata }> | undefined;
    }> &
    PasswordGrant;
  metadata: Stamp;
}>;

/**
 * Whether the caller may turn an inactive client active again, which makes every
 * credential it still holds work again; the api grants it to admins only. Absent: may not,
 * so a caller that forgets to say is refused rather than let through.
 */
type Reactivation = Readonly<{ mayReactivate?: boolean | undefined }>;

/**
 * The resource owner password grant, which RFC 9700 forbids and OAuth 2.1 drops, is taken
 * only when the command says so: from the APIs whose clients still ask for it (AWX's).
 * A client that holds it keeps it through every later change.
 */
type PasswordGrant = Readonly<{ passwordGrant?: boolean | undefined }>;

/**
 * PUT semantics: every updatable field present is set; absent fields keep their value.
 * Immutable fields may be echoed back but must not change.
 */
export type UpdateClient = Readonly<{
  type: "UpdateClient";
  data: Target & Readonly<{ changes: Partial<UpdatableFields>; immutable: Partial<ImmutableFields> } & Reactivation & PasswordGrant>;
  metadata: Stamp;
}>;

/** A member set to null is removed (RFC 7396), i.e. returns to its default. */
export type MergePatch = { readonly [K in keyof UpdatableFields]?: UpdatableFields[K] | null };

/** JSON Merge Patch (RFC 7396) of the updatable fields. */
export type PatchClient = Readonly<{
  type: "PatchClient";
  data: Target & Readonly<{ patch: MergePatch; immutable: Partial<ImmutableFields> } & Reactivation>;
  metadata: Stamp;
}>;

export type ActivateClient = Readonly<{ type: "ActivateClient"; data: Target & Reactivation; metadata: Stamp }>;

export type DeactivateClient = Readonly<{ type: "DeactivateClient"; data: Target; metadata: Stamp }>;

export type DeleteClient = Readonly<{ type: "DeleteClient"; data: Target; metadata: Stamp }>;

/** Issues a new secret; the current ones keep working for the grace period, then are retired. */
export type RotateSecret = Readonly<{
  type: "RotateSecret";
  data: Target & Readonly<{ secretId: string; secret: HashedToken; gracePeriodSeconds: number }>;
  metadata: Stamp;
}>;

/** Sent by the scheduler once a superseded secret's grace period has ended. */
export type RetireSecret = Readonly<{ type: "RetireSecret"; data: Target & Readonly<{ secretId: string }>; metadata: Stamp }>;

export type IssueApiKey = Readonly<{
  type: "IssueApiKey";
  data: Target &
    Readonly<{
      keyId: string;
      name: string;
      scopes: readonly string[];
      expiresOn: string | null;
      key: HashedToken;
      /** The API key of this client that asks for the new one, when an API key asks: it grants no more than it holds. */
      issuedByKeyId?: string | undefined;
    }>;
  metadata: Stamp;
}>;

export type RevokeApiKey = Readonly<{ type: "RevokeApiKey"; data: Target & Readonly<{ keyId: string }>; metadata: Stamp }>;

/** Sent by the scheduler once a key's expiry has passed, so the revocation feed hears of it. */
export type ExpireApiKey = Readonly<{ type: "ExpireApiKey"; data: Target & Readonly<{ keyId: string }>; metadata: Stamp }>;

/**
 * RFC 7592 §2.2: the client replaces its registration. Core fields absent from
 * the request return to their defaults; the registration access token rotates.
 */
export type ReplaceRegistration = Readonly<{
  type: "ReplaceRegistration";
  data: Target &
    Readonly<{
      changes: Pick<UpdatableFields, "displayName" | "redirectUris" | "grantTypes" | "scopes">;
      immutable: Partial<ImmutableFields>;
      metadata: RegistrationMetadata;
      token: HashedToken;
    }>;
  metadata: Stamp;
}>;

export type ClientApplicationCommand =
  | RegisterClient
  | UpdateClient
  | PatchClient
  | ActivateClient
  | DeactivateClient
  | RotateSecret
  | RetireSecret
  | IssueApiKey
  | RevokeApiKey
  | ExpireApiKey
  | ReplaceRegistration
  | DeleteClient;
