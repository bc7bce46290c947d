export * from "./activity/activityEntry.js";
export * from "./activity/hashChain.js";
export * from "./activity/verifyChain.js";
export * from "./auditConsumer.js";
export * from "./tokens/revocationEntry.js";
