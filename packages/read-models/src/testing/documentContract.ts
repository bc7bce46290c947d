import { describe, expect, it } from "vitest";
import { DuplicateKeyError, ReadModelError } from "../errors.js";
import type { ReadModelCollection, ReadModelStore, Stored } from "../readModelStore.js";
import { uniqueName } from "./contractFixture.js";

type Client = { name: string; email: string; tags: string[]; settings: { theme: string; beta: boolean } };
type Key = { tenant: string; slug: string };

const client = (name: string, email = `${name.toLowerCase()}@example.test`): Client => ({
  name,
  email,
  tags: ["a", "b"],
  settings: { theme: "dark", beta: false },
});

const contents = async <T extends Client>(collection: ReadModelCollection<T>, ids: readonly string[]) =>
  Promise.all(ids.map((id) => collection.get(id)));

/** get, upsert with its revision guard, remove, clear, unique indexes and collection independence. */
export const describeDocumentContract = (store: () => ReadModelStore): void => {
  const clients = (indexes: { fields: string[]; unique?: boolean }[] = []) =>
    store().collection<Client>({ name: uniqueName("clients"), indexes });

  describe("documents", () => {
    it("opens a collection that is already open, as several processes do, and keeps its documents and unique indexes", async () => {
      const definition = { name: uniqueName("clients"), indexes: [{ fields: ["email"], unique: true }, { fields: ["name"] }] };
      const first = await store().collection<Client>(definition);
      await first.upsert("c1", 0, client("Ada"));
      const second = await store().collection<Client>(definition);
      const third = await store().collection<Client>(definition);
      expect(await third.get("c1")).toEqual({ id: "c1", revision: 0, document: client("Ada") });
      await expect(second.upsert("c2", 0, client("Bob", "ada@example.test"))).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it("get answers undefined for an id never written", async () => {
      expect(await (await clients()).get("missing")).toBeUndefined();
    });

    it("upsert inserts a new document at revision 0 and returns true", async () => {
      const collection = await clients();
      expect(await collection.upsert("c1", 0, client("Ada"))).toBe(true);
      expect(await collection.get("c1")).toEqual({ id: "c1", revision: 0, document: client("Ada") });
    });

    it("stores nested objects, arrays and non-ASCII text as written", async () => {
      const collection = await clients();
      const document = { ...client("Zoë"), tags: ["é", "漢字", "🚀"], settings: { theme: "ŁIGHT", beta: true } };
      await collection.upsert("c1", 0, document);
      expect((await collection.get("c1"))?.document).toEqual(document);
    });

    it("upsert with a higher revision replaces the document and returns true", async () => {
      const collection = await clients();
      await collection.upsert("c1", 0, client("Ada"));
      expect(await collection.upsert("c1", 3, client("Grace"))).toBe(true);
      expect(await collection.get("c1")).toEqual({ id: "c1", revision: 3, document: client("Grace") });
    });

    it.each([
      ["an equal", 2],
      ["a lower", 1],
    ])("upsert with %s revision changes nothing and returns false", async (_, revision) => {
      const collection = await clients();
      await collection.upsert("c1", 2, client("Ada"));
      expect(await collection.upsert("c1", revision, client("Grace"))).toBe(false);
      expect(await collection.get("c1")).toEqual({ id: "c1", revision: 2, document: client("Ada") });
    });

    it("applying the same sequence of changes twice leaves the same contents", async () => {
      const collection = await clients();
      const changes: [string, number, Client][] = [
        ["c1", 0, client("Ada")],
        ["c2", 0, client("Alan")],
        ["c1", 1, client("Ada Lovelace")],
        ["c3", 0, client("Grace")],
        ["c2", 1, client("Alan Turing")],
        ["c1", 2, client("Countess")],
      ];
      const apply = async () => {
        const written: boolean[] = [];
        for (const [id, revision, document] of changes) written.push(await collection.upsert(id, revision, document));
        return written;
      };
      expect(await apply()).toEqual(changes.map(() => true));
      const once = await contents(collection, ["c1", "c2", "c3"]);
      expect(await apply()).toEqual(changes.map(() => false));
      expect(await contents(collection, ["c1", "c2", "c3"])).toEqual(once);
      expect(once.map((stored) => stored?.revision)).toEqual([2, 1, 0]);
    });

    it("remove deletes the document whatever its revision and says whether there was one", async () => {
      const collection = await clients();
      await collection.upsert("c1", 7, client("Ada"));
      await collection.upsert("c2", 0, client("Alan"));
      expect(await collection.remove("c1")).toBe(true);
      expect(await collection.get("c1")).toBeUndefined();
      expect(await collection.remove("c1")).toBe(false);
      expect(await collection.remove("never")).toBe(false);
      expect((await collection.get("c2"))?.document).toEqual(client("Alan"));
    });

    it("remove with a revision deletes the document only while it is still at that revision", async () => {
      const collection = await clients();
      await collection.upsert("c1", 3, client("Ada"));
      await collection.upsert("c1", 4, client("Ada, replaced"));

      expect(await collection.remove("c1", { revision: 3 })).toBe(false);
      expect((await collection.get("c1"))?.document).toEqual(client("Ada, replaced"));
      expect(await collection.remove("c1", { revision: 4 })).toBe(true);
      expect(await collection.get("c1")).toBeUndefined();
      expect(await collection.remove("never", { revision: 0 })).toBe(false);
    });

    it("clear removes every document and leaves the collection usable", async () => {
      const collection = await clients();
      const other = await clients();
      await collection.upsert("c1", 0, client("Ada"));
      await collection.upsert("c2", 4, client("Alan"));
      await other.upsert("c1", 0, client("Grace"));
      await collection.clear();
      expect(await contents(collection, ["c1", "c2"])).toEqual([undefined, undefined]);
      expect((await other.get("c1"))?.document).toEqual(client("Grace"));
      // A rebuild replays from zero, so revisions below the cleared ones must be accepted.
      expect(await collection.upsert("c2", 0, client("Alan"))).toBe(true);
    });

    it("keeps collections independent, even for the same id", async () => {
      const first = await clients();
      const second = await clients();
      await first.upsert("same", 0, client("Ada"));
      await second.upsert("same", 5, client("Alan"));
      expect(await first.get("same")).toEqual({ id: "same", revision: 0, document: client("Ada") });
      expect(await second.get("same")).toEqual({ id: "same", revision: 5, document: client("Alan") });
      await second.remove("same");
      expect(await first.get("same")).toBeDefined();
    });

    it("opening a collection again sees what was written through the first handle", async () => {
      const definition = { name: uniqueName("clients"), indexes: [{ fields: ["email"], unique: true }] };
      await (await store().collection<Client>(definition)).upsert("c1", 0, client("Ada"));
      const reopened = await store().collection<Client>(definition);
      expect((await reopened.get("c1"))?.document).toEqual(client("Ada"));
      await expect(reopened.upsert("c2", 0, client("Other", "ada@example.test"))).rejects.toBeInstanceOf(DuplicateKeyError);
    });
  });

  describe("unique indexes", () => {
    const rejectsAsDuplicate = async (write: Promise<boolean>) => {
      const error: unknown = await write.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DuplicateKeyError);
      expect(error).toBeInstanceOf(ReadModelError);
      expect((error as ReadModelError).code).toBe("duplicate_key");
    };

    it("rejects a second document with the same indexed value and keeps the first", async () => {
      const collection = await clients([{ fields: ["email"], unique: true }]);
      await collection.upsert("c1", 0, client("Ada", "shared@example.test"));
      await rejectsAsDuplicate(collection.upsert("c2", 0, client("Alan", "shared@example.test")));
      expect(await collection.get("c2")).toBeUndefined();
      expect((await collection.get("c1"))?.document.name).toBe("Ada");
    });

    it("lets a document keep its own value and frees a value its holder moved away from", async () => {
      const collection = await clients([{ fields: ["email"], unique: true }]);
      await collection.upsert("c1", 0, client("Ada", "shared@example.test"));
      expect(await collection.upsert("c1", 1, client("Ada L.", "shared@example.test"))).toBe(true);
      await rejectsAsDuplicate(collection.upsert("c2", 0, client("Alan", "shared@example.test")));
      await collection.upsert("c1", 2, client("Ada", "ada@example.test"));
      expect(await collection.upsert("c2", 0, client("Alan", "shared@example.test"))).toBe(true);
    });

    it("rejects an update that takes a value another document holds", async () => {
      const collection = await clients([{ fields: ["email"], unique: true }]);
      await collection.upsert("c1", 0, client("Ada", "ada@example.test"));
      await collection.upsert("c2", 0, client("Alan", "alan@example.test"));
      await rejectsAsDuplicate(collection.upsert("c2", 1, client("Alan", "ada@example.test")));
      expect((await collection.get("c2"))?.document).toEqual(client("Alan", "alan@example.test"));
    });

    it("treats a replayed old revision as a no-op even when its value now belongs to another document", async () => {
      const collection = await clients([{ fields: ["email"], unique: true }]);
      await collection.upsert("c1", 0, client("Ada", "shared@example.test"));
      await collection.upsert("c1", 1, client("Ada", "ada@example.test"));
      await collection.upsert("c2", 0, client("Alan", "shared@example.test"));
      expect(await collection.upsert("c1", 0, client("Ada", "shared@example.test"))).toBe(false);
      expect((await collection.get("c1"))?.revision).toBe(1);
    });

    it("makes a compound unique index unique on the combination only", async () => {
      const keys = await store().collection<Key>({
        name: uniqueName("keys"),
        indexes: [{ fields: ["tenant", "slug"], unique: true }],
      });
      await keys.upsert("k1", 0, { tenant: "t1", slug: "app" });
      expect(await keys.upsert("k2", 0, { tenant: "t2", slug: "app" })).toBe(true);
      expect(await keys.upsert("k3", 0, { tenant: "t1", slug: "web" })).toBe(true);
      await rejectsAsDuplicate(keys.upsert("k4", 0, { tenant: "t1", slug: "app" }));
      const stored: (Stored<Key> | undefined)[] = await Promise.all(["k1", "k4"].map((id) => keys.get(id)));
      expect(stored.map((item) => item?.id)).toEqual(["k1", undefined]);
    });

    it("does not constrain a field indexed without unique", async () => {
      const collection = await clients([{ fields: ["email"] }]);
      await collection.upsert("c1", 0, client("Ada", "shared@example.test"));
      expect(await collection.upsert("c2", 0, client("Alan", "shared@example.test"))).toBe(true);
    });
  });
};
