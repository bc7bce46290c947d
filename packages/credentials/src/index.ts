export * from "./credentialFormat.js";
export * from "./secretHasher.js";
