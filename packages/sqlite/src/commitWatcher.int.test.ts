import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { commitWatcher, type CommitWatcher } from "./commitWatcher.js";
import { openSqliteDatabase, type Database } from "./openSqliteDatabase.js";

let dir: string;
let watched: Database;
let other: Database;
/** Every listener a test starts, stopped after it: the watchers of a process share their timers. */
const stops: (() => void)[] = [];
const listen = (watcher: CommitWatcher, listener: () => void): (() => void) => {
  const stop = watcher.listen(listener);
  stops.push(stop);
  return stop;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clientapps-watcher-"));
  watched = openSqliteDatabase(join(dir, "x.sqlite"));
  watched.exec("CREATE TABLE t (n INTEGER)");
  other = openSqliteDatabase(join(dir, "x.sqlite"));
});
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  vi.useRealTimers();
  other.close();
  watched.close();
  rmSync(dir, { recursive: true, force: true });
});

const intervalMs = 20;

describe("commitWatcher", () => {
  it("tells every listener once per interval in which another connection committed, and not of the handle's own commits", () => {
    vi.useFakeTimers();
    const watcher = commitWatcher(watched, intervalMs);
    const first = vi.fn();
    const second = vi.fn();
    listen(watcher, first);
    listen(watcher, second);

    watched.exec("INSERT INTO t VALUES (1)");
    vi.advanceTimersByTime(intervalMs);
    expect(first).not.toHaveBeenCalled();

    other.exec("INSERT INTO t VALUES (2)");
    other.exec("INSERT INTO t VALUES (3)");
    vi.advanceTimersByTime(intervalMs);
    expect([first.mock.calls.length, second.mock.calls.length]).toEqual([1, 1]);

    vi.advanceTimersByTime(intervalMs * 5);
    expect(first).toHaveBeenCalledTimes(1);
  });

  it("tells a listener of a commit made after the watcher was made but before it listened", () => {
    vi.useFakeTimers();
    const watcher = commitWatcher(watched, intervalMs);
    other.exec("INSERT INTO t VALUES (1)");
    const listener = vi.fn();
    listen(watcher, listener);
    vi.advanceTimersByTime(intervalMs);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("runs a timer only while it has listeners", () => {
    vi.useFakeTimers();
    const watcher = commitWatcher(watched, intervalMs);
    expect(vi.getTimerCount()).toBe(0);
    const stopFirst = listen(watcher, () => undefined);
    const stopSecond = listen(watcher, () => undefined);
    vi.advanceTimersByTime(intervalMs * 3);
    expect(vi.getTimerCount()).toBe(1);
    stopFirst();
    expect(vi.getTimerCount()).toBe(1);
    stopSecond();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("looks at every watched file on one timer per interval", () => {
    vi.useFakeTimers();
    const second = openSqliteDatabase(join(dir, "z.sqlite"));
    const secondOther = openSqliteDatabase(join(dir, "z.sqlite"));
    secondOther.exec("CREATE TABLE t (n INTEGER)");
    const ofFirst = vi.fn();
    const ofSecond = vi.fn();
    const stopBoth = [listen(commitWatcher(watched, intervalMs), ofFirst), listen(commitWatcher(second, intervalMs), ofSecond)];
    expect(vi.getTimerCount()).toBe(1);

    secondOther.exec("INSERT INTO t VALUES (1)");
    vi.advanceTimersByTime(intervalMs);
    expect([ofFirst.mock.calls.length, ofSecond.mock.calls.length]).toEqual([0, 1]);

    for (const stop of stopBoth) stop();
    expect(vi.getTimerCount()).toBe(0);
    secondOther.close();
    second.close();
  });

  it("tells every listener when the handle cannot be read, so that their own reads report it", () => {
    vi.useFakeTimers();
    const scratch = openSqliteDatabase(join(dir, "y.sqlite"));
    const watcher = commitWatcher(scratch, intervalMs);
    const listener = vi.fn();
    listen(watcher, listener);
    scratch.close();
    vi.advanceTimersByTime(intervalMs);
    expect(listener).toHaveBeenCalled();
  });

  it("refuses an interval that is not positive", () => {
    expect(() => commitWatcher(watched, 0)).toThrow(RangeError);
  });
});
