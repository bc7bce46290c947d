export * from "./openSqliteDatabase.js";
export * from "./turnTransactions.js";
export * from "./commitWatcher.js";
