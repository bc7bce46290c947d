export * from "./testApi.js";
