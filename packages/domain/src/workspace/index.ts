export * from "./commands.js";
export * from "./decide.js";
export * from "./events.js";
export * from "./publicEvent.js";
export * from "./streamName.js";
export * from "./workspace.js";

import type { Decider } from "../decider.js";
import type { WorkspaceCommand } from "./commands.js";
import { decideWorkspace, WorkspaceLimits } from "./decide.js";
import { isWorkspaceEventType, type WorkspaceEvent } from "./events.js";
import { evolveWorkspace, initialWorkspaceState, type WorkspaceState } from "./workspace.js";

export const workspaceDecider: Decider<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = {
  decide: decideWorkspace,
  evolve: evolveWorkspace,
  initialState: initialWorkspaceState,
  isEventType: isWorkspaceEventType,
  streamLimit: {
    maxEvents: WorkspaceLimits.maxEventsPerWorkspace,
    // Revoking, suspending and deleting must always work.
    closesDoors: (event) => ["AdminTokenRevoked", "WorkspaceSuspended", "WorkspaceDeleted"].includes(event.type),
  },
};
