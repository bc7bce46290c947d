import { isWorkspaceActive, workspaceDecider, workspaceStreamName, type WorkspaceState } from "@clientapps/domain";
import { createStreamStateCache, type EventStore } from "@clientapps/event-store";

export type CurrentWorkspace = Readonly<{ state: WorkspaceState; revision: number | undefined }>;

/**
 * The state of each workspace, exact for its stream's current revision. Every check
 * asks the store only for the events after the revision it already folded (usually
 * none), so its cost does not grow with the stream, and a suspension or a revocation
 * written by any api instance holds from the next request.
 */
export type WorkspaceStates = Readonly<{
  current: (workspaceId: string) => Promise<CurrentWorkspace>;
  /**
   * Whether the workspace's credentials work: it exists and is neither suspended nor
   * deleted. The one check every caller path goes through: admin tokens and API keys
   * on every request, client secrets in introspection, registration access tokens.
   */
  isActive: (workspaceId: string) => Promise<boolean>;
}>;

/** Workspaces kept folded in memory; beyond it the least recently asked is folded again when asked. */
const defaultMaxCached = 10_000;

export const createWorkspaceStates = (eventStore: EventStore, maxCached = defaultMaxCached): WorkspaceStates => {
  const cache = createStreamStateCache(eventStore, workspaceDecider, { maxStreams: maxCached });
  const current = (workspaceId: string): Promise<CurrentWorkspace> => cache.load(workspaceStreamName(workspaceId));
  return { current, isActive: async (workspaceId) => isWorkspaceActive((await current(workspaceId)).state) };
};
