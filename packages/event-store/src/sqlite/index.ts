export { createSqliteEventStore, type SqliteEventStoreOptions } from "./sqliteEventStore.js";
