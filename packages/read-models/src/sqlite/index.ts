export { createSqliteReadModelStore } from "./sqliteReadModelStore.js";
