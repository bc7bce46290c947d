import {
  evolveWorkspace,
  isWorkspaceEventType,
  workspaceStreamPrefix,
  type AdminToken,
  type WorkspaceEvent,
  type WorkspaceState,
} from "@clientapps/domain";
import type { Projection } from "@clientapps/projections";
import {
  adminTokenIndexCheckpoint,
  adminTokenIndexCollection,
  workspacesCheckpoint,
  workspacesCollection,
  workspaceViewOf,
  type AdminTokenIndexEntry,
  type WorkspaceView,
} from "./workspaceView.js";

/** The state a view was made from; the view keeps no hash, and evolving needs none. */
const stateOf = (view: WorkspaceView | undefined): WorkspaceState =>
  view
    ? {
        status: "present",
        workspace: {
          workspaceId: view.workspaceId,
          displayName: view.displayName,
          status: view.status,
          createdOn: view.createdOn,
          updatedOn: view.updatedOn,
          adminTokens: view.adminTokens.map((token): AdminToken => ({ ...token, hash: "" })),
        },
      }
    : { status: "absent" };

/** The workspaces, for the operator API; each document carries its stream's revision, so a replay changes nothing. */
export const workspacesProjection: Projection<WorkspaceEvent> = {
  name: workspacesCheckpoint,
  streamPrefix: workspaceStreamPrefix,
  isEventType: isWorkspaceEventType,
  open: async (store) => {
    const views = await store.collection<WorkspaceView>(workspacesCollection);
    return {
      clear: () => views.clear(),
      apply: async (event, recorded) => {
        const stored = await views.get(event.data.workspaceId);
        if (stored && stored.revision >= recorded.revision) return;
        const state = evolveWorkspace(stateOf(stored?.document), event);
        if (state.status !== "present") return;
        await views.upsert(event.data.workspaceId, recorded.revision, workspaceViewOf(state.workspace));
      },
    };
  },
};

export const adminTokenIndexProjection: Projection<WorkspaceEvent> = {
  name: adminTokenIndexCheckpoint,
  streamPrefix: workspaceStreamPrefix,
  isEventType: isWorkspaceEventType,
  open: async (store) => {
    const entries = await store.collection<AdminTokenIndexEntry>(adminTokenIndexCollection);
    return {
      clear: () => entries.clear(),
      apply: async (event, recorded) => {
        if (event.type !== "AdminTokenIssued") return;
        const { workspaceId, adminToken } = event.data;
        await entries.upsert(adminToken.hash, recorded.revision, { workspaceId, tokenId: adminToken.tokenId });
      },
    };
  },
};
