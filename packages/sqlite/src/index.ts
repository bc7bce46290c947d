export * from "./openSqliteDatabase.js";
export * from "./turnTransactions.js";
