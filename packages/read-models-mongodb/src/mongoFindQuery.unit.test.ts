import { encodeCursor, type FindQuery, InvalidCursorError } from "@clientapps/read-models";
import { describe, expect, it } from "vitest";
import { escapeRegex, mongoFindQuery } from "./mongoFindQuery.js";

type Item = { name: string; rank: number | null; active: boolean };
const byRank = (direction: "asc" | "desc") => ({ field: "rank", direction }) as const;
const query = (overrides: Partial<FindQuery<Item>>): FindQuery<Item> => ({ orderBy: byRank("asc"), limit: 5, ...overrides });

describe("mongoFindQuery", () => {
  it("sorts by doc.<field> then _id in the same direction and asks for one extra document", () => {
    expect(mongoFindQuery(query({ orderBy: byRank("desc"), limit: 10 }))).toEqual({
      filter: {},
      sort: { "doc.rank": -1, _id: -1 },
      limit: 11,
    });
    expect(Object.keys(mongoFindQuery(query({})).sort)).toEqual(["doc.rank", "_id"]);
  });

  it("puts every condition in one $and, so a substring and a range on the same field both hold", () => {
    const { filter } = mongoFindQuery(
      query({
        where: { active: true, rank: null },
        contains: { field: "name", text: "a.b" },
        range: { field: "name", from: "a", to: "m" },
      }),
    );
    expect(filter).toEqual({
      $and: [
        { "doc.active": true },
        { "doc.rank": null },
        { "doc.name": { $regex: "a\\.b", $options: "i" } },
        { "doc.name": { $gte: "a" } },
        { "doc.name": { $lt: "m" } },
      ],
    });
  });

  it.each([
    ["asc after null", "asc", null, { $or: [{ "doc.rank": { $ne: null } }, { "doc.rank": null, _id: { $gt: "d1" } }] }],
    ["desc after null", "desc", null, { "doc.rank": null, _id: { $lt: "d1" } }],
    ["asc after a value", "asc", 2, { $or: [{ "doc.rank": { $gt: 2 } }, { "doc.rank": 2, _id: { $gt: "d1" } }] }],
    [
      "desc after a value, nulls still to come",
      "desc",
      2,
      { $or: [{ "doc.rank": { $lt: 2 } }, { "doc.rank": 2, _id: { $lt: "d1" } }, { "doc.rank": null }] },
    ],
  ] as const)("continues %s", (_, direction, value, expected) => {
    const cursor = encodeCursor({ field: "rank", value, id: "d1" });
    expect(mongoFindQuery(query({ orderBy: byRank(direction), cursor })).filter).toEqual({ $and: [expected] });
  });

  it("refuses a cursor for another field", () => {
    const cursor = encodeCursor({ field: "name", value: "x", id: "d1" });
    expect(() => mongoFindQuery(query({ cursor }))).toThrow(InvalidCursorError);
  });

  it("refuses operators, non-finite numbers and objects where values belong", () => {
    const operator = { $ne: null } as unknown as string;
    expect(() => mongoFindQuery(query({ where: { name: operator } }))).toThrow(TypeError);
    expect(() => mongoFindQuery(query({ where: { rank: Number.NaN } }))).toThrow(TypeError);
    expect(() => mongoFindQuery(query({ range: { field: "rank", from: operator } }))).toThrow(TypeError);
    expect(() => mongoFindQuery(query({ range: { field: "rank", to: true as unknown as number } }))).toThrow(TypeError);
    expect(() => mongoFindQuery(query({ contains: { field: "name", text: operator } }))).toThrow(TypeError);
  });

  it("refuses field names that would be paths or operators, and bad limits or directions", () => {
    expect(() => mongoFindQuery(query({ where: { ["a.b" as "name"]: "x" } }))).toThrow(/Invalid field name/);
    expect(() => mongoFindQuery(query({ orderBy: { field: "$where" as "name", direction: "asc" } }))).toThrow(/Invalid field name/);
    for (const limit of [0, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => mongoFindQuery(query({ limit }))).toThrow(RangeError);
    }
    expect(() => mongoFindQuery(query({ orderBy: { field: "rank", direction: "up" as "asc" } }))).toThrow(RangeError);
  });
});

describe("escapeRegex", () => {
  it("makes every metacharacter literal and leaves other text, non-ASCII included, alone", () => {
    const text = "a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o-p 50% snake_case Zoë 漢字";
    const pattern = new RegExp(escapeRegex(text), "u");
    expect(pattern.test(`before ${text} after`)).toBe(true);
    expect(pattern.test(text.replace(".", "X"))).toBe(false);
    expect(escapeRegex("50% snake_case Zoë")).toBe("50% snake_case Zoë");
  });
});
