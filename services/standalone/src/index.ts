export * from "./standalone.js";
