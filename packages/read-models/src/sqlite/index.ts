export { createSqliteReadModelStore } from "./sqliteReadModelStore.js";
export { openSqliteDatabase } from "./openSqliteDatabase.js";
