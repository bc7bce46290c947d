export * from "./credentialScheduler.js";
