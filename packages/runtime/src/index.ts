export * from "./config.js";
export * from "./engines.js";
export * from "./logger.js";
export * from "./metrics.js";
export * from "./pepper.js";
export * from "./retry.js";
