import { closeSync, openSync } from "node:fs";
import Database from "better-sqlite3";

export type { Database } from "better-sqlite3";

export class SqliteOpenError extends Error {
  readonly code = "sqlite_open_failed";
}

/**
 * How durable a commit is once it returns. `full` (`synchronous=FULL`): on disk, surviving a
 * power loss; for the source of truth. `derived` (`synchronous=NORMAL`, which in WAL mode skips
 * the fsync of each commit): surviving a crash of the process but, across a power loss, perhaps
 * not the last commits; for a file whose contents and checkpoints are rebuilt from a `full` one,
 * as the commits lost and the checkpoints recording them are lost together.
 */
export type SqliteDurability = "full" | "derived";

/**
 * Opens (creating if missing) an SQLite file of the embedded mode. WAL lets
 * readers, and subscriptions in other processes, read while one process writes;
 * the busy timeout, set first so that even the switch to WAL waits, lets a writer
 * wait for another process's transaction instead of failing at once. A new file is
 * readable by its owner only (0600): the files hold credential hashes. The caller
 * owns, and closes, the handle.
 */
export const openSqliteDatabase = (path: string, durability: SqliteDurability = "full"): Database.Database => {
  let db: Database.Database | undefined;
  try {
    // Created owner-only before SQLite opens it: its journal files take the database file's mode.
    closeSync(openSync(path, "a", 0o600));
    db = new Database(path);
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.pragma(durability === "full" ? "synchronous = FULL" : "synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    return db;
  } catch (error) {
    db?.close();
    throw new SqliteOpenError(`Cannot open the SQLite database '${path}'.`, { cause: error });
  }
};
