import { credentialKindOf, type SecretHasher } from "@clientapps/credentials";
import { isAdminTokenLive } from "@clientapps/domain";
import type { EventStore } from "@clientapps/event-store";
import { adminTokenIndexCheckpoint, adminTokenIndexCollection, type AdminTokenIndexEntry } from "@clientapps/client-read-models";
import type { ReadModelStore } from "@clientapps/read-models";
import type { WorkspaceStates } from "../workspaces/workspaceStates.js";
import { credentialIndexLookup } from "./credentialIndexLookup.js";

/**
 * An admin token of a workspace, as its stream records it. The events are the truth:
 * the index (a projection) only says which workspace a keyed hash belongs to, and
 * whether the token works is decided on that workspace's stream.
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

/** The operator of the whole deployment: it administers workspaces, and reads no workspace's clients. */
export type PlatformOperator = Readonly<{ credentialId: string; scopes: readonly string[] }>;

/** The scope of the platform operator's credential. */
export const platformScope = "platform:admin";

/** The platform operator's public id, as events and logs name it. */
export const platformOperatorId = "platform-operator";

export type AccessCredentials = Readonly<{
  /** The admin token for a presented secret, while it is neither revoked nor expired; undefined otherwise. */
  find: (secret: string, now: Date) => Promise<AccessCredential | undefined>;
  /** The platform operator, for its configured credential; undefined for anything else or when none is configured. */
  platformOperator: (secret: string) => PlatformOperator | undefined;
}>;

type Dependencies = Readonly<{
  eventStore: EventStore;
  readModels: ReadModelStore;
  hasher: SecretHasher;
  workspaces: WorkspaceStates;
  /** CLIENTAPPS_PLATFORM_TOKEN; only its keyed hash is kept. */
  platformToken?: string | undefined;
  catchUpTimeoutMs: number;
}>;

export const openAccessCredentials = async (deps: Dependencies): Promise<AccessCredentials> => {
  const index = await deps.readModels.collection<AdminTokenIndexEntry>(adminTokenIndexCollection);
  const platformHash = deps.platformToken === undefined ? undefined : deps.hasher.hash(deps.platformToken);

  const lookup = credentialIndexLookup({
    index,
    checkpoint: adminTokenIndexCheckpoint,
    checkpoints: deps.readModels.checkpoints,
    eventStore: deps.eventStore,
    catchUpTimeoutMs: deps.catchUpTimeoutMs,
  });

  return {
    find: async (secret, now) => {
      if (credentialKindOf(secret) !== "adminToken") return undefined;
      const entry = await lookup(deps.hasher.hash(secret));
      if (!entry) return undefined;
      const { state } = await deps.workspaces.current(entry.workspaceId);
      if (state.status !== "present") return undefined;
      const token = state.workspace.adminTokens.find((candidate) => candidate.tokenId === entry.tokenId);
      if (!token || !isAdminTokenLive(token, now) || !deps.hasher.matches(secret, token.hash)) return undefined;
      const { tokenId, label, scopes, createdOn, expiresOn, revokedOn } = token;
      return { credentialId: tokenId, kind: "admin", workspaceId: entry.workspaceId, scopes, label, createdOn, expiresOn, revokedOn };
    },
    platformOperator: (secret) =>
      platformHash !== undefined && credentialKindOf(secret) === "platformToken" && deps.hasher.matches(secret, platformHash)
        ? { credentialId: platformOperatorId, scopes: [platformScope] }
        : undefined,
  };
};
