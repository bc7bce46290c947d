import type { PublicAdminToken, Workspace, WorkspaceStatus } from "@clientapps/domain";
import type { CollectionDefinition } from "@clientapps/read-models";

/** An admin token as the operator lists it: no keyed hash. */
export type AdminTokenView = PublicAdminToken & Readonly<{ revokedOn: string | null }>;

/**
 * A workspace as `GET /workspaces` shows it. A deleted workspace stays as a tombstone
 * (`deleted: true`), which lists and reads skip.
 */
export type WorkspaceView = Readonly<{
  workspaceId: string;
  displayName: string;
  status: WorkspaceStatus;
  deleted: boolean;
  createdOn: string;
  updatedOn: string;
  adminTokens: readonly AdminTokenView[];
}>;

export const workspacesCollection: CollectionDefinition = {
  name: "workspaces",
  indexes: [{ fields: ["deleted", "workspaceId"] }],
};

/** The checkpoint of the projection that builds it, which reads wait on. */
export const workspacesCheckpoint = "workspaces";

export const workspaceViewOf = (workspace: Workspace): WorkspaceView => ({
  workspaceId: workspace.workspaceId,
  displayName: workspace.displayName,
  status: workspace.status,
  deleted: workspace.status === "deleted",
  createdOn: workspace.createdOn,
  updatedOn: workspace.updatedOn,
  adminTokens: workspace.adminTokens.map(({ hash: _hash, ...token }) => token),
});

/**
 * Points from the keyed hash of an admin token to its workspace. It only points:
 * whether the token works is decided on the workspace's own stream.
 */
export type AdminTokenIndexEntry = Readonly<{ workspaceId: string; tokenId: string }>;

export const adminTokenIndexCollection: CollectionDefinition = { name: "adminTokenIndex", indexes: [{ fields: ["workspaceId"] }] };

export const adminTokenIndexCheckpoint = "adminTokenIndex";
