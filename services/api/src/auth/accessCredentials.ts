import { randomBytes } from "node:crypto";
import { generateCredential, type SecretHasher } from "@clientapps/credentials";
import type { CollectionDefinition, ReadModelCollection, ReadModelStore } from "@clientapps/read-models";

/**
 * Credentials that call this API, stored under the keyed hash of their secret
 * (so a lookup needs the secret) with a separate public id for logs and events.
 */
export type AccessCredential = Readonly<{
  credentialId: string;
  kind: "admin";
  workspaceId: string;
  scopes: readonly string[];
  label: string;
  createdOn: string;
  expiresOn: string | null;
  revokedOn: string | null;
}>;

export const accessCredentialsCollection: CollectionDefinition = {
  name: "accessCredentials",
  indexes: [{ fields: ["credentialId"], unique: true }, { fields: ["workspaceId", "kind"] }],
  // Not derived from the events: nothing could rebuild a lost admin token.
  durable: true,
};

export type AccessCredentials = Readonly<{
  /** The live credential for a presented secret, or undefined. */
  find: (secret: string, now: Date) => Promise<AccessCredential | undefined>;
  /** Stores a credential for a secret; returns its public id. */
  store: (secret: string, credential: Omit<AccessCredential, "credentialId">) => Promise<string>;
  /** Issues a new admin token for a workspace: the token is returned here and nowhere else. */
  issueAdminToken: (workspaceId: string, label: string, now: Date) => Promise<Readonly<{ token: string; credentialId: string }>>;
  hasAdmin: (workspaceId: string) => Promise<boolean>;
  /** Revokes every admin credential of the workspace but one; returns how many it revoked. */
  revokeAdminsExcept: (workspaceId: string, keep: string, now: Date) => Promise<number>;
}>;

export const openAccessCredentials = async (readModels: ReadModelStore, hasher: SecretHasher): Promise<AccessCredentials> => {
  const collection: ReadModelCollection<AccessCredential> = await readModels.collection<AccessCredential>(accessCredentialsCollection);

  const store: AccessCredentials["store"] = async (secret, credential) => {
    const id = hasher.hash(secret);
    const existing = await collection.get(id);
    if (existing) return existing.document.credentialId;
    const credentialId = `cred_${randomBytes(12).toString("hex")}`;
    await collection.upsert(id, 0, { ...credential, credentialId });
    return credentialId;
  };

  return {
    store,
    find: async (secret, now) => {
      const stored = await collection.get(hasher.hash(secret));
      if (!stored) return undefined;
      const credential = stored.document;
      if (credential.revokedOn !== null) return undefined;
      if (credential.expiresOn !== null && Date.parse(credential.expiresOn) <= now.getTime()) return undefined;
      return credential;
    },
    issueAdminToken: async (workspaceId, label, now) => {
      const token = generateCredential("adminToken");
      const credentialId = await store(token, {
        kind: "admin",
        workspaceId,
        scopes: ["admin"],
        label,
        createdOn: now.toISOString(),
        expiresOn: null,
        revokedOn: null,
      });
      return { token, credentialId };
    },
    revokeAdminsExcept: async (workspaceId, keep, now) => {
      let revoked = 0;
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const page = await collection.find({
          where: { workspaceId, kind: "admin" },
          orderBy: { field: "credentialId", direction: "asc" },
          limit: 100,
          cursor,
        });
        for (const { id, revision, document } of page.items) {
          if (document.credentialId === keep || document.revokedOn !== null) continue;
          if (await collection.upsert(id, revision + 1, { ...document, revokedOn: now.toISOString() })) revoked += 1;
        }
        cursor = page.nextCursor;
      }
      return revoked;
    },
    hasAdmin: async (workspaceId) =>
      (await collection.find({ where: { workspaceId, kind: "admin" }, orderBy: { field: "credentialId", direction: "asc" }, limit: 1 }))
        .items.length > 0,
  };
};
