export * from "./decider.js";
export * from "./clientApplication/index.js";
