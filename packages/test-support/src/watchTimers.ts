import { vi } from "vitest";

/**
 * Counts the timers set from now on that have neither fired nor been cleared,
 * to check that code leaves nothing running. Counting all of the process's
 * timers would not do: vitest's runner has a throttle timer of its own that
 * comes and goes while a test runs. Restored with the test's mocks.
 */
export const watchTimers = (): (() => number) => {
  const pending = new Set<NodeJS.Timeout>();
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  const watchedSet = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): NodeJS.Timeout => {
    const timer = set(() => {
      pending.delete(timer);
      callback(...args);
    }, ms);
    pending.add(timer);
    return timer;
  };
  vi.spyOn(globalThis, "setTimeout").mockImplementation(watchedSet as typeof setTimeout);
  vi.spyOn(globalThis, "clearTimeout").mockImplementation((timer) => {
    if (timer !== undefined) pending.delete(timer as NodeJS.Timeout);
    clear(timer);
  });
  return () => pending.size;
};
