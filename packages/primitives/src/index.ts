export * from "./codedError.js";
export * from "./json.js";
