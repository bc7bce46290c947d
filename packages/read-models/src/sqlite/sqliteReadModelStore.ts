import Database from "better-sqlite3";
import { encodeCursor } from "../cursor.js";
import { DuplicateKeyError, ReadModelError, ReadModelUnavailableError } from "../errors.js";
import type {
  CheckpointStore,
  CollectionDefinition,
  Document,
  FindQuery,
  Page,
  ReadModelCollection,
  ReadModelStore,
  Stored,
} from "../readModelStore.js";
import { assertIdentifier } from "../identifier.js";
import { fieldValue, indexName, tableName } from "./sqlNames.js";
import { sqliteFindQuery, type SqlValue } from "./sqliteFindQuery.js";
import { turnTransactions } from "@clientapps/sqlite";

/** Prepared find statements kept per collection; more shapes than this are prepared again when asked. */
const maxFindShapes = 64;

type Row = Readonly<{ id: string; revision: number; doc: string }>;
type PageRow = Row & Readonly<{ sort_key: SqlValue }>;

/**
 * Every driver error becomes a port error here. A unique index violation is the
 * caller's to handle; anything else (SQLITE_BUSY, I/O errors, a handle its owner
 * closed) means the store cannot serve the request now.
 */
const translate = (error: unknown, collection?: string): ReadModelError => {
  if (error instanceof ReadModelError) return error;
  const code = error instanceof Database.SqliteError ? error.code : undefined;
  if (collection !== undefined && code === "SQLITE_CONSTRAINT_UNIQUE") return new DuplicateKeyError(collection);
  return new ReadModelUnavailableError(`The SQLite read-model store failed (${code ?? "driver error"}).`, {
    cause: error,
  });
};

const toStored = <T extends Document>(row: Row): Stored<T> => ({
  id: row.id,
  revision: row.revision,
  document: JSON.parse(row.doc) as T,
});

const assertRevision = (revision: number): void => {
  if (!Number.isSafeInteger(revision) || revision < 0) {
    throw new RangeError(`A revision is a non-negative integer, got ${String(revision)}.`);
  }
};

/**
 * The read-model store over a better-sqlite3 handle: one table per collection,
 * documents as JSON, expression indexes on their fields, and a `checkpoints` table.
 *
 * The handle belongs to the caller, who opened it and may share it (the embedded
 * mode keeps several stores in one file), so `close()` does not close it: it only
 * makes this store refuse further work with {@link ReadModelUnavailableError}.
 */
export type SqliteReadModelStoreOptions = Readonly<{
  /**
   * Reads see only what is committed: a read first commits the turn's open transaction (see
   * turnTransactions). For what serves readers outside the pipeline (the api), who must never
   * be shown an entry a crash would take back and number again; the pipeline itself reads its
   * own writes of the turn, which a crash takes back together with them.
   */
  committedReads?: boolean;
}>;

/**
 * Watchers per file handle and collection name, so that every store on a handle (the api's,
 * which reads committed, and the pipeline's, which writes) hears every write to a collection.
 */
const watchersByHandle = new WeakMap<Database.Database, Map<string, Set<() => void>>>();

