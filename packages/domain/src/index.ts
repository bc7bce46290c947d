export * from "./decider.js";
export * from "./eventMetadata.js";
export * from "./clientApplication/index.js";
export * from "./workspace/index.js";
export * from "./registryEvent.js";
