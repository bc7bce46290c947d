export * from "./container.js";
export * from "./standalone.js";
