import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReadModelUnavailableError } from "../errors.js";
import type { FindQuery } from "../readModelStore.js";
import { describeReadModelContract } from "../testing/index.js";
import { openSqliteDatabase } from "@clientapps/sqlite";
import { createSqliteReadModelStore } from "./index.js";

describeReadModelContract("sqlite file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "read-models-"));
  const db = openSqliteDatabase(join(dir, "read-models.db"));
  const store = createSqliteReadModelStore(db);
  return {
    store,
    dispose: async () => {
      await store.close();
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe("SQLite read-model store", () => {
  type Doc = { name: string; email: string };
  let dir: string;
  let file: string;
  const opened: Database.Database[] = [];
  const open = () => {
    const db = openSqliteDatabase(file);
    opened.push(db);
    return db;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "read-models-"));
    file = join(dir, "read-models.db");
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps documents, indexes and checkpoints after the file is closed and reopened", async () => {
    const definition = { name: "clients", indexes: [{ fields: ["email"], unique: true }] };
    const first = open();
    const before = createSqliteReadModelStore(first);
    await (await before.collection<Doc>(definition)).upsert("c1", 3, { name: "Ada", email: "ada@example.test" });
    await before.checkpoints.save("projector", "0000000a");
    await before.close();
    first.close();

    const after = createSqliteReadModelStore(open());
    const clients = await after.collection<Doc>(definition);
    expect(await clients.get("c1")).toEqual({
      id: "c1",
      revision: 3,
      document: { name: "Ada", email: "ada@example.test" },
    });
    expect(await after.checkpoints.get("projector")).toBe("0000000a");
    expect(await clients.upsert("c1", 2, { name: "Old", email: "old@example.test" })).toBe(false);
    await expect(clients.upsert("c2", 0, { name: "Eve", email: "ada@example.test" })).rejects.toMatchObject({
      code: "duplicate_key",
    });
  });

  it("creates one expression index per definition, unique when asked", async () => {
    const db = open();
    await createSqliteReadModelStore(db).collection({
      name: "keys",
      indexes: [{ fields: ["tenant", "slug"], unique: true }, { fields: ["createdAt"] }],
    });
    const indexes = db
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'collection_keys' " + "AND sql IS NOT NULL ORDER BY name",
      )
      .all();
    expect(indexes.map((index) => index.name)).toEqual(["collection_keys:index(createdAt)", "collection_keys:unique(tenant,slug)"]);
    expect(indexes[1]?.sql).toContain("UNIQUE");
  });

  const badNames = ["", "1clients", "_clients", "clients; DROP TABLE checkpoints; --", 'clients"', "cli-ents"];
  it.each([...badNames, "clients\n", "клиенты"])("refuses the collection name %j before touching the database", async (name) => {
    const db = open();
    const store = createSqliteReadModelStore(db);
    await expect(store.collection({ name, indexes: [] })).rejects.toThrow(/Invalid collection name/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(["checkpoints"]);
  });

  it("refuses index fields that are not plain identifiers", async () => {
    const store = createSqliteReadModelStore(open());
    for (const field of ["email')) --", "a.b", "$", "email'", ""]) {
      await expect(store.collection({ name: "clients", indexes: [{ fields: [field] }] })).rejects.toThrow(/Invalid field name/);
    }
    await expect(store.collection({ name: "clients", indexes: [{ fields: [] }] })).rejects.toThrow(/no fields/);
  });

  it("refuses query fields that are not plain identifiers, wherever they appear", async () => {
    const store = createSqliteReadModelStore(open());
    const clients = await store.collection<Doc>({ name: "clients", indexes: [] });
    await clients.upsert("c1", 0, { name: "Ada", email: "ada@example.test" });
    const evil = "name') OR 1=1 OR json_extract(doc, '$.name" as "name";
    const queries: FindQuery<Doc>[] = [
      { where: { [evil]: "x" }, orderBy: { field: "name", direction: "asc" }, limit: 10 },
      { contains: { field: evil, text: "x" }, orderBy: { field: "name", direction: "asc" }, limit: 10 },
      { range: { field: evil, from: "a" }, orderBy: { field: "name", direction: "asc" }, limit: 10 },
      { orderBy: { field: evil, direction: "asc" }, limit: 10 },
      { orderBy: { field: "name", direction: "asc; DROP TABLE checkpoints" as "asc" }, limit: 10 },
    ];
    for (const query of queries) await expect(clients.find(query)).rejects.toThrow(RangeError);
    expect((await clients.get("c1"))?.document.name).toBe("Ada");
  });

  it("binds searched values, so quotes and SQL in them are only text", async () => {
    const store = createSqliteReadModelStore(open());
    const clients = await store.collection<Doc>({ name: "clients", indexes: [] });
    const name = "O'Brien\"); DROP TABLE checkpoints; --";
    await clients.upsert("c1", 0, { name, email: "o@example.test" });
    const page = await clients.find({
      where: { name },
      contains: { field: "name", text: "'brien\")" },
      orderBy: { field: "name", direction: "asc" },
      limit: 5,
    });
    expect(page.items.map((item) => item.id)).toEqual(["c1"]);
    await expect(store.checkpoints.get("any")).resolves.toBeUndefined();
  });

  it("turns a lock held by another connection into ReadModelUnavailableError", async () => {
    const db = open();
    const store = createSqliteReadModelStore(db);
    const clients = await store.collection<Doc>({ name: "clients", indexes: [] });
    db.pragma("busy_timeout = 0");
    const other = open();
    other.exec("BEGIN IMMEDIATE");
    try {
      const error: unknown = await clients.upsert("c1", 0, { name: "Ada", email: "a@example.test" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ReadModelUnavailableError);
      expect(error).not.toBeInstanceOf(Database.SqliteError);
      expect((error as Error).message).toContain("SQLITE_BUSY");
    } finally {
      other.exec("ROLLBACK");
    }
    expect(await clients.upsert("c1", 0, { name: "Ada", email: "a@example.test" })).toBe(true);
  });

  it("leaves the caller's handle open on close, and reports a handle its owner closed as unavailable", async () => {
    const db = open();
    const store = createSqliteReadModelStore(db);
    await store.close();
    expect(db.open).toBe(true);

    const owned = new Database(join(dir, "other.db"));
    const other = createSqliteReadModelStore(owned);
    owned.close();
    await expect(other.ping()).rejects.toBeInstanceOf(ReadModelUnavailableError);
    await expect(other.checkpoints.save("p", "1")).rejects.toBeInstanceOf(ReadModelUnavailableError);
  });

  it("refuses a revision that is not a non-negative integer", async () => {
    const clients = await createSqliteReadModelStore(open()).collection<Doc>({ name: "clients", indexes: [] });
    for (const revision of [-1, 1.5, Number.NaN]) {
      const write = clients.upsert("c1", revision, { name: "Ada", email: "a@example.test" });
      await expect(write).rejects.toThrow(RangeError);
    }
  });

  it("tells a watcher of each write this store makes to the collection, until it stops watching", async () => {
    const store = createSqliteReadModelStore(open());
    const users = await store.collection<Doc>({ name: "users", indexes: [] });
    const sameUsers = await store.collection<Doc>({ name: "users", indexes: [] });
    const others = await store.collection<Doc>({ name: "others", indexes: [] });
    let told = 0;
    const stop = users.watch!(() => (told += 1));

    await sameUsers.upsert("u1", 0, { name: "Ada", email: "ada@example.com" });
    await users.remove("u1");
    await others.upsert("o1", 0, { name: "Bob", email: "bob@example.com" });
    await users.clear();
    stop();
    await users.upsert("u2", 0, { name: "Cy", email: "cy@example.com" });

    expect(told).toBe(3);
  });

  it("commits a durable collection's writes at full durability on a handle opened for derived data, and leaves it so", async () => {
    const db = openSqliteDatabase(file, "derived");
    opened.push(db);
    const store = createSqliteReadModelStore(db);
    const records = await store.collection<Doc>({ name: "records", indexes: [], durable: true });

    await records.upsert("r1", 0, { name: "Ada", email: "ada@example.com" });

    expect(await records.get("r1")).toMatchObject({ revision: 0, document: { name: "Ada" } });
    expect(db.pragma("synchronous", { simple: true })).toBe(1);
  });

  describe("on a derived file, where a turn's writes share one transaction", () => {
    const givenStores = async () => {
      const db = openSqliteDatabase(file, "derived");
      opened.push(db);
      const pipeline = createSqliteReadModelStore(db);
      const served = createSqliteReadModelStore(db, { committedReads: true });
      const written = await pipeline.collection<Doc>({ name: "users", indexes: [{ fields: ["name"] }] });
      const read = await served.collection<Doc>({ name: "users", indexes: [{ fields: ["name"] }] });
      /** What another process would read now: only what is committed. */
      const committed = () => {
        const other = new Database(file, { readonly: true });
        opened.push(other);
        return other.prepare<[], number>("SELECT count(*) FROM collection_users").pluck().get();
      };
      return { db, pipeline, written, read, committed };
    };

    it("the pipeline reads its own writes of the turn before they are committed", async () => {
      const { db, written, committed } = await givenStores();

      await written.upsert("u1", 0, { name: "Ada", email: "ada@example.com" });

      expect(await written.get("u1")).toMatchObject({ document: { name: "Ada" } });
      expect(db.inTransaction).toBe(true);
      expect(committed()).toBe(0);
    });

    it("a store that reads committed commits the turn first, so it never serves what a crash would take back", async () => {
      const { db, written, read, committed } = await givenStores();
      await written.upsert("u1", 0, { name: "Ada", email: "ada@example.com" });

      expect(await read.get("u1")).toMatchObject({ document: { name: "Ada" } });
      expect(db.inTransaction).toBe(false);
      expect(committed()).toBe(1);

      await written.upsert("u2", 0, { name: "Bob", email: "bob@example.com" });
      expect((await read.find({ orderBy: { field: "name", direction: "asc" }, limit: 10 })).items).toHaveLength(2);
      expect(committed()).toBe(2);
    });

    it("tells the watchers of every store on the handle of a write", async () => {
      const { written, read } = await givenStores();
      let told = 0;
      read.watch?.(() => (told += 1));

      await written.upsert("u1", 0, { name: "Ada", email: "ada@example.com" });

      expect(told).toBe(1);
    });

    it("commits what the turn wrote when the store closes, before its owner closes the handle", async () => {
      const { pipeline, written, committed } = await givenStores();
      await written.upsert("u1", 0, { name: "Ada", email: "ada@example.com" });

      await pipeline.close();

      expect(committed()).toBe(1);
    });
  });
});
