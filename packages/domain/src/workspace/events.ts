import type { AdminToken } from "./workspace.js";

type Identity = Readonly<{ workspaceId: string }>;

/*
 * One stream per workspace: its life (created, renamed, suspended, resumed, deleted)
 * and its admin tokens. Like every credential event, an issued admin token carries its
 * id, fingerprint and keyed hash, never the token.
 */

export type WorkspaceCreated = Readonly<{
  type: "WorkspaceCreated";
  data: Identity & Readonly<{ displayName: string; createdOn: string }>;
}>;

export type WorkspaceRenamed = Readonly<{
  type: "WorkspaceRenamed";
  data: Identity & Readonly<{ displayName: string; previousDisplayName: string; renamedOn: string }>;
}>;

export type WorkspaceSuspended = Readonly<{ type: "WorkspaceSuspended"; data: Identity & Readonly<{ suspendedOn: string }> }>;

export type WorkspaceResumed = Readonly<{ type: "WorkspaceResumed"; data: Identity & Readonly<{ resumedOn: string }> }>;

export type WorkspaceDeleted = Readonly<{ type: "WorkspaceDeleted"; data: Identity & Readonly<{ deletedOn: string }> }>;

export type AdminTokenIssued = Readonly<{
  type: "AdminTokenIssued";
  data: Identity & Readonly<{ adminToken: Omit<AdminToken, "revokedOn"> }>;
}>;

export type AdminTokenRevoked = Readonly<{
  type: "AdminTokenRevoked";
  data: Identity & Readonly<{ tokenId: string; fingerprint: string; revokedOn: string }>;
}>;

export type WorkspaceEvent =
  WorkspaceCreated | WorkspaceRenamed | WorkspaceSuspended | WorkspaceResumed | WorkspaceDeleted | AdminTokenIssued | AdminTokenRevoked;

export type WorkspaceEventType = WorkspaceEvent["type"];

/** Every event type, once: the compiler refuses this object when one is missing or unknown. */
const eventTypeSet = {
  WorkspaceCreated: true,
  WorkspaceRenamed: true,
  WorkspaceSuspended: true,
  WorkspaceResumed: true,
  WorkspaceDeleted: true,
  AdminTokenIssued: true,
  AdminTokenRevoked: true,
} as const satisfies Record<WorkspaceEventType, true>;

/** Whether this build knows an event type of the workspace stream. */
export const isWorkspaceEventType = (name: string): name is WorkspaceEventType => Object.hasOwn(eventTypeSet, name);

export const workspaceEventTypes: readonly WorkspaceEventType[] = Object.keys(eventTypeSet).filter(isWorkspaceEventType);
