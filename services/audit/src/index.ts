export * from "./container.js";
