import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { EventStore } from "@clientapps/event-store";
import { createSqliteEventStore } from "@clientapps/event-store/sqlite";
import { connectKurrentDbEventStore } from "@clientapps/event-store-kurrentdb";
import { namespacedBus, type MessageBus } from "@clientapps/message-bus";
import { connectKafkaMessageBus } from "@clientapps/message-bus-kafka";
import { createEmbeddedMessageBus } from "@clientapps/message-bus/embedded";
import type { ReadModelStore } from "@clientapps/read-models";
import { connectMongoReadModelStore } from "@clientapps/read-models-mongodb";
import { createSqliteReadModelStore } from "@clientapps/read-models/sqlite";
import { openSqliteDatabase } from "@clientapps/sqlite";
import type { Config } from "./config.js";

export type Engines = Readonly<{
  eventStore: EventStore;
  readModels: ReadModelStore;
  bus: MessageBus;
  close: () => Promise<void>;
}>;

export type EngineSettings = Pick<Config, "dataDir" | "pollIntervalMs"> &
  Partial<Pick<Config, "eventStoreUrl" | "mongodbUrl" | "mongodbDatabase" | "kafkaBrokers" | "kafkaPartitions" | "busNamespace">>;

type Opened<T> = Readonly<{ engine: T; close: () => Promise<void> }>;

const sqliteFile = (settings: EngineSettings, name: string) => {
  mkdirSync(settings.dataDir, { recursive: true });
  return openSqliteDatabase(join(settings.dataDir, name));
};

const openEventStore = (settings: EngineSettings): Opened<EventStore> => {
  if (settings.eventStoreUrl) {
    const eventStore = connectKurrentDbEventStore(settings.eventStoreUrl);
    return { engine: eventStore, close: () => eventStore.close() };
  }
  const db = sqliteFile(settings, "events.sqlite");
  const eventStore = createSqliteEventStore(db, { pollIntervalMs: settings.pollIntervalMs });
  return {
    engine: eventStore,
    close: async () => {
      await eventStore.close();
      db.close();
    },
  };
};

const openReadModels = (settings: EngineSettings): Opened<ReadModelStore> => {
  if (settings.mongodbUrl) {
    const readModels = connectMongoReadModelStore(settings.mongodbUrl, settings.mongodbDatabase ?? "clientapps");
    return { engine: readModels, close: () => readModels.close() };
  }
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

const openBus = (settings: EngineSettings): Opened<MessageBus> => {
  if (settings.kafkaBrokers && settings.kafkaBrokers.length > 0) {
    const bus = connectKafkaMessageBus(settings.kafkaBrokers, { partitions: settings.kafkaPartitions ?? 6 });
    return { engine: bus, close: () => bus.close() };
  }
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

/**
 * Opens the engines the configuration names, each on its own: a URL switches
 * that port to its production engine, otherwise it is embedded. Embedded events,
 * read models and bus live in separate files under DATA_DIR: the projections can
 * be rebuilt from the events (the same store also keeps admin tokens and
 * idempotency records, which are not events), and the bus is a log the relay can
 * always publish again.
 */
export const openEngines = (settings: EngineSettings): Engines => {
  const eventStore = openEventStore(settings);
  const readModels = openReadModels(settings);
  const bus = openBus(settings);
  return {
    eventStore: eventStore.engine,
    readModels: readModels.engine,
    bus: namespacedBus(bus.engine, settings.busNamespace ?? ""),
    close: async () => {
      await bus.close();
      await eventStore.close();
      await readModels.close();
    },
  };
};
