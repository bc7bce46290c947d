export { createKurrentDbEventStore } from "./kurrentDbEventStore.js";
