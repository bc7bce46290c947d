import { randomUUID } from "node:crypto";
import { afterEach, beforeEach } from "vitest";
import type { Document, FindQuery, ReadModelCollection, ReadModelStore } from "../readModelStore.js";

export type ReadModelStoreFactory = () => Promise<{ store: ReadModelStore; dispose: () => Promise<void> }>;

/**
 * Collections and checkpoints get random names, so no test sees another's data
 * even when every test shares one database server.
 */
export const uniqueName = (prefix: string): string => `${prefix}_${randomUUID().replaceAll("-", "")}`;

/** A fresh store for every test, disposed after it; call the returned function inside a test. */
export const useContractStore = (createStore: ReadModelStoreFactory): (() => ReadModelStore) => {
  let current: Awaited<ReturnType<ReadModelStoreFactory>> | undefined;
  beforeEach(async () => {
    current = await createStore();
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error("The store exists only while a test runs.");
    return current.store;
  };
};

export const seed = async <T extends Document>(
  collection: ReadModelCollection<T>,
  documents: Readonly<Record<string, T>>,
): Promise<void> => {
  for (const [id, document] of Object.entries(documents)) await collection.upsert(id, 0, document);
};

/** Follows `nextCursor` to the end; the page cap turns a cursor that never ends into a failure, not a hang. */
export const readAllPages = async <T extends Document>(
  collection: ReadModelCollection<T>,
  query: FindQuery<T>,
): Promise<{ ids: string[]; pageSizes: number[] }> => {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  do {
    if (pageSizes.length > 100) throw new Error("More than 100 pages: the cursor never reaches the end.");
    const page = await collection.find({ ...query, cursor });
    ids.push(...page.items.map((item) => item.id));
    pageSizes.push(page.items.length);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return { ids, pageSizes };
};

/**
 * The order every adapter must produce: by the field, null (or missing) before
 * any value as in MongoDB and SQLite, ties broken by id; all reversed for desc.
 * Only meaningful for fields holding one type (plus null).
 */
export const expectedOrder = <T extends Document>(
  documents: Readonly<Record<string, T>>,
  field: keyof T & string,
  direction: "asc" | "desc",
): string[] => {
  const key = (id: string) => documents[id]?.[field] ?? null;
  const compare = (a: string, b: string): number => {
    const [x, y] = [key(a), key(b)];
    if (x !== y) {
      if (x === null) return -1;
      if (y === null) return 1;
      return x < y ? -1 : 1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const ascending = Object.keys(documents).sort(compare);
  return direction === "asc" ? ascending : ascending.reverse();
};
