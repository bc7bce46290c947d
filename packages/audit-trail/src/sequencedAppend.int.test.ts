import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FindQuery, ReadModelCollection } from "@clientapps/read-models";
import { openEmbeddedEngines, type Engines } from "@clientapps/runtime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSequencedLog, type Sequenced } from "./sequencedAppend.js";

type Entry = Sequenced & Readonly<{ id: string; previousId: string | null }>;

let dir: string;
let engines: Engines;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sequenced-log-"));
  engines = openEmbeddedEngines({ dataDir: dir, pollIntervalMs: 25 });
});
afterEach(async () => {
  await engines.close();
  await rm(dir, { recursive: true, force: true });
});

/** The collection, counting the head reads (finds) made through it. */
const givenCollection = async () => {
  const collection = await engines.readModels.collection<Entry>({
    name: "sequencedEntries",
    indexes: [{ fields: ["workspaceId", "sequence"], unique: true }],
  });
  const finds: FindQuery<Entry>[] = [];
  const counted: ReadModelCollection<Entry> = {
    ...collection,
    find: (query) => {
      finds.push(query);
      return collection.find(query);
    },
  };
  return { collection, counted, finds };
};

const entry =
  (id: string) =>
  (sequence: number, previous: Entry | undefined): Entry => ({
    id,
    workspaceId: "ws",
    sequence,
    previousId: previous?.id ?? null,
  });

const all = async (collection: ReadModelCollection<Entry>) =>
  (await collection.find({ where: { workspaceId: "ws" }, orderBy: { field: "sequence", direction: "asc" }, limit: 100 })).items.map(
    (item) => item.document,
  );

describe("a sequenced log", () => {
  it("numbers a workspace's entries 1, 2, 3, each naming the one before, reading the head once", async () => {
    const { collection, counted, finds } = await givenCollection();
    const log = createSequencedLog(counted);

    for (const id of ["a", "b", "c"]) await log.append(id, "ws", entry(id));

    expect(await all(collection)).toEqual([
      { id: "a", workspaceId: "ws", sequence: 1, previousId: null },
      { id: "b", workspaceId: "ws", sequence: 2, previousId: "a" },
      { id: "c", workspaceId: "ws", sequence: 3, previousId: "b" },
    ]);
    expect(finds).toHaveLength(1);
  });

  it("appends an id once, however often it is delivered", async () => {
    const { collection } = await givenCollection();
    const log = createSequencedLog(collection);

    expect(await log.append("a", "ws", entry("a"))).toMatchObject({ sequence: 1 });
    expect(await log.append("a", "ws", entry("a"))).toBeUndefined();

    expect(await all(collection)).toHaveLength(1);
  });

  it("leaves no gap and breaks no chain when two appenders (two instances) take turns on one workspace", async () => {
    const { collection } = await givenCollection();
    const first = createSequencedLog(collection);
    const second = createSequencedLog(collection);

    // Each one's kept head is stale whenever the other appended last: the index refuses its number.
    for (const [index, log] of [first, second, first, first, second, second, first].entries()) {
      await log.append(`e${index}`, "ws", entry(`e${index}`));
    }

    const entries = await all(collection);
    expect(entries.map((stored) => stored.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(entries.map((stored) => stored.previousId)).toEqual([null, ...entries.slice(0, -1).map((stored) => stored.id)]);
  });

  it("appends concurrently from two appenders without losing or doubling a number", async () => {
    const { collection } = await givenCollection();
    const first = createSequencedLog(collection);
    const second = createSequencedLog(collection);

    await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? first : second).append(`c${index}`, "ws", entry(`c${index}`))),
    );

    const entries = await all(collection);
    expect(entries.map((stored) => stored.sequence)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(entries.map((stored) => stored.previousId)).toEqual([null, ...entries.slice(0, -1).map((stored) => stored.id)]);
  });
});
