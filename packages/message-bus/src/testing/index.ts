export { describeMessageBusContract } from "./messageBusContract.js";
export type { MessageBusFixture } from "./contractTest.js";
