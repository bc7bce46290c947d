export * from "./eventMessage.js";
export * from "./relay.js";
