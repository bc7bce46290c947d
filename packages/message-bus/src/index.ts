export * from "./messageBus.js";
export * from "./errors.js";
