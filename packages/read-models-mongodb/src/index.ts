export { createMongoReadModelStore } from "./mongoReadModelStore.js";
