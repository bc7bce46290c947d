export * from "./eventMessage.js";
export * from "./publicEventSchemas.js";
export * from "./relayProjection.js";
export * from "./workspaceEventSchemas.js";
