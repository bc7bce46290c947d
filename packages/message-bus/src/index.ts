export * from "./messageBus.js";
export * from "./errors.js";
export * from "./namespacedBus.js";
