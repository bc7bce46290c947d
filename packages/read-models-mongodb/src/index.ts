export { connectMongoReadModelStore, createMongoReadModelStore } from "./mongoReadModelStore.js";
