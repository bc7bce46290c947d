import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openSqliteDatabase, SqliteOpenError } from "./openSqliteDatabase.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clientapps-sqlite-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("opens a durable, concurrent-reader database", () => {
  const db = openSqliteDatabase(join(dir, "x.sqlite"));
  expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
  expect(db.pragma("synchronous", { simple: true })).toBe(2);
  expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
  expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
  db.close();
});

it("opens a file of derived data without an fsync per commit, in WAL mode still", () => {
  const db = openSqliteDatabase(join(dir, "x.sqlite"), "derived");
  expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
  expect(db.pragma("synchronous", { simple: true })).toBe(1);
  db.close();
});

it("says which file it could not open", () => {
  const path = join(dir, "missing", "x.sqlite");
  expect(() => openSqliteDatabase(path)).toThrow(SqliteOpenError);
  expect(() => openSqliteDatabase(path)).toThrow(path);
});

it("creates its files readable and writable by the owner only, as the pepper is: they hold credential hashes", () => {
  const path = join(dir, "x.sqlite");
  const db = openSqliteDatabase(path);
  db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");

  for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
  db.close();
});
