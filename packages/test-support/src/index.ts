export * from "./watchTimers.js";
export * from "./builtService.js";
