import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { EventStore } from "@clientapps/event-store";
import { createSqliteEventStore, type GroupCommit } from "@clientapps/event-store/sqlite";
import { namespacedBus, type MessageBus } from "@clientapps/message-bus";
import { createEmbeddedMessageBus } from "@clientapps/message-bus/embedded";
import type { ReadModelStore } from "@clientapps/read-models";
import { createSqliteReadModelStore } from "@clientapps/read-models/sqlite";
import { openSqliteDatabase, type Database, type SqliteDurability } from "@clientapps/sqlite";
import type { Config } from "./config.js";
import { traceEventStore } from "./tracing.js";

export type Engines = Readonly<{
  eventStore: EventStore;
  /** The read models as the pipeline (projections, audit, scheduler) writes and reads them. */
  readModels: ReadModelStore;
  /**
   * The read models as the api serves them: only what is committed, so that no reader is shown
   * an entry a crash would take back (embedded, see turnTransactions). The same store elsewhere.
   */
  servedReadModels: ReadModelStore;
  bus: MessageBus;
  close: () => Promise<void>;
}>;

/** What the embedded engines need: where their files go and how often their subscriptions poll. */
export type EmbeddedEngineSettings = Pick<Config, "dataDir" | "pollIntervalMs"> &
  Partial<Pick<Config, "busNamespace">> &
  Readonly<{
    /** Told of each group commit of the embedded event store (`/metrics` counts them). */
    onEventStoreCommit?: (commit: GroupCommit) => void;
  }>;

export type EngineSettings = EmbeddedEngineSettings &
  Partial<Pick<Config, "eventStoreUrl" | "mongodbUrl" | "mongodbDatabase" | "kafkaBrokers" | "kafkaPartitions">>;

type Opened<T> = Readonly<{ engine: T; close: () => Promise<void> }>;
type OpenedReadModels = Opened<ReadModelStore> & Readonly<{ served: ReadModelStore; db?: Database | undefined }>;

const sqliteFile = (settings: EmbeddedEngineSettings, name: string, durability: SqliteDurability = "full") => {
  mkdirSync(settings.dataDir, { recursive: true });
  return openSqliteDatabase(join(settings.dataDir, name), durability);
};

const embeddedEventStore = (settings: EmbeddedEngineSettings): Opened<EventStore> => {
  const db = sqliteFile(settings, "events.sqlite");
  const eventStore = createSqliteEventStore(db, { pollIntervalMs: settings.pollIntervalMs, onCommit: settings.onEventStoreCommit });
  return {
    engine: eventStore,
    close: async () => {
      await eventStore.close();
      db.close();
    },
  };
};

/**
 * The file of everything derived from the events. When the bus is embedded too, its log and
 * consumer offsets live in this file beside the projections, their checkpoints (the relay's among
 * them) and the audit's entries: every record derived from another one is then in the same file
 * as its source, or derived from the events, which are on disk before anything reads them. A power
 * loss takes back a suffix of this file's commits, sources and what was derived from them together,
 * and every consumer resumes from a checkpoint that was kept; so its commits skip the fsync
 * (`derived`), but for the collections that are not derived at all (`durable`: admin tokens,
 * idempotency records). Beside a Kafka bus, whose offsets could outlive an entry derived from it,
 * every commit is `full`, and so it is beside a `bus.sqlite` of its own (see `busBesideReadModels`).
 */
const embeddedReadModels = (settings: EmbeddedEngineSettings, withBus: boolean): OpenedReadModels => {
  const db = sqliteFile(settings, "read-models.sqlite", withBus ? "derived" : "full");
  const readModels = createSqliteReadModelStore(db);
  const served = createSqliteReadModelStore(db, { committedReads: true });
  return {
    engine: readModels,
    served,
    db: withBus ? db : undefined,
    close: async () => {
      try {
        await served.close();
        await readModels.close();
      } finally {
        db.close();
      }
    },
  };
};

/** The embedded bus, in the read models' file when they are embedded (see above), else in its own. */
const embeddedBus = (settings: EmbeddedEngineSettings, readModelsDb: Database | undefined): Opened<MessageBus> => {
  const db = readModelsDb ?? sqliteFile(settings, "bus.sqlite");
  const bus = createEmbeddedMessageBus(db, { pollIntervalMs: settings.pollIntervalMs });
  return {
    engine: bus,
    close: async () => {
      await bus.close();
      if (readModelsDb === undefined) db.close();
    },
  };
};

