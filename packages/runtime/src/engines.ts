import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { EventStore } from "@clientapps/event-store";
import { createSqliteEventStore, type GroupCommit } from "@clientapps/event-store/sqlite";
import { namespacedBus, type MessageBus } from "@clientapps/message-bus";
import { createEmbeddedMessageBus } from "@clientapps/message-bus/embedded";
import type { ReadModelStore } from "@clientapps/read-models";
import { createSqliteReadModelStore } from "@clientapps/read-models/sqlite";
import { openSqliteDatabase } from "@clientapps/sqlite";
import type { Config } from "./config.js";

export type Engines = Readonly<{
  eventStore: EventStore;
  readModels: ReadModelStore;
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

const sqliteFile = (settings: EmbeddedEngineSettings, name: string) => {
  mkdirSync(settings.dataDir, { recursive: true });
  return openSqliteDatabase(join(settings.dataDir, name));
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

const embeddedReadModels = (settings: EmbeddedEngineSettings): Opened<ReadModelStore> => {
  const db = sqliteFile(settings, "read-models.sqlite");
  const readModels = createSqliteReadModelStore(db);
  return {
    engine: readModels,
    close: async () => {
      await readModels.close();
      db.close();
    },
  };
};

const embeddedBus = (settings: EmbeddedEngineSettings): Opened<MessageBus> => {
  const db = sqliteFile(settings, "bus.sqlite");
  const bus = createEmbeddedMessageBus(db, { pollIntervalMs: settings.pollIntervalMs });
  return {
    engine: bus,
    close: async () => {
      await bus.close();
      db.close();
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

const openReadModels = async (settings: EngineSettings): Promise<Opened<ReadModelStore>> => {
  if (!settings.mongodbUrl) return embeddedReadModels(settings);
  const { connectMongoReadModelStore } = await import("@clientapps/read-models-mongodb");
  const readModels = connectMongoReadModelStore(settings.mongodbUrl, settings.mongodbDatabase ?? "clientapps");
  return { engine: readModels, close: () => readModels.close() };
};

const openBus = async (settings: EngineSettings): Promise<Opened<MessageBus>> => {
  if (!settings.kafkaBrokers || settings.kafkaBrokers.length === 0) return embeddedBus(settings);
  const { connectKafkaMessageBus } = await import("@clientapps/message-bus-kafka");
  const bus = connectKafkaMessageBus(settings.kafkaBrokers, { partitions: settings.kafkaPartitions ?? 6 });
  return { engine: bus, close: () => bus.close() };
};

const assemble = (
  settings: EmbeddedEngineSettings,
  eventStore: Opened<EventStore>,
  readModels: Opened<ReadModelStore>,
  bus: Opened<MessageBus>,
): Engines => ({
  eventStore: eventStore.engine,
  readModels: readModels.engine,
  bus: namespacedBus(bus.engine, settings.busNamespace ?? ""),
  close: async () => {
    await bus.close();
    await eventStore.close();
    await readModels.close();
  },
});

/**
 * Opens the engines the configuration names, each on its own: a URL switches
 * that port to its production engine, otherwise it is embedded. Embedded events,
 * read models and bus live in separate files under DATA_DIR: the projections can
 * be rebuilt from the events (the same store also keeps admin tokens and
 * idempotency records, which are not events), and the bus is a log the relay can
 * always publish again. If one engine fails to open, those already open are closed.
 */
export const connectEngines = async (settings: EngineSettings): Promise<Engines> => {
  const opened: Opened<unknown>[] = [];
  const track = <T>(engine: Opened<T>): Opened<T> => (opened.push(engine), engine);
  try {
    const eventStore = track(await openEventStore(settings));
    const readModels = track(await openReadModels(settings));
    const bus = track(await openBus(settings));
    return assemble(settings, eventStore, readModels, bus);
  } catch (error) {
    for (const engine of opened.reverse()) await engine.close().catch(() => undefined);
    throw error;
  }
};

/**
 * The embedded engines alone, opened synchronously: what tests and tools on a
 * data directory use. A process opens its engines with `connectEngines`, which
 * honours the production settings.
 */
export const openEmbeddedEngines = (settings: EmbeddedEngineSettings): Engines =>
  assemble(settings, embeddedEventStore(settings), embeddedReadModels(settings), embeddedBus(settings));
