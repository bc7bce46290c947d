import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeEvent, type DomainEvent, type RecordedEvent } from "@clientapps/event-store";
import type { CollectionDefinition, Document, ReadModelStore, Scalar } from "@clientapps/read-models";
import { createSqliteReadModelStore } from "@clientapps/read-models/sqlite";
import { openSqliteDatabase } from "@clientapps/sqlite";
import { expect } from "vitest";
import type { Projection, ProjectionHandler } from "../projection.js";

/** A collection's documents by id, each with the revision of the last event applied to it. */
export type CollectionContents<T extends Document = Document> = Readonly<Record<string, Readonly<{ revision: number; document: T }>>>;

const pageSize = 100;

/** Documents seen as if every field were a scalar, as `find` sorts only on those; only read, never written. */
type AnyFields = Readonly<Record<string, Scalar>>;

/**
 * Every document of the collection, read through the port. The sort field is one no
 * document has, so all sort keys tie and the id orders the pages.
 */
export const readCollection = async <T extends Document>(
  store: ReadModelStore,
  definition: CollectionDefinition,
): Promise<CollectionContents<T>> => {
  const collection = await store.collection<AnyFields>(definition);
  const contents: Record<string, Readonly<{ revision: number; document: T }>> = {};
  let cursor: string | undefined;
  do {
    const page = await collection.find({ orderBy: { field: "aFieldNoDocumentHas", direction: "asc" }, limit: pageSize, cursor });
    for (const { id, revision, document } of page.items) contents[id] = { revision, document: document as Document as T };
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return contents;
};

/**
 * Runs `work` on the read-model store of the embedded engines, in files of a fresh
 * directory that is deleted afterwards, whatever happened.
 */
export const withReadModelStore = async <R>(work: (store: ReadModelStore) => Promise<R>): Promise<R> => {
  const dataDir = await mkdtemp(join(tmpdir(), "projector-spec-"));
  try {
    const db = openSqliteDatabase(join(dataDir, "read-models.sqlite"));
    const store = createSqliteReadModelStore(db);
    try {
      return await work(store);
    } finally {
      await store.close();
      db.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
};

/** Delivers the events as the runner does: decoded, and those of unknown types skipped. */
const applyAll = async <Event extends DomainEvent>(
  projection: Projection<Event>,
  handler: ProjectionHandler<Event>,
  events: readonly RecordedEvent[],
): Promise<void> => {
  for (const recorded of events) {
    const event = decodeEvent<Event>(recorded, projection.isEventType);
    if (event) await handler.apply(event, recorded);
  }
};

/**
 * Given/then for projections, against a real SQLite read-model store:
 * `spec.given([recorded events]).then({ [id]: { revision, document } })` asserts the
 * whole collection after the events are applied once, in order;
 * `.thenAppliedTwiceIsTheSame()` asserts that a replay of all of them, and each of
 * them delivered twice in a row, leave the collection as applying them once does.
 */
export const ProjectionSpecification = {
  for: <T extends Document, Event extends DomainEvent = DomainEvent>(projection: Projection<Event>, collection: CollectionDefinition) => {
    const project = (deliveries: readonly (readonly RecordedEvent[])[]) =>
      withReadModelStore(async (store) => {
        const handler = await projection.open(store);
        for (const events of deliveries) await applyAll(projection, handler, events);
        return readCollection<T>(store, collection);
      });

    return {
      given: (events: readonly RecordedEvent[]) => ({
        then: async (expected: CollectionContents<T>): Promise<void> => {
          expect(await project([events])).toStrictEqual(expected);
        },
        thenAppliedTwiceIsTheSame: async (): Promise<void> => {
          const once = await project([events]);
          expect(Object.keys(once).length, "the events should build at least one document").toBeGreaterThan(0);
          expect(await project([events, events]), "after a replay of all the events").toStrictEqual(once);
          expect(await project([events.flatMap((event) => [event, event])]), "after each event was delivered twice in a row").toStrictEqual(
            once,
          );
        },
      }),
    };
  },
};
