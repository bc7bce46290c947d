export * from "./credentialFormat.js";
export * from "./secretHasher.js";
export * from "./redactCredentials.js";