// Each production adapter is imported only when its setting is present, so the
// embedded mode never loads the KurrentDB client (and its gRPC stack), the
// MongoDB driver or kafkajs.

const openEventStore = async (settings: EngineSettings): Promise<Opened<EventStore>> => {
  if (!settings.eventStoreUrl) return embeddedEventStore(settings);
  const { connectKurrentDbEventStore } = await import("@clientapps/event-store-kurrentdb");
  const eventStore = connectKurrentDbEventStore(settings.eventStoreUrl);
  return { engine: eventStore, close: () => eventStore.close() };
};

/**
 * Whether the embedded bus shares the read models' file. A data directory written before it did
 * keeps its `bus.sqlite`, whose messages the audit may not have consumed yet, and with it every
 * commit at `full`.
 */
const busBesideReadModels = (settings: EngineSettings): boolean =>
  (!settings.kafkaBrokers || settings.kafkaBrokers.length === 0) && !existsSync(join(settings.dataDir, "bus.sqlite"));

const openReadModels = async (settings: EngineSettings): Promise<OpenedReadModels> => {
  if (!settings.mongodbUrl) return embeddedReadModels(settings, busBesideReadModels(settings));
  const { connectMongoReadModelStore } = await import("@clientapps/read-models-mongodb");
  const readModels = connectMongoReadModelStore(settings.mongodbUrl, settings.mongodbDatabase ?? "clientapps");
  return { engine: readModels, served: readModels, close: () => readModels.close() };
};

const openBus = async (settings: EngineSettings, readModelsDb: Database | undefined): Promise<Opened<MessageBus>> => {
  if (!settings.kafkaBrokers || settings.kafkaBrokers.length === 0) return embeddedBus(settings, readModelsDb);
  const { connectKafkaMessageBus } = await import("@clientapps/message-bus-kafka");
  const bus = connectKafkaMessageBus(settings.kafkaBrokers, { partitions: settings.kafkaPartitions ?? 6 });
  return { engine: bus, close: () => bus.close() };
};

/** Closes each in order, whatever the one before did; the first failure is the one reported. */
const closeAll = async (engines: readonly Opened<unknown>[]): Promise<void> => {
  const failures: unknown[] = [];
  for (const engine of engines) await engine.close().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw failures[0];
};

const assemble = (
  settings: EmbeddedEngineSettings,
  eventStore: Opened<EventStore>,
  readModels: OpenedReadModels,
  bus: Opened<MessageBus>,
): Engines => ({
  eventStore: traceEventStore(eventStore.engine),
  readModels: readModels.engine,
  servedReadModels: readModels.served,
  bus: namespacedBus(bus.engine, settings.busNamespace ?? ""),
  close: () => closeAll([bus, eventStore, readModels]),
});

/**
 * Opens the engines the configuration names, each on its own: a URL switches
 * that port to its production engine, otherwise it is embedded. Embedded events live
 * in `events.sqlite` under DATA_DIR, the source of truth; embedded read models, and
 * the embedded bus beside them, in `read-models.sqlite` (a bus embedded beside other
 * read models in `bus.sqlite`): the projections can be rebuilt from the events (the
 * same store also keeps admin tokens and idempotency records, which are not events),
 * and the bus is a log the relay can always publish again. If one engine fails to
 * open, those already open are closed.
 */
export const connectEngines = async (settings: EngineSettings): Promise<Engines> => {
  const opened: Opened<unknown>[] = [];
  const track = <T extends Opened<unknown>>(engine: T): T => (opened.push(engine), engine);
  try {
    const eventStore = track(await openEventStore(settings));
    const readModels = track(await openReadModels(settings));
    const bus = track(await openBus(settings, readModels.db));
    return assemble(settings, eventStore, readModels, bus);
  } catch (error) {
    await closeAll(opened.reverse()).catch(() => undefined);
    throw error;
  }
};

/**
 * The embedded engines alone, opened synchronously: what tests and tools on a
 * data directory use. A process opens its engines with `connectEngines`, which
 * honours the production settings.
 */
export const openEmbeddedEngines = (settings: EmbeddedEngineSettings): Engines => {
  const readModels = embeddedReadModels(settings, busBesideReadModels(settings));
  return assemble(settings, embeddedEventStore(settings), readModels, embeddedBus(settings, readModels.db));
};
