import { describe } from "vitest";
import { describeAppending } from "./appendingContract.js";
import { contractTest, type EventStoreFixture } from "./contractTest.js";
import { describeReading } from "./readingContract.js";
import { describeSubscribing } from "./subscribingContract.js";

/**
 * The behaviour every event-store adapter must have, as a vitest suite. `createStore` is
 * called for each test and `dispose` after it; the store may be shared with other tests
 * and hold other events, as long as it is the same store for the whole of one test.
 */
export const describeEventStoreContract = (adapterName: string, createStore: () => Promise<EventStoreFixture>): void => {
  describe(`${adapterName} (event-store contract)`, () => {
    const test = contractTest(createStore);
    describeAppending(test);
    describeReading(test);
    describeSubscribing(test);
  });
};
