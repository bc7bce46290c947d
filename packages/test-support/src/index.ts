export * from "./watchTimers.js";
