import type { ChainAnchor } from "@clientapps/audit-trail";
import type { ReadModelCollection } from "@clientapps/read-models";

/** How often the newest entry of each workspace with an open tail is looked up, for entries another process recorded. */
export const tailLookIntervalMs = 25;

export type TailWaker = Readonly<{
  /** Calls `listener` when the workspace's newest activity entry changes; returns the function that stops it. */
  watch: (workspaceId: string, listener: () => void) => () => void;
}>;

type Watched = { listeners: Set<() => void>; sequence: number | undefined };

/**
 * Wakes a workspace's live activity tails when another process (the distributed mode's audit)
 * records an entry: one read of the workspace's chain anchor, which names its newest entry, per
 * interval for all the tails open on the workspace, instead of a page query per tail and
 * interval; so a tail can hear of an entry within tens of milliseconds at a cost that does not
 * grow with the number of tails. Runs only while some tail is open, one look at a time. The
 * writes of this process reach the tails at once through the collection's `watch`; a tail still
 * polls on its own, rarely, should a look fail. A workspace's first look wakes its tails once.
 */
export const createTailWaker = (anchors: ReadModelCollection<ChainAnchor>, intervalMs = tailLookIntervalMs): TailWaker => {
  const watched = new Map<string, Watched>();
  let timer: NodeJS.Timeout | undefined;
  let looking = false;

  const look = async (): Promise<void> => {
    timer = undefined;
    looking = true;
    try {
      for (const [workspaceId, entry] of [...watched]) {
        const sequence = await anchors.get(workspaceId).then(
          (anchor) => anchor?.document.sequence ?? 0,
          () => entry.sequence,
        );
        if (sequence === entry.sequence) continue;
        entry.sequence = sequence;
        for (const listener of [...entry.listeners]) listener();
      }
    } finally {
      looking = false;
      schedule();
    }
  };

  const schedule = (): void => {
    if (watched.size > 0 && !looking) timer ??= setTimeout(() => void look(), intervalMs);
  };

  return {
    watch: (workspaceId, listener) => {
      const entry = watched.get(workspaceId) ?? { listeners: new Set<() => void>(), sequence: undefined };
      watched.set(workspaceId, entry);
      // Its own entry each time, so that one function watching twice is stopped once per call.
      const own = (): void => listener();
      entry.listeners.add(own);
      schedule();
      return () => {
        entry.listeners.delete(own);
        if (entry.listeners.size === 0) watched.delete(workspaceId);
        if (watched.size > 0) return;
        clearTimeout(timer);
        timer = undefined;
      };
    },
  };
};
