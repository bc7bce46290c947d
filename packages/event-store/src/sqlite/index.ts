export { createSqliteEventStore, type GroupCommit, type SqliteEventStoreOptions } from "./sqliteEventStore.js";
