import { describe, expect, it } from "vitest";
import { encodeCursor } from "../cursor.js";
import { InvalidCursorError } from "../errors.js";
import type { FindQuery, ReadModelCollection, ReadModelStore, Scalar } from "../readModelStore.js";
import { expectedOrder, readAllPages, seed, uniqueName } from "./contractFixture.js";

type Item = { name: string; colour: string; active: boolean; size: number; rank: number | null; note: string | null };

const item = (name: string, overrides: Partial<Item> = {}): Item => ({
  name,
  colour: "red",
  active: true,
  size: 1,
  rank: 0,
  note: null,
  ...overrides,
});

const byName = { field: "name", direction: "asc" } as const;

/** Equality, substring and range filters, ordering and keyset pagination. */
export const describeFindContract = (store: () => ReadModelStore): void => {
  const items = async (documents: Readonly<Record<string, Item>> = {}): Promise<ReadModelCollection<Item>> => {
    const collection = await store().collection<Item>({
      name: uniqueName("items"),
      indexes: [{ fields: ["colour"] }, { fields: ["rank"] }, { fields: ["name"] }, { fields: ["size"] }],
    });
    await seed(collection, documents);
    return collection;
  };
  const ids = async (collection: ReadModelCollection<Item>, query: Omit<FindQuery<Item>, "limit" | "orderBy">) =>
    (await collection.find({ orderBy: byName, limit: 100, ...query })).items.map((found) => found.id);

  describe("find filters", () => {
    const documents: Record<string, Item> = {
      a: item("a", { colour: "red", active: true, size: 1, note: "n" }),
      b: item("b", { colour: "blue", active: false, size: 2, note: null }),
      c: item("c", { colour: "red", active: false, size: 3, note: "" }),
      d: item("d", { colour: "Red", active: true, size: 0, note: null }),
    };

    it("matches equality on a string field exactly, case included", async () => {
      expect(await ids(await items(documents), { where: { colour: "red" } })).toEqual(["a", "c"]);
    });

    it("matches equality on booleans, true and false", async () => {
      const collection = await items(documents);
      expect(await ids(collection, { where: { active: true } })).toEqual(["a", "d"]);
      expect(await ids(collection, { where: { active: false } })).toEqual(["b", "c"]);
    });

    it("matches equality on numbers, zero included", async () => {
      const collection = await items(documents);
      expect(await ids(collection, { where: { size: 2 } })).toEqual(["b"]);
      expect(await ids(collection, { where: { size: 0 } })).toEqual(["d"]);
    });

    it("matches equality on null, and not on an empty string", async () => {
      const collection = await items(documents);
      expect(await ids(collection, { where: { note: null } })).toEqual(["b", "d"]);
      expect(await ids(collection, { where: { note: "" } })).toEqual(["c"]);
    });

    it("requires every equality to hold", async () => {
      const collection = await items(documents);
      expect(await ids(collection, { where: { colour: "red", active: false } })).toEqual(["c"]);
      expect(await ids(collection, { where: { colour: "blue", active: true } })).toEqual([]);
    });

    it("matches a case-insensitive substring", async () => {
      const collection = await items({
        a: item("Alpha Widget"),
        b: item("alphabet"),
        c: item("Beta"),
        d: item("gamma ALPHA"),
      });
      expect(await ids(collection, { contains: { field: "name", text: "ALPHA" } })).toEqual(["a", "b", "d"]);
      expect(await ids(collection, { contains: { field: "name", text: "wIdGeT" } })).toEqual(["a"]);
    });

    it("folds case beyond ASCII, as people write names", async () => {
      const collection = await items({ a: item("Ärztekammer Portal"), b: item("ÉCOLE"), c: item("Straße") });
      expect(await ids(collection, { contains: { field: "name", text: "ärzte" } })).toEqual(["a"]);
      expect(await ids(collection, { contains: { field: "name", text: "école" } })).toEqual(["b"]);
      expect(await ids(collection, { contains: { field: "name", text: "STRAßE" } })).toEqual(["c"]);
    });

    it("treats % and _ in the searched text literally", async () => {
      const collection = await items({
        a: item("50% off"),
        b: item("50 percent off"),
        c: item("snake_case"),
        d: item("snakeXcase"),
      });
      expect(await ids(collection, { contains: { field: "name", text: "50%" } })).toEqual(["a"]);
      expect(await ids(collection, { contains: { field: "name", text: "%" } })).toEqual(["a"]);
      expect(await ids(collection, { contains: { field: "name", text: "e_c" } })).toEqual(["c"]);
      expect(await ids(collection, { contains: { field: "name", text: "_" } })).toEqual(["c"]);
    });

    it("bounds a range inclusively below and exclusively above", async () => {
      const sizes = Object.fromEntries([0, 1, 2, 3, 4, 5].map((size) => [`s${size}`, item(`s${size}`, { size })]));
      const collection = await items(sizes);
      expect(await ids(collection, { range: { field: "size", from: 2, to: 4 } })).toEqual(["s2", "s3"]);
      expect(await ids(collection, { range: { field: "size", from: 4 } })).toEqual(["s4", "s5"]);
      expect(await ids(collection, { range: { field: "size", to: 1 } })).toEqual(["s0"]);
      expect(await ids(collection, { range: { field: "size", from: 3, to: 3 } })).toEqual([]);
    });

    it("bounds a range of strings", async () => {
      const collection = await items({ a: item("apple"), b: item("banana"), c: item("cherry"), d: item("date") });
      expect(await ids(collection, { range: { field: "name", from: "b", to: "d" } })).toEqual(["b", "c"]);
    });

    it("combines equality, substring and range", async () => {
      const collection = await items({
        a: item("red one", { colour: "red", size: 5 }),
        b: item("red two", { colour: "red", size: 50 }),
        c: item("blue one", { colour: "blue", size: 5 }),
        d: item("red ONE", { colour: "red", size: 7 }),
      });
      const query = {
        where: { colour: "red" },
        contains: { field: "name", text: "one" },
        range: { field: "size", from: 5, to: 10 },
      } as const;
      expect(await ids(collection, query)).toEqual(["d", "a"]);
    });

    it("compares a field only with values of the same type, as MongoDB does", async () => {
      const mixed = await store().collection<{ value: Scalar }>({
        name: uniqueName("mixed"),
        indexes: [{ fields: ["value"] }],
      });
      const values: Scalar[] = [true, false, 1, 0, "1", "true", "", null];
      for (const [i, value] of values.entries()) await mixed.upsert(`v${i}`, 0, { value });
      const matching = async (query: Omit<FindQuery<{ value: Scalar }>, "limit" | "orderBy">) =>
        (await mixed.find({ ...query, orderBy: { field: "value", direction: "asc" }, limit: 100 })).items
          .map((found) => found.document.value)
          .sort((a, b) => String(a).localeCompare(String(b)));
      expect(await matching({ where: { value: true } })).toEqual([true]);
      expect(await matching({ where: { value: false } })).toEqual([false]);
      expect(await matching({ where: { value: 1 } })).toEqual([1]);
      expect(await matching({ where: { value: 0 } })).toEqual([0]);
      expect(await matching({ where: { value: "1" } })).toEqual(["1"]);
      expect(await matching({ where: { value: null } })).toEqual([null]);
      expect(await matching({ range: { field: "value", from: 0 } })).toEqual([0, 1]);
      expect(await matching({ range: { field: "value", to: "z" } })).toEqual(["", "1", "true"]);
      expect(await matching({ contains: { field: "value", text: "1" } })).toEqual(["1"]);
    });

    it("answers an empty last page when nothing matches", async () => {
      const page = await (await items(documents)).find({ where: { colour: "green" }, orderBy: byName, limit: 10 });
      expect(page).toEqual({ items: [], nextCursor: undefined });
    });
  });

  describe("find order and pagination", () => {
    // 23 documents over 4 ranks, some null, written out of id order.
    const ranked: Record<string, Item> = Object.fromEntries(
      Array.from({ length: 23 }, (_, i) => (i * 7) % 23).map((n) => {
        const id = `doc-${String(n).padStart(2, "0")}`;
        return [id, item(`name ${n}`, { rank: n % 5 === 4 ? null : n % 4, size: n, colour: n % 2 ? "odd" : "even" })];
      }),
    );

    it.each(["asc", "desc"] as const)("orders %s by the field, ties broken by id in the same direction", async (direction) => {
      const collection = await items(ranked);
      const page = await collection.find({ orderBy: { field: "rank", direction }, limit: 100 });
      expect(page.items.map((found) => found.id)).toEqual(expectedOrder(ranked, "rank", direction));
      expect(page.nextCursor).toBeUndefined();
    });

    it("puts null before every value ascending and after every value descending", async () => {
      const collection = await items({
        x: item("x", { rank: 1 }),
        y: item("y", { rank: null }),
        z: item("z", { rank: 0 }),
      });
      const order = async (direction: "asc" | "desc") =>
        (await collection.find({ orderBy: { field: "rank", direction }, limit: 10 })).items.map((found) => found.id);
      expect(await order("asc")).toEqual(["y", "z", "x"]);
      expect(await order("desc")).toEqual(["x", "z", "y"]);
    });

    it.each(["asc", "desc"] as const)(
      "visits every document once, in order, over pages of 5 (%s, duplicate and null sort values)",
      async (direction) => {
        const collection = await items(ranked);
        const query = { orderBy: { field: "rank", direction }, limit: 5 } as const;
        const { ids: visited, pageSizes } = await readAllPages(collection, query);
        expect(visited).toEqual(expectedOrder(ranked, "rank", direction));
        expect(pageSizes).toEqual([5, 5, 5, 5, 3]);
      },
    );

    it.each([1, 2, 3, 4, 7, 22, 23, 24])("visits every document once, in order, over pages of %i", async (limit) => {
      const collection = await items(ranked);
      for (const direction of ["asc", "desc"] as const) {
        const { ids: visited } = await readAllPages(collection, { orderBy: { field: "rank", direction }, limit });
        expect(visited).toEqual(expectedOrder(ranked, "rank", direction));
      }
    });

    it("paginates over a unique sort field and under a filter", async () => {
      const collection = await items(ranked);
      const odd = Object.fromEntries(Object.entries(ranked).filter(([, found]) => found.colour === "odd"));
      const { ids: visited, pageSizes } = await readAllPages(collection, {
        where: { colour: "odd" },
        orderBy: { field: "size", direction: "desc" },
        limit: 4,
      });
      expect(visited).toEqual(expectedOrder(odd, "size", "desc"));
      expect(pageSizes).toEqual([4, 4, 3]);
    });

    it("ends without an empty page when the count is a multiple of the limit", async () => {
      const ten = Object.fromEntries(Object.entries(ranked).slice(0, 10));
      const { ids: visited, pageSizes } = await readAllPages(await items(ten), {
        orderBy: { field: "rank", direction: "asc" },
        limit: 5,
      });
      expect(visited).toEqual(expectedOrder(ten, "rank", "asc"));
      expect(pageSizes).toEqual([5, 5]);
    });

    it.each([
      ["garbage", "not a cursor"],
      ["a cursor for another sort field", encodeCursor({ field: "size", value: 3, id: "doc-03" })],
      ["a cursor with a non-string id", Buffer.from(JSON.stringify(["rank", 1, 7])).toString("base64url")],
    ])("rejects %s with InvalidCursorError", async (_, cursor) => {
      const collection = await items(ranked);
      const query = { orderBy: { field: "rank", direction: "asc" }, limit: 5, cursor } as const;
      await expect(collection.find(query)).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(collection.find(query)).rejects.toMatchObject({ code: "invalid_cursor" });
    });

    it("rejects a cursor issued for another sort field of the same collection", async () => {
      const collection = await items(ranked);
      const first = await collection.find({ orderBy: { field: "size", direction: "asc" }, limit: 5 });
      expect(first.nextCursor).toBeDefined();
      await expect(
        collection.find({ orderBy: { field: "rank", direction: "asc" }, limit: 5, cursor: first.nextCursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
};
