import { Position } from "@clientapps/event-store";
import type { CheckpointStore } from "@clientapps/read-models";
import { sleep } from "@clientapps/runtime";
import { Problems } from "../http/problem.js";

export type ReadYourWrites = Readonly<{
  /** Records the position of a caller's write. */
  remember: (callerId: string, position: Position) => void;
  /**
   * Waits until the projection has applied the caller's last write here, and the
   * position the caller names (from another api instance), whichever is later.
   */
  waitFor: (callerId: string, projection: string, named: Position | undefined) => Promise<void>;
}>;

const maxCallersTracked = 10_000;

/** Polls a projection's checkpoint until it reaches `target`; false when `timeoutMs` passes first. */
export const waitForCheckpoint = async (
  checkpoints: CheckpointStore,
  projection: string,
  target: Position,
  timeoutMs: number,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    const checkpoint = await checkpoints.get(projection);
    if (checkpoint !== undefined && Position.reached(Position.parse(checkpoint), target)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(delay);
  }
};

/**
 * The api promises a caller sees its own writes. Writes are remembered per
 * credential in memory (bounded; oldest forgotten first), and a caller that
 * spreads requests over several api instances passes the `X-Position` it was
 * given as `X-Min-Position`. The wait is bounded; past it the answer is a 503,
 * never a stale read presented as fresh.
 */
export const createReadYourWrites = (
  checkpoints: CheckpointStore,
  options: Readonly<{ timeoutMs: number; headPosition: () => Promise<Position | undefined> }>,
): ReadYourWrites => {
  const lastWrite = new Map<string, Position>();
  return {
    remember: (callerId, position) => {
      lastWrite.delete(callerId);
      lastWrite.set(callerId, position);
      if (lastWrite.size > maxCallersTracked) lastWrite.delete(lastWrite.keys().next().value as string);
    },
    waitFor: async (callerId, projection, named) => {
      const remembered = lastWrite.get(callerId);
      // A named position past the head of the log could never be reached: it is held to the head.
      const head = named === undefined ? undefined : await options.headPosition();
      const reachable = named !== undefined && head !== undefined && Position.compare(named, head) > 0 ? head : named;
      const target = [remembered, reachable]
        .filter((p): p is Position => p !== undefined)
        .sort(Position.compare)
        .at(-1);
      if (target === undefined) return;
      if (!(await waitForCheckpoint(checkpoints, projection, target, options.timeoutMs))) {
        throw Problems.unavailable("projection_lagging", "The read model has not caught up with your latest write yet; retry shortly.");
      }
    },
  };
};
