export * from "./clientApplicationEvents.js";
