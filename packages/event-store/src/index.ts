export * from "./eventStore.js";
export * from "./errors.js";
export * from "./position.js";
export * from "./commandHandler.js";
export * from "./decodeEvent.js";
export * from "./streamStateCache.js";
