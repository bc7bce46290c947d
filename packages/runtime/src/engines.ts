import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { EventStore } from "@clientapps/event-store";
import { createSqliteEventStore } from "@clientapps/event-store/sqlite";
import type { MessageBus } from "@clientapps/message-bus";
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

/**
 * Opens the engines the configuration names. Events, read models and the bus
 * live in separate files: the read models can be deleted and rebuilt from the
 * events, and the bus is a log the relay can always publish again.
 */
export const openEngines = (config: Pick<Config, "dataDir" | "pollIntervalMs">): Engines => {
  mkdirSync(config.dataDir, { recursive: true });
  const eventsDb = openSqliteDatabase(join(config.dataDir, "events.sqlite"));
  const readModelsDb = openSqliteDatabase(join(config.dataDir, "read-models.sqlite"));
  const busDb = openSqliteDatabase(join(config.dataDir, "bus.sqlite"));
  const eventStore = createSqliteEventStore(eventsDb, { pollIntervalMs: config.pollIntervalMs });
  const readModels = createSqliteReadModelStore(readModelsDb);
  const bus = createEmbeddedMessageBus(busDb, { pollIntervalMs: config.pollIntervalMs });
  return {
    eventStore,
    readModels,
    bus,
    close: async () => {
      await bus.close();
      await eventStore.close();
      await readModels.close();
      eventsDb.close();
      readModelsDb.close();
      busDb.close();
    },
  };
};
