import { randomUUID } from "node:crypto";
import { type FindQuery, ReadModelUnavailableError } from "@clientapps/read-models";
import { describeReadModelContract } from "@clientapps/read-models/testing";
import { type Db, MongoClient, MongoError } from "mongodb";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createMongoReadModelStore } from "./index.js";

const url = process.env.MONGODB_URL;
if (!url) {
  console.warn(
    "MONGODB_URL is not set: the MongoDB read-model store's contract and integration tests are SKIPPED. " +
      'Start a server (eval "$(infra/ferretdb/start.sh | grep MONGODB_URL)") or point MONGODB_URL at MongoDB.',
  );
}

// Short timeouts, so a server that stops answering fails a test instead of hanging it.
const connect = () => new MongoClient(url ?? "", { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000 });

describe.skipIf(!url)("MongoDB read-model store", () => {
  const clients: MongoClient[] = [];
  const databases: Db[] = [];
  const client = () => {
    const opened = connect();
    clients.push(opened);
    return opened;
  };
  const shared = url ? client() : undefined;
  const databaseName = () => `rm_test_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
  /** A database no other test uses, dropped after the test. */
  const freshDatabase = (): Db => {
    if (!shared) throw new Error("MONGODB_URL is not set.");
    const db = shared.db(databaseName());
    databases.push(db);
    return db;
  };

  afterEach(async () => {
    for (const db of databases.splice(0)) await db.dropDatabase();
  });
  afterAll(async () => {
    for (const opened of clients.splice(0)) await opened.close();
  });

  describeReadModelContract("MongoDB", async () => {
    if (!shared) throw new Error("MONGODB_URL is not set.");
    const db = shared.db(databaseName());
    const store = createMongoReadModelStore(db);
    return {
      store,
      dispose: async () => {
        await store.close();
        await db.dropDatabase();
      },
    };
  });

  type Doc = { name: string; email: string };

  it("creates the defined indexes on doc.<field>, unique when asked, with _id after the fields otherwise", async () => {
    const db = freshDatabase();
    await createMongoReadModelStore(db).collection({
      name: "keys",
      indexes: [{ fields: ["tenant", "slug"], unique: true }, { fields: ["createdAt"] }],
    });
    const indexes = await db.collection("rm_keys").indexes();
    const described = indexes
      .map((index) => ({ name: index.name ?? "", key: index.key, unique: index.unique === true }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(described).toEqual([
      { name: "_id_", key: { _id: 1 }, unique: false },
      { name: "index(createdAt)", key: { "doc.createdAt": 1, _id: 1 }, unique: false },
      { name: "unique(tenant,slug)", key: { "doc.tenant": 1, "doc.slug": 1 }, unique: true },
    ]);
  });

  it("opening a collection again keeps its indexes and adds none", async () => {
    const db = freshDatabase();
    const definition = { name: "clients", indexes: [{ fields: ["email"], unique: true }] };
    await createMongoReadModelStore(db).collection(definition);
    await createMongoReadModelStore(db).collection(definition);
    expect((await db.collection("rm_clients").indexes()).map((index) => index.name).sort()).toEqual(["_id_", "unique(email)"]);
  });

  it("stores each document as { _id, revision, doc } in rm_<name>", async () => {
    const db = freshDatabase();
    const clients = await createMongoReadModelStore(db).collection<Doc>({ name: "clients", indexes: [] });
    await clients.upsert("c1", 4, { name: "Ada", email: "ada@example.test" });
    expect(await db.collection("rm_clients").find().toArray()).toEqual([
      { _id: "c1", revision: 4, doc: { name: "Ada", email: "ada@example.test" } },
    ]);
  });

  it("keeps documents, indexes and checkpoints for a new client", async () => {
    const databaseName = freshDatabase().databaseName;
    const definition = { name: "clients", indexes: [{ fields: ["email"], unique: true }] };
    const first = client();
    const before = createMongoReadModelStore(first.db(databaseName));
    await (await before.collection<Doc>(definition)).upsert("c1", 3, { name: "Ada", email: "ada@example.test" });
    await before.checkpoints.save("projector", "0000000a");
    await before.close();
    await first.close();

    const after = createMongoReadModelStore(client().db(databaseName));
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

  it("keeps a read model called 'checkpoints' apart from the checkpoints", async () => {
    const store = createMongoReadModelStore(freshDatabase());
    const named = await store.collection<{ position: string }>({ name: "checkpoints", indexes: [] });
    await named.upsert("projector", 0, { position: "ffff" });
    await store.checkpoints.save("projector", "0001");
    expect(await store.checkpoints.get("projector")).toBe("0001");
    expect((await named.get("projector"))?.document).toEqual({ position: "ffff" });
  });

  const badNames = ["", "1clients", "_clients", "clients.sub", "$cmd", "cli-ents", "clients\n", "клиенты"];
  it.each(badNames)("refuses the collection name %j before touching the database", async (name) => {
    const db = freshDatabase();
    await expect(createMongoReadModelStore(db).collection({ name, indexes: [] })).rejects.toThrow(/Invalid collection name/);
    expect(await db.listCollections().toArray()).toEqual([]);
  });

  it("refuses index and query fields that are not plain identifiers", async () => {
    const store = createMongoReadModelStore(freshDatabase());
    for (const field of ["a.b", "$where", "email'", ""]) {
      await expect(store.collection({ name: "clients", indexes: [{ fields: [field] }] })).rejects.toThrow(/Invalid field name/);
    }
    await expect(store.collection({ name: "clients", indexes: [{ fields: [] }] })).rejects.toThrow(/no fields/);
    const clients = await store.collection<Doc>({ name: "clients", indexes: [] });
    const evil = "$where" as "name";
    const queries: FindQuery<Doc>[] = [
      { where: { [evil]: "x" }, orderBy: { field: "name", direction: "asc" }, limit: 10 },
      { contains: { field: "name.x" as "name", text: "x" }, orderBy: { field: "name", direction: "asc" }, limit: 10 },
      { range: { field: evil, from: "a" }, orderBy: { field: "name", direction: "asc" }, limit: 10 },
      { orderBy: { field: evil, direction: "asc" }, limit: 10 },
    ];
    for (const query of queries) await expect(clients.find(query)).rejects.toThrow(RangeError);
  });

  it("takes searched values literally: no operators, no regular expressions", async () => {
    const store = createMongoReadModelStore(freshDatabase());
    const clients = await store.collection<Doc>({ name: "clients", indexes: [] });
    await clients.upsert("c1", 0, { name: "a.c (x+y)* [z] $1 ^ | \\d", email: "one@example.test" });
    await clients.upsert("c2", 0, { name: "abc xy zz 11", email: "two@example.test" });
    const byName = { field: "name", direction: "asc" } as const;
    const found = async (query: Omit<FindQuery<Doc>, "orderBy" | "limit">) =>
      (await clients.find({ ...query, orderBy: byName, limit: 10 })).items.map((item) => item.id);
    for (const text of ["a.c", "(x+y)*", "[z]", "$1", "^", "|", "\\d"]) {
      expect(await found({ contains: { field: "name", text } })).toEqual(["c1"]);
    }
    const operator = { $ne: null } as unknown as string;
    await expect(found({ where: { name: operator } })).rejects.toThrow(TypeError);
  });

  it("reports a server it cannot reach as ReadModelUnavailableError, without the driver's error type", async () => {
    const unreachable = new MongoClient("mongodb://127.0.0.1:9/", { serverSelectionTimeoutMS: 300 });
    clients.push(unreachable);
    const store = createMongoReadModelStore(unreachable.db("rm_unreachable"));
    const error: unknown = await store.ping().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReadModelUnavailableError);
    expect(error).not.toBeInstanceOf(MongoError);
    expect((error as Error).message).toMatch(/cannot be reached/);
    await expect(store.collection({ name: "clients", indexes: [{ fields: ["email"] }] })).rejects.toBeInstanceOf(ReadModelUnavailableError);
    await expect(store.checkpoints.save("p", "1")).rejects.toBeInstanceOf(ReadModelUnavailableError);
  });

  it("leaves the caller's client open on close", async () => {
    const db = freshDatabase();
    await createMongoReadModelStore(db).close();
    await expect(createMongoReadModelStore(db).ping()).resolves.toBeUndefined();
  });

  it("refuses a revision that is not a non-negative integer", async () => {
    const clients = await createMongoReadModelStore(freshDatabase()).collection<Doc>({ name: "clients", indexes: [] });
    for (const revision of [-1, 1.5, Number.NaN]) {
      await expect(clients.upsert("c1", revision, { name: "Ada", email: "a@example.test" })).rejects.toThrow(RangeError);
    }
  });

  it("answers concurrent writes of one id by keeping the highest revision", async (context) => {
    // MongoDB applies a filtered update atomically per document. FerretDB v1 reads the
    // matching document, then writes it by _id without checking the filter again, so
    // two writers of one id can both pass the revision guard and the lower can land last.
    const buildInfo = await shared?.db("admin").command({ buildInfo: 1 });
    context.skip(buildInfo?.["ferretdbVersion"] !== undefined, "FerretDB v1 does not update a document atomically");
    const clients = await createMongoReadModelStore(freshDatabase()).collection<Doc>({ name: "clients", indexes: [] });
    const revisions = [5, 1, 9, 3, 7, 0, 8, 2, 6, 4];
    await Promise.all(revisions.map((revision) => clients.upsert("c1", revision, { name: `r${revision}`, email: "" })));
    expect(await clients.get("c1")).toMatchObject({ revision: 9, document: { name: "r9" } });
  });
});
