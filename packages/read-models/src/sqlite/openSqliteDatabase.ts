import Database from "better-sqlite3";
import { ReadModelUnavailableError } from "../errors.js";

/**
 * Opens (creating it if needed) the SQLite file for the embedded mode. WAL lets
 * readers work while the projector writes; synchronous=FULL makes every commit
 * survive a power cut, which NORMAL does not in WAL mode; busy_timeout makes a
 * writer wait for another connection's lock instead of failing at once.
 * The caller owns the handle and closes it.
 */
export const openSqliteDatabase = (path: string): Database.Database => {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    return db;
  } catch (error) {
    db?.close();
    throw new ReadModelUnavailableError(`Cannot open the SQLite read-model database at '${path}'.`, { cause: error });
  }
};
