import type { NewAdminToken } from "../commands.js";
import type { AdminTokenIssued, AdminTokenRevoked, WorkspaceEvent } from "../events.js";

/** Events of one workspace, as the decider makes them, for tests downstream of it. */
export const workspaceId = "acme";
export const at = "2026-03-01T10:00:00.000Z";

export const newToken = (overrides: Partial<NewAdminToken> = {}): NewAdminToken => ({
  tokenId: "adm_1",
  token: { hash: "hash-1", fingerprint: "…aaaa" },
  label: "first admin",
  scopes: ["admin"],
  expiresOn: null,
  ...overrides,
});

export const created = (displayName = "Acme"): WorkspaceEvent => ({
  type: "WorkspaceCreated",
  data: { workspaceId, displayName, createdOn: at },
});

export const renamed = (displayName: string, previousDisplayName = "Acme"): WorkspaceEvent => ({
  type: "WorkspaceRenamed",
  data: { workspaceId, displayName, previousDisplayName, renamedOn: at },
});

export const issued = (token: NewAdminToken = newToken()): AdminTokenIssued => ({
  type: "AdminTokenIssued",
  data: {
    workspaceId,
    adminToken: {
      tokenId: token.tokenId,
      label: token.label,
      scopes: token.scopes,
      hash: token.token.hash,
      fingerprint: token.token.fingerprint,
      createdOn: at,
      expiresOn: token.expiresOn,
    },
  },
});

export const revoked = (tokenId = "adm_1", fingerprint = "…aaaa"): AdminTokenRevoked => ({
  type: "AdminTokenRevoked",
  data: { workspaceId, tokenId, fingerprint, revokedOn: at },
});

export const suspended = (): WorkspaceEvent => ({ type: "WorkspaceSuspended", data: { workspaceId, suspendedOn: at } });
export const resumed = (): WorkspaceEvent => ({ type: "WorkspaceResumed", data: { workspaceId, resumedOn: at } });
export const deleted = (): WorkspaceEvent => ({ type: "WorkspaceDeleted", data: { workspaceId, deletedOn: at } });
