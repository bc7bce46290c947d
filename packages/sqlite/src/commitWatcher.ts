import type Database from "better-sqlite3";

/** Tells its listeners of commits other connections made to a file; see {@link commitWatcher}. */
export type CommitWatcher = Readonly<{
  /** Calls `listener` after each interval in which another connection committed; returns the function that stops it. */
  listen: (listener: () => void) => () => void;
}>;

/**
 * One timer per interval for all the watchers of the process (the event store's and the bus's,
 * on two files), so that what they cost at rest is one wake-up of the process per interval.
 * A timer runs only while some watcher has listeners.
 */
const clocks = new Map<number, { looks: Set<() => void>; timer: NodeJS.Timeout | undefined }>();

const everyInterval = (intervalMs: number, look: () => void): (() => void) => {
  const clock = clocks.get(intervalMs) ?? { looks: new Set<() => void>(), timer: undefined };
  clocks.set(intervalMs, clock);
  const tick = (): void => {
    clock.timer = undefined;
    for (const each of [...clock.looks]) each();
    if (clock.looks.size > 0) clock.timer ??= setTimeout(tick, intervalMs);
  };
  clock.looks.add(look);
  clock.timer ??= setTimeout(tick, intervalMs);
  return () => {
    clock.looks.delete(look);
    if (clock.looks.size > 0) return;
    clearTimeout(clock.timer);
    clocks.delete(intervalMs);
  };
};

/**
 * Looks once per interval whether another connection (another process, or another handle of
 * this one) has committed to the handle's file, and tells every listener when one has: one
 * `PRAGMA data_version` per interval for all the subscriptions and consumers of a handle,
 * instead of a read of the file per listener and interval, so that the interval can be short.
 * The version is first read when the watcher is made, so a commit between then and a
 * listener's first interval is told too; a listener may be told of a commit it has already
 * read (a new listener reads the file itself first), never miss one. A handle that cannot be
 * read (closed, an I/O error) tells every listener, whose own read then reports the failure.
 */
export const commitWatcher = (db: Database.Database, intervalMs: number): CommitWatcher => {
  if (!(intervalMs > 0)) throw new RangeError("intervalMs must be positive.");
  const statement = db.prepare<[], number>("PRAGMA data_version").pluck();
  const readVersion = (): number | undefined => {
    try {
      return statement.get();
    } catch {
      return undefined;
    }
  };
  const listeners = new Set<() => void>();
  let version = readVersion();
  let stopLooking: (() => void) | undefined;

  const look = (): void => {
    const current = readVersion();
    if (current !== undefined && current === version) return;
    version = current;
    for (const listener of [...listeners]) listener();
  };

  return {
    listen: (listener) => {
      // Its own entry each time, so that one function listening twice is stopped once per call.
      const entry = (): void => listener();
      listeners.add(entry);
      stopLooking ??= everyInterval(intervalMs, look);
      return () => {
        listeners.delete(entry);
        if (listeners.size > 0) return;
        stopLooking?.();
        stopLooking = undefined;
      };
    },
  };
};
