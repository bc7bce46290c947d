export { connectKurrentDbEventStore, createKurrentDbEventStore, type KurrentDbEventStoreOptions } from "./kurrentDbEventStore.js";
