export * from "./openSqliteDatabase.js";
