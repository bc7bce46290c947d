export * from "./container.js";
export * from "./standaloneCommand.js";
