import { isWorkspaceActive, workspaceDecider, workspaceStreamName, type WorkspaceEvent, type WorkspaceState } from "@clientapps/domain";
import { decodeEvent, UnreadableStreamError, type EventStore } from "@clientapps/event-store";

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
  const cache = new Map<string, CurrentWorkspace>();

  const current = async (workspaceId: string): Promise<CurrentWorkspace> => {
    const known = cache.get(workspaceId) ?? { state: workspaceDecider.initialState(), revision: undefined };
    const streamName = workspaceStreamName(workspaceId);
    const recorded = await eventStore.readStream(streamName, { fromRevision: (known.revision ?? -1) + 1 });
    let { state, revision } = known;
    for (const event of recorded) {
      const decoded = decodeEvent<WorkspaceEvent>(event, workspaceDecider.isEventType);
      // No decision, and no credential, may rest on a state that misses a change.
      if (!decoded) throw new UnreadableStreamError(streamName, event.type);
      state = workspaceDecider.evolve(state, decoded);
      revision = event.revision;
    }
    const latest = cache.get(workspaceId);
    // A concurrent check may have folded further meanwhile: the cache only moves forward.
    if (latest === undefined || (latest.revision ?? -1) <= (revision ?? -1)) {
      cache.delete(workspaceId);
      cache.set(workspaceId, { state, revision });
      if (cache.size > maxCached) cache.delete(cache.keys().next().value as string);
    }
    return { state, revision };
  };

  return { current, isActive: async (workspaceId) => isWorkspaceActive((await current(workspaceId)).state) };
};
