import { Problems } from "./problem.js";

export type FailureRateLimit = Readonly<{
  /** Throws a 429 when `key` has failed too often in the current window. */
  assertAllowed: (key: string) => void;
  recordFailure: (key: string) => void;
}>;

const maxKeysTracked = 50_000;

/**
 * Counts failures per key in fixed windows. Only failures count, so a caller
 * checking many valid credentials is never slowed, while guessing is.
 * Per process: behind several instances the limit applies per instance.
 */
export const createFailureRateLimit = (options: Readonly<{ limit: number; windowMs: number; clock: () => Date }>): FailureRateLimit => {
  const windows = new Map<string, { startedAt: number; failures: number }>();
  const current = (key: string) => {
    const now = options.clock().getTime();
    const window = windows.get(key);
    if (window && now - window.startedAt < options.windowMs) return { window, now };
    windows.delete(key);
    return { window: undefined, now };
  };
  return {
    assertAllowed: (key) => {
      const { window, now } = current(key);
      if (window && window.failures >= options.limit) {
        const retryAfter = Math.max(1, Math.ceil((window.startedAt + options.windowMs - now) / 1000));
        throw Problems.tooManyRequests(`Too many failed attempts; retry in ${retryAfter} s.`, retryAfter);
      }
    },
    recordFailure: (key) => {
      const { window, now } = current(key);
      if (window) window.failures += 1;
      else {
        if (windows.size >= maxKeysTracked) windows.delete(windows.keys().next().value as string);
        windows.set(key, { startedAt: now, failures: 1 });
      }
    },
  };
};
