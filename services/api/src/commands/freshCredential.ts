import { fingerprintOf, generateCredential, newCredentialId, type CredentialKind } from "@clientapps/credentials";
import type { ClientSecret } from "@clientapps/domain";

export type FreshCredential = Readonly<{
  /** The credential itself: shown to the caller once, never stored. */
  value: string;
  /** What the events keep: the peppered hash and a fingerprint to recognise it by. */
  stored: Readonly<{ hash: string; fingerprint: string }>;
}>;

type Hasher = Readonly<{ hash: (secret: string) => string }>;

/** A newly generated credential of a kind, with what is stored of it. */
export const freshCredential = (hasher: Hasher, kind: CredentialKind): FreshCredential => {
  const value = generateCredential(kind);
  return { value, stored: { hash: hasher.hash(value), fingerprint: fingerprintOf(value) } };
};

/** A client secret with its public id, as `RegisterClient` takes it. */
export const freshClientSecret = (hasher: Hasher, now: Date): Readonly<{ value: string; secret: ClientSecret }> => {
  const { value, stored } = freshCredential(hasher, "clientSecret");
  return { value, secret: { secretId: newCredentialId("sec"), ...stored, createdOn: now.toISOString(), expiresOn: null } };
};
