export { describeEventStoreContract } from "./eventStoreContract.js";
export type { EventStoreFixture } from "./contractTest.js";
export * from "./eventRecorder.js";
