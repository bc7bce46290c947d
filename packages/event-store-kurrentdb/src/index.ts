export { connectKurrentDbEventStore, createKurrentDbEventStore } from "./kurrentDbEventStore.js";
