import { isAdminTokenLive, type WorkspaceStatus } from "@clientapps/domain";
import type { AdminTokenView } from "@clientapps/client-read-models";
import type { z } from "zod";
import type { AdminTokenResource, WorkspaceResource } from "./workspaceSchemas.js";

export const workspacesPath = "/api/v1/workspaces";

export const workspacePath = (workspaceId: string): string => `${workspacesPath}/${encodeURIComponent(workspaceId)}`;

/** A workspace as the domain or the read model holds it; only what the resource shows is read. */
type WorkspaceLike = Readonly<{
  workspaceId: string;
  displayName: string;
  status: WorkspaceStatus;
  createdOn: string;
  updatedOn: string;
  adminTokens: readonly AdminTokenView[];
}>;

/** Named member by member, so a hash in the domain's admin token stays out of the resource. */
export const toAdminTokenResource = (token: AdminTokenView, now: Date): z.infer<typeof AdminTokenResource> => ({
  id: token.tokenId,
  label: token.label,
  scopes: [...token.scopes],
  fingerprint: token.fingerprint,
  status: token.revokedOn !== null ? "revoked" : isAdminTokenLive(token, now) ? "active" : "expired",
  createdOn: token.createdOn,
  expiresOn: token.expiresOn,
  revokedOn: token.revokedOn,
});

/** The public shape of a workspace that is not deleted (a deleted one is answered 404). */
export const toWorkspaceResource = (workspace: WorkspaceLike, now: Date): z.infer<typeof WorkspaceResource> => ({
  workspaceId: workspace.workspaceId,
  displayName: workspace.displayName,
  status: workspace.status === "suspended" ? "suspended" : "active",
  createdOn: workspace.createdOn,
  updatedOn: workspace.updatedOn,
  adminTokens: workspace.adminTokens.map((token) => toAdminTokenResource(token, now)),
});
