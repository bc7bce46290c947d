import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientApplicationStreamName } from "@clientapps/domain";
import { Position, type JsonObject, type RecordedEvent } from "@clientapps/event-store";
import type { CollectionDefinition, Document, ReadModelStore, Scalar } from "@clientapps/read-models";
import { openEngines } from "@clientapps/runtime";
import { expect } from "vitest";
import type { Projection, ProjectionHandler } from "../projection.js";

/** A client-application event as the decider makes it, or one of a type this build does not know. */
export type EventToRecord = Readonly<{ type: string; data: Readonly<{ workspaceId: string; clientId: string }> }>;

/**
 * Records events the way the event store would: each on its client's stream, with
 * revisions counting from 0 per stream and positions increasing across streams.
 */
export const eventRecorder = () => {
  let position = 0n;
  const revisions = new Map<string, number>();
  return {
    record: (event: EventToRecord): RecordedEvent => {
      const streamName = clientApplicationStreamName(event.data.workspaceId, event.data.clientId);
      const revision = (revisions.get(streamName) ?? -1) + 1;
      revisions.set(streamName, revision);
      position += 1n;
      return {
        eventId: `event-${position}`,
        type: event.type,
        data: event.data as unknown as JsonObject,
        metadata: {},
        streamName,
        revision,
        position: Position.of(position),
        recordedAt: new Date(Date.UTC(2025, 0, 1) + Number(position) * 1000).toISOString(),
      };
    },
  };
};

/** Records the events in order on fresh streams. */
export const recorded = (...events: readonly EventToRecord[]): RecordedEvent[] => {
  const recorder = eventRecorder();
  return events.map((event) => recorder.record(event));
};

/** A collection's documents by id, each with the revision of the last event applied to it. */
export type CollectionContents<T extends Document = Document> = Readonly<
  Record<string, Readonly<{ revision: number; document: T }>>
>;

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
    const engines = openEngines({ dataDir, pollIntervalMs: 1_000 });
    try {
      return await work(engines.readModels);
    } finally {
      await engines.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
};

const applyAll = async (handler: ProjectionHandler, events: readonly RecordedEvent[]): Promise<void> => {
  for (const event of events) await handler.apply(event);
};

/**
 * Given/then for projections, against a real SQLite read-model store:
 * `spec.given([recorded events]).then({ [id]: { revision, document } })` asserts the
 * whole collection after the events are applied once, in order;
 * `.thenAppliedTwiceIsTheSame()` asserts that a replay of all of them, and each of
 * them delivered twice in a row, leave the collection as applying them once does.
 */
export const ProjectionSpecification = {
  for: <T extends Document>(projection: Projection, collection: CollectionDefinition) => {
    const project = (deliveries: readonly (readonly RecordedEvent[])[]) =>
      withReadModelStore(async (store) => {
        const handler = await projection.open(store);
        for (const events of deliveries) await applyAll(handler, events);
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
          expect(
            await project([events.flatMap((event) => [event, event])]),
            "after each event was delivered twice in a row",
          ).toStrictEqual(once);
        },
      }),
    };
  },
};
