import { assertNever } from "../decider.js";
import type { WorkspaceEvent } from "./events.js";

/** A credential that administers one workspace, as its stream records it: keyed hash and fingerprint, never the token. */
export type AdminToken = Readonly<{
  tokenId: string;
  label: string;
  scopes: readonly string[];
  hash: string;
  fingerprint: string;
  createdOn: string;
  expiresOn: string | null;
  revokedOn: string | null;
}>;

export type WorkspaceStatus = "active" | "suspended" | "deleted";

export type Workspace = Readonly<{
  workspaceId: string;
  displayName: string;
  status: WorkspaceStatus;
  createdOn: string;
  updatedOn: string;
  adminTokens: readonly AdminToken[];
}>;

export type WorkspaceState = Readonly<{ status: "absent" }> | Readonly<{ status: "present"; workspace: Workspace }>;

export const initialWorkspaceState = (): WorkspaceState => ({ status: "absent" });

const changed = (state: WorkspaceState, change: (workspace: Workspace) => Workspace): WorkspaceState =>
  state.status === "present" ? { status: "present", workspace: change(state.workspace) } : state;

export const evolveWorkspace = (state: WorkspaceState, event: WorkspaceEvent): WorkspaceState => {
  switch (event.type) {
    case "WorkspaceCreated": {
      const { workspaceId, displayName, createdOn } = event.data;
      return {
        status: "present",
        workspace: { workspaceId, displayName, status: "active", createdOn, updatedOn: createdOn, adminTokens: [] },
      };
    }
    case "WorkspaceRenamed":
      return changed(state, (workspace) => ({ ...workspace, displayName: event.data.displayName, updatedOn: event.data.renamedOn }));
    case "WorkspaceSuspended":
      return changed(state, (workspace) => ({ ...workspace, status: "suspended", updatedOn: event.data.suspendedOn }));
    case "WorkspaceResumed":
      return changed(state, (workspace) => ({ ...workspace, status: "active", updatedOn: event.data.resumedOn }));
    case "WorkspaceDeleted":
      return changed(state, (workspace) => ({ ...workspace, status: "deleted", updatedOn: event.data.deletedOn }));
    case "AdminTokenIssued":
      return changed(state, (workspace) => ({
        ...workspace,
        adminTokens: [...workspace.adminTokens, { ...event.data.adminToken, revokedOn: null }],
      }));
    case "AdminTokenRevoked":
      return changed(state, (workspace) => ({
        ...workspace,
        adminTokens: workspace.adminTokens.map((token) =>
          token.tokenId === event.data.tokenId ? { ...token, revokedOn: event.data.revokedOn } : token,
        ),
      }));
    default:
      return assertNever(event);
  }
};

/** Whether an admin token works at `now`: not revoked, not expired. Its workspace must be active too. */
export const isAdminTokenLive = (token: Pick<AdminToken, "revokedOn" | "expiresOn">, now: Date): boolean =>
  token.revokedOn === null && (token.expiresOn === null || Date.parse(token.expiresOn) > now.getTime());

/** Whether the workspace's credentials work: it exists and is neither suspended nor deleted. */
export const isWorkspaceActive = (state: WorkspaceState): boolean => state.status === "present" && state.workspace.status === "active";
