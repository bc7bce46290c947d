import {
  assertIdentifier,
  type CheckpointStore,
  type CollectionDefinition,
  type Document,
  DuplicateKeyError,
  encodeCursor,
  type FindQuery,
  type Page,
  type ReadModelCollection,
  type ReadModelStore,
  ReadModelUnavailableError,
  type Scalar,
  type Stored,
} from "@clientapps/read-models";
import { MongoClient, MongoTopologyClosedError, type Db } from "mongodb";
import { guardedUpsert } from "./guardedUpsert.js";
import { translateMongoError } from "./mongoErrors.js";
import { mongoFindQuery } from "./mongoFindQuery.js";
import { checkpointCollectionName, collectionName, indexSpec } from "./mongoNames.js";

/**
 * How a document is stored: the read model's own fields stay under `doc`, so none
 * of them can clash with `_id` or `revision`, and a stored document reads back
 * exactly as written.
 */
type Envelope = { _id: string; revision: number; doc: Document };
type Checkpoint = { _id: string; position: string };

const assertRevision = (revision: number): void => {
  if (!Number.isSafeInteger(revision) || revision < 0) {
    throw new RangeError(`A revision is a non-negative integer, got ${String(revision)}.`);
  }
};

const toStored = <T extends Document>(envelope: Envelope): Stored<T> => ({
  id: envelope._id,
  revision: envelope.revision,
  document: envelope.doc as T,
});

/** The sort value the next page starts after; a missing field sorts as null, as MongoDB sorts it. */
const sortValue = (envelope: Envelope, field: string): Scalar => {
  const value = envelope.doc[field] ?? null;
  if (typeof value === "object" && value !== null) {
    throw new TypeError(`The sort field '${field}' of '${envelope._id}' holds an object or array, not a scalar.`);
  }
  return value;
};

/**
 * The read-model store over a MongoDB database: one collection per read model
 * (`rm_<name>`), documents as `{ _id, revision, doc }`, indexes on `doc.<field>`,
 * and checkpoints in `rm__checkpoints`. No transactions and no change streams,
 * so MongoDB-compatible servers such as FerretDB serve it too.
 *
 * The database's client belongs to the caller, who may share it, so `close()` does
 * not close it: it only makes this store refuse further work with
 * {@link ReadModelUnavailableError}.
 */
export type MongoReadModelStoreOptions = Readonly<{
  /**
   * Connects the client again after the driver closed its topology, which it does when the first
   * connection fails (a server not up yet when the process starts): without it, every later
   * operation would fail with MongoTopologyClosedError however long the server has been back.
   */
  reconnect?: () => Promise<unknown>;
}>;

export const createMongoReadModelStore = (db: Db, options: MongoReadModelStoreOptions = {}): ReadModelStore => {
  let closed = false;
  let reconnecting: Promise<unknown> | undefined;

  const run = async <R>(work: () => Promise<R>): Promise<R> => {
    if (closed) throw new ReadModelUnavailableError("The read-model store is closed.");
    try {
      return await work();
    } catch (error) {
      // Not awaited: this operation fails as unavailable, as it would have; the next one finds the client connecting or connected.
      if (error instanceof MongoTopologyClosedError && options.reconnect && !closed) {
        reconnecting ??= options
          .reconnect()
          .catch(() => undefined)
          .finally(() => (reconnecting = undefined));
      }
      throw translateMongoError(error);
    }
  };

  const checkpointRecords = db.collection<Checkpoint>(checkpointCollectionName);
  // Positions are opaque strings ordered lexicographically (the event store's
  // fixed-width hex), which is how MongoDB compares strings without a collation.
  const checkpoints: CheckpointStore = {
    get: async (name) => run(async () => (await checkpointRecords.findOne({ _id: name }))?.position),
    save: async (name, position) => {
      await run(() =>
        guardedUpsert({
          write: () => checkpointRecords.updateOne({ _id: name, position: { $lt: position } }, { $set: { position } }, { upsert: true }),
          storedIsCurrent: async () => {
            const stored = await checkpointRecords.findOne({ _id: name });
            return stored !== null && stored.position >= position;
          },
        }),
      );
    },
    reset: async (name) => {
      await run(() => checkpointRecords.deleteOne({ _id: name }));
    },
  };

  const openCollection = async <T extends Document>(definition: CollectionDefinition): Promise<ReadModelCollection<T>> => {
    const name = assertIdentifier("collection", definition.name);
    const records = db.collection<Envelope>(collectionName(name));
    const indexes = definition.indexes.map(({ fields, unique = false }) => indexSpec(name, fields, unique));
    // Only the missing indexes are created: reopening a collection then asks for nothing,
    // and finishing an interrupted opening needs no transaction. (FerretDB 1.24 also
    // crashes the connection when asked to create an index that already exists.)
    await run(async () => {
      // indexes() is listIndexes().toArray(), typed; it fails on a collection that does not exist yet.
      const existing = new Set((await records.indexes().catch(() => [])).map((index) => index.name));
      const missing = indexes.filter((index) => !existing.has(index.name));
      if (missing.length > 0) await records.createIndexes(missing.map((index) => ({ ...index })));
    });

    return {
      get: async (id) =>
        run(async () => {
          const envelope = await records.findOne({ _id: id });
          return envelope ? toStored<T>(envelope) : undefined;
        }),
      upsert: async (id, revision, document) => {
        assertRevision(revision);
        return run(() =>
          guardedUpsert({
            write: () =>
              records.updateOne({ _id: id, revision: { $lt: revision } }, { $set: { revision, doc: document } }, { upsert: true }),
            storedIsCurrent: async () => ((await records.findOne({ _id: id }))?.revision ?? -1) >= revision,
            otherDuplicate: () => new DuplicateKeyError(name),
          }),
        );
      },
      remove: async (id, options = {}) =>
        run(async () => {
          const filter = options.revision === undefined ? { _id: id } : { _id: id, revision: options.revision };
          return (await records.deleteOne(filter)).deletedCount > 0;
        }),
      clear: async () => {
        await run(() => records.deleteMany({}));
      },
      find: async (query: FindQuery<T>): Promise<Page<T>> => {
        const { filter, sort, limit } = mongoFindQuery(query);
        const found = await run(() => records.find(filter, { sort, limit }).toArray());
        const page = found.slice(0, query.limit);
        const last = page.at(-1);
        return {
          items: page.map((envelope) => toStored<T>(envelope)),
          nextCursor:
            found.length > query.limit && last
              ? encodeCursor({ field: query.orderBy.field, value: sortValue(last, query.orderBy.field), id: last._id })
              : undefined,
        };
      },
    };
  };

  return {
    collection: openCollection,
    checkpoints,
    ping: async () => {
      await run(() => db.command({ ping: 1 }));
    },
    close: async () => {
      closed = true;
    },
  };
};

/**
 * A store on its own client, for composition roots that have only a URL. The
 * driver connects on first use and reconnects by itself, so a process starts
 * while MongoDB is down; `close()` also closes the client.
 */
export const connectMongoReadModelStore = (url: string, database: string): ReadModelStore => {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  const store = createMongoReadModelStore(client.db(database), { reconnect: () => client.connect() });
  return { ...store, close: async () => (await store.close(), await client.close()) };
};