export const createSqliteReadModelStore = (db: Database.Database, options: SqliteReadModelStoreOptions = {}): ReadModelStore => {
  let closed = false;
  // Case-insensitive search must fold "Ä" like "A", which SQLite's lower() does not.
  db.function("unicode_lower", { deterministic: true }, (value: unknown) => (typeof value === "string" ? value.toLowerCase() : value));

  const run = <R>(work: () => R, collection?: string): R => {
    if (closed) throw new ReadModelUnavailableError("The read-model store is closed.");
    try {
      return work();
    } catch (error) {
      throw translate(error, collection);
    }
  };

  const turn = run(() => turnTransactions(db));
  /** A read, after committing the turn when this store reads committed only. */
  const read = <R>(work: () => R): R =>
    run(() => {
      if (options.committedReads === true) turn.commitNow();
      return work();
    });

  // Checkpoint positions are opaque strings whose order is their lexicographic
  // order (event-store positions are fixed-width hex), so SQLite's default BINARY
  // comparison of the TEXT column orders them correctly.
  const checkpointStatements = run(() => {
    turn.schema(() => db.exec("CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL)"));
    return {
      get: db.prepare<[string], { position: string }>("SELECT position FROM checkpoints WHERE name = ?"),
      save: db.prepare<[string, string]>(
        "INSERT INTO checkpoints (name, position) VALUES (?, ?) " +
          "ON CONFLICT(name) DO UPDATE SET position = excluded.position WHERE checkpoints.position < excluded.position",
      ),
      reset: db.prepare<[string]>("DELETE FROM checkpoints WHERE name = ?"),
      ping: db.prepare("SELECT 1"),
    };
  });

  const checkpoints: CheckpointStore = {
    get: async (name) => read(() => checkpointStatements.get.get(name)?.position),
    save: async (name, position) => {
      run(() => turn.write(() => checkpointStatements.save.run(name, position)));
    },
    reset: async (name) => {
      run(() => turn.write(() => checkpointStatements.reset.run(name)));
    },
  };

  const watchersOf = (name: string): Set<() => void> => {
    const byCollection = watchersByHandle.get(db) ?? new Map<string, Set<() => void>>();
    watchersByHandle.set(db, byCollection);
    const existing = byCollection.get(name);
    if (existing) return existing;
    const created = new Set<() => void>();
    byCollection.set(name, created);
    return created;
  };

  const openCollection = <T extends Document>(definition: CollectionDefinition): ReadModelCollection<T> => {
    const name = assertIdentifier("collection", definition.name);
    // A query's SQL depends on its shape only (which filters, which order), never on its values,
    // so the few shapes a collection is asked are prepared once each.
    const findStatements = new Map<string, Database.Statement<SqlValue[], PageRow>>();
    const findStatement = (sql: string): Database.Statement<SqlValue[], PageRow> => {
      const known = findStatements.get(sql);
      if (known) return known;
      const prepared = db.prepare<SqlValue[], PageRow>(sql);
      if (findStatements.size >= maxFindShapes) findStatements.delete(findStatements.keys().next().value as string);
      findStatements.set(sql, prepared);
      return prepared;
    };
    // On a handle opened at a lower durability (the embedded read models: see openSqliteDatabase)
    // the writes of one turn share a transaction; a durable collection's write commits the turn,
    // then itself with a full fsync (see turnTransactions).
    const durability = definition.durable === true ? turn.durable : turn.write;
    const watchers = watchersOf(name);
    const write = <R>(work: () => R): R => {
      const result = durability(work);
      for (const watcher of watchers) watcher();
      return result;
    };
    const table = tableName(name);
    const indexes = definition.indexes.map(({ fields, unique = false }) => {
      if (fields.length === 0) throw new RangeError(`An index of '${name}' has no fields.`);
      // A trailing id orders ties the way `find` does, so a page is read in index
      // order without sorting; a unique index cannot take it without losing uniqueness.
      const columns = [...fields.map(fieldValue), ...(unique ? [] : ["id"])].join(", ");
      const kind = unique ? "UNIQUE INDEX" : "INDEX";
      return `CREATE ${kind} IF NOT EXISTS ${indexName(name, fields, unique)} ON ${table} (${columns})`;
    });

    // Every statement is idempotent, and the schema is committed as soon as it is made.
    const statements = run(
      () =>
        turn.schema(() => {
          db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, revision INTEGER NOT NULL, doc TEXT NOT NULL)`);
          for (const index of indexes) db.exec(index);
          return {
            get: db.prepare<[string], Row>(`SELECT id, revision, doc FROM ${table} WHERE id = ?`),
            // One statement, so no transaction: the revision guard makes a replayed
            // or out-of-order change a no-op instead of overwriting a newer one.
            upsert: db.prepare<[string, number, string]>(
              `INSERT INTO ${table} (id, revision, doc) VALUES (?, ?, ?) ` +
                `ON CONFLICT(id) DO UPDATE SET revision = excluded.revision, doc = excluded.doc ` +
                `WHERE ${table}.revision < excluded.revision`,
            ),
            remove: db.prepare<[string]>(`DELETE FROM ${table} WHERE id = ?`),
            removeAt: db.prepare<[string, number]>(`DELETE FROM ${table} WHERE id = ? AND revision = ?`),
            clear: db.prepare(`DELETE FROM ${table}`),
          };
        }),
      name,
    );

    return {
      get: async (id) =>
        read(() => {
          const row = statements.get.get(id);
          return row && toStored<T>(row);
        }),
      upsert: async (id, revision, document) => {
        assertRevision(revision);
        const json = JSON.stringify(document);
        return run(() => write(() => statements.upsert.run(id, revision, json).changes > 0), name);
      },
      remove: async (id, options = {}) =>
        run(() =>
          write(
            () => (options.revision === undefined ? statements.remove.run(id) : statements.removeAt.run(id, options.revision)).changes > 0,
          ),
        ),
      clear: async () => {
        run(() => write(() => statements.clear.run()));
      },
      watch: (listener) => {
        // Its own function each time, so that watching twice with one listener stops each on its own.
        const watcher = () => listener();
        watchers.add(watcher);
        return () => watchers.delete(watcher);
      },
      find: async (query: FindQuery<T>): Promise<Page<T>> => {
        const { sql, params } = sqliteFindQuery(table, query);
        const rows = read(() => findStatement(sql).all(...params));
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return {
          items: page.map((row) => toStored<T>(row)),
          nextCursor:
            rows.length > query.limit && last ? encodeCursor({ field: query.orderBy.field, value: last.sort_key, id: last.id }) : undefined,
        };
      },
    };
  };

  return {
    collection: async (definition) => openCollection(definition),
    checkpoints,
    ping: async () => {
      run(() => checkpointStatements.ping.get());
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // What this turn wrote is committed before the owner closes the handle, which would roll it
      // back. A commit that fails loses only derived writes, made again from their checkpoints.
      try {
        turn.commitNow();
      } catch (error) {
        throw translate(error);
      }
    },
  };
};
