export { createEmbeddedMessageBus, type EmbeddedMessageBusOptions } from "./sqliteMessageBus.js";
