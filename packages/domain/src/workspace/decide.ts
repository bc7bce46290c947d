import { accept, assertNever, reject, type Decision, type FieldViolation } from "../decider.js";
import { apiKeyScopes, ClientApplicationLimits } from "../clientApplication/limits.js";
import { textViolations } from "../clientApplication/text.js";
import { identifierViolations } from "../clientApplication/validation.js";
import type { NewAdminToken, WorkspaceCommand } from "./commands.js";
import type { AdminTokenIssued, AdminTokenRevoked, WorkspaceEvent } from "./events.js";
import { isAdminTokenLive, type Workspace, type WorkspaceState } from "./workspace.js";

export const WorkspaceRejections = {
  validationFailed: "validation_failed",
  alreadyExists: "workspace_exists",
  notFound: "workspace_not_found",
  adminTokenNotFound: "admin_token_not_found",
} as const;

export const WorkspaceLimits = {
  displayNameMaxLength: ClientApplicationLimits.displayNameMaxLength,
  labelMaxLength: 100,
  /** Like a client's history: past it, only what closes doors (revocation, suspension, deletion) is taken. */
  maxEventsPerWorkspace: 5000,
} as const;

/** The scopes an admin token may carry: those of the client-application API, never the platform's own. */
export const adminTokenScopes = apiKeyScopes;

type Decided = Decision<WorkspaceEvent>;

const lengthOf = (value: string): number => [...value].length;

const nameViolations = (field: string, value: string, maxLength: number): FieldViolation[] => {
  if (value.trim().length === 0) return [{ field, code: "required", message: "must not be blank" }];
  if (lengthOf(value) > maxLength) return [{ field, code: "too_long", message: `must be at most ${maxLength} characters` }];
  return textViolations(field, value);
};

const tokenViolations = (token: NewAdminToken, now: Date): FieldViolation[] => [
  ...nameViolations("label", token.label, WorkspaceLimits.labelMaxLength),
  ...(token.scopes.length === 0 ? [{ field: "scopes", code: "required", message: "must name at least one scope" }] : []),
  ...token.scopes.flatMap((scope, index) =>
    (adminTokenScopes as readonly string[]).includes(scope)
      ? []
      : [{ field: `scopes/${index}`, code: "unknown_scope", message: `must be one of ${adminTokenScopes.join(", ")}` }],
  ),
  ...(token.expiresOn !== null && !(Date.parse(token.expiresOn) > now.getTime())
    ? [{ field: "expiresOn", code: "in_the_past", message: "must be a time in the future" }]
    : []),
];

const invalid = (violations: readonly FieldViolation[]): Decided =>
  reject(WorkspaceRejections.validationFailed, "The request is not valid.", violations);

const issued = (workspaceId: string, token: NewAdminToken, now: Date): AdminTokenIssued => ({
  type: "AdminTokenIssued",
  data: {
    workspaceId,
    adminToken: {
      tokenId: token.tokenId,
      label: token.label,
      scopes: [...new Set(token.scopes)],
      hash: token.token.hash,
      fingerprint: token.token.fingerprint,
      createdOn: now.toISOString(),
      expiresOn: token.expiresOn === null ? null : new Date(token.expiresOn).toISOString(),
    },
  },
});

const revoked = (workspace: Workspace, tokenId: string, fingerprint: string, now: Date): AdminTokenRevoked => ({
  type: "AdminTokenRevoked",
  data: { workspaceId: workspace.workspaceId, tokenId, fingerprint, revokedOn: now.toISOString() },
});

/** The workspace a command may change: it exists and was not deleted. */
const existing = (state: WorkspaceState, workspaceId: string): Workspace | Decided =>
  state.status === "present" && state.workspace.status !== "deleted"
    ? state.workspace
    : reject(WorkspaceRejections.notFound, `There is no workspace '${workspaceId}'.`);

const isDecision = (value: Workspace | Decided): value is Decided => "kind" in value;

