export * from "./readModelStore.js";
export * from "./errors.js";
export * from "./cursor.js";
export * from "./identifier.js";
