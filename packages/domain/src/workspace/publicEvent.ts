import { assertNever } from "../decider.js";
import type { AdminTokenIssued, WorkspaceEvent } from "./events.js";

/** An admin token as it leaves the event store: without its keyed hash. */
export type PublicAdminToken = Omit<AdminTokenIssued["data"]["adminToken"], "hash">;

export type PublicAdminTokenIssued = Readonly<{
  type: AdminTokenIssued["type"];
  data: Readonly<Omit<AdminTokenIssued["data"], "adminToken"> & { adminToken: PublicAdminToken }>;
}>;

export type PublicWorkspaceEvent = Exclude<WorkspaceEvent, AdminTokenIssued> | PublicAdminTokenIssued;

export const publicWorkspaceEvent = (event: WorkspaceEvent): PublicWorkspaceEvent => {
  switch (event.type) {
    case "AdminTokenIssued": {
      const { hash: _hash, ...adminToken } = event.data.adminToken;
      return { type: event.type, data: { ...event.data, adminToken } };
    }
    case "WorkspaceCreated":
    case "WorkspaceRenamed":
    case "WorkspaceSuspended":
    case "WorkspaceResumed":
    case "WorkspaceDeleted":
    case "AdminTokenRevoked":
      return event;
    default:
      return assertNever(event);
  }
};