const bootstrap = (state: WorkspaceState, command: Extract<WorkspaceCommand, { type: "BootstrapAdminToken" }>): Decided => {
  const { workspaceId, adminToken, configured } = command.data;
  const now = command.metadata.now;
  if (state.status === "absent") {
    const created = decideWorkspace(
      { type: "CreateWorkspace", data: { workspaceId, displayName: workspaceId, firstAdminToken: adminToken }, metadata: { now } },
      state,
    );
    return created;
  }
  const workspace = state.workspace;
  // A deleted workspace stays deleted: a restart does not bring it back.
  if (workspace.status === "deleted") return accept();
  if (!configured) return workspace.adminTokens.length > 0 ? accept() : accept(issued(workspaceId, adminToken, now));
  if (workspace.adminTokens.some((token) => token.hash === adminToken.token.hash && isAdminTokenLive(token, now))) return accept();
  // A configured token replaces every other admin token (after a leak, say): they end with its arrival.
  const others = workspace.adminTokens.filter((token) => token.revokedOn === null);
  return accept<WorkspaceEvent>(
    issued(workspaceId, adminToken, now),
    ...others.map((token) => revoked(workspace, token.tokenId, token.fingerprint, now)),
  );
};

export const decideWorkspace = (command: WorkspaceCommand, state: WorkspaceState): Decided => {
  const now = command.metadata.now;
  const { workspaceId } = command.data;
  switch (command.type) {
    case "CreateWorkspace": {
      const { displayName, firstAdminToken } = command.data;
      const violations = [
        ...identifierViolations("workspaceId", workspaceId),
        ...nameViolations("displayName", displayName, WorkspaceLimits.displayNameMaxLength),
        ...(firstAdminToken ? tokenViolations(firstAdminToken, now) : []),
      ];
      if (violations.length > 0) return invalid(violations);
      // A deleted workspace's id is never given out again: its clients' streams still name it.
      if (state.status === "present") return reject(WorkspaceRejections.alreadyExists, `The workspace '${workspaceId}' exists or existed.`);
      return accept<WorkspaceEvent>(
        { type: "WorkspaceCreated", data: { workspaceId, displayName, createdOn: now.toISOString() } },
        ...(firstAdminToken ? [issued(workspaceId, firstAdminToken, now)] : []),
      );
    }
    case "RenameWorkspace": {
      const workspace = existing(state, workspaceId);
      if (isDecision(workspace)) return workspace;
      const violations = nameViolations("displayName", command.data.displayName, WorkspaceLimits.displayNameMaxLength);
      if (violations.length > 0) return invalid(violations);
      if (command.data.displayName === workspace.displayName) return accept();
      return accept({
        type: "WorkspaceRenamed",
        data: {
          workspaceId,
          displayName: command.data.displayName,
          previousDisplayName: workspace.displayName,
          renamedOn: now.toISOString(),
        },
      });
    }
    case "SuspendWorkspace": {
      const workspace = existing(state, workspaceId);
      if (isDecision(workspace)) return workspace;
      return workspace.status === "suspended"
        ? accept()
        : accept({ type: "WorkspaceSuspended", data: { workspaceId, suspendedOn: now.toISOString() } });
    }
    case "ResumeWorkspace": {
      const workspace = existing(state, workspaceId);
      if (isDecision(workspace)) return workspace;
      return workspace.status === "active"
        ? accept()
        : accept({ type: "WorkspaceResumed", data: { workspaceId, resumedOn: now.toISOString() } });
    }
    case "DeleteWorkspace": {
      const workspace = existing(state, workspaceId);
      if (isDecision(workspace)) return workspace;
      return accept({ type: "WorkspaceDeleted", data: { workspaceId, deletedOn: now.toISOString() } });
    }
    case "IssueAdminToken": {
      const workspace = existing(state, workspaceId);
      if (isDecision(workspace)) return workspace;
      const violations = tokenViolations(command.data.adminToken, now);
      if (violations.length > 0) return invalid(violations);
      return accept(issued(workspaceId, command.data.adminToken, now));
    }
    case "RevokeAdminToken": {
      const workspace = existing(state, workspaceId);
      if (isDecision(workspace)) return workspace;
      const token = workspace.adminTokens.find((candidate) => candidate.tokenId === command.data.tokenId);
      if (!token) return reject(WorkspaceRejections.adminTokenNotFound, `There is no admin token '${command.data.tokenId}'.`);
      return token.revokedOn === null ? accept(revoked(workspace, token.tokenId, token.fingerprint, now)) : accept();
    }
    case "BootstrapAdminToken":
      return bootstrap(state, command);
    default:
      return assertNever(command);
  }
};
