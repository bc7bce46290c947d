import { randomUUID } from "node:crypto";
import { expect, it, type TestAPI } from "vitest";
import { ConcurrencyError } from "../errors.js";
import type { EventStore, EventSubscription, JsonObject, NewEvent, RecordedEvent, SubscribeToAllOptions } from "../eventStore.js";
import { Position } from "../position.js";

export type EventStoreFixture = Readonly<{ store: EventStore; dispose: () => Promise<void> }>;

/** What every contract test gets, fresh, and what is cleaned up after it. */
export type ContractFixtures = Readonly<{
  fixture: EventStoreFixture;
  store: EventStore;
  /** A stream-name prefix no other test, nor any earlier run against the same store, uses. */
  prefix: string;
  /** Subscribes; the subscription is closed after the test. */
  subscribe: (options?: SubscribeToAllOptions) => EventSubscription;
  /** Appends one event to each stream named, in turn; returns them as recorded. */
  appendEach: (...streamNames: string[]) => Promise<RecordedEvent[]>;
}>;

export type ContractTest = TestAPI<ContractFixtures>;

/** How long a test waits for an event or the end of a subscription before it fails. */
const deliveryTimeoutMs = 5_000;
/** Larger than any page a test reads; a shared store may hold other events in between. */
export const manyEvents = 10_000;

export const anEvent = (type = "Happened", data: JsonObject = {}, metadata: JsonObject = {}): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata,
});

/** The promise's outcome, or a failure once the bounded wait for it is over. */
export const within = async <T>(promise: Promise<T>, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what} after ${deliveryTimeoutMs} ms`)), deliveryTimeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

export const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => expect.fail("expected the promise to be rejected"),
    (error: unknown) => error,
  );

export const expectConcurrencyError = async (
  promise: Promise<unknown>,
  expected: Pick<ConcurrencyError, "streamName" | "expected" | "actual">,
): Promise<void> => {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ConcurrencyError);
  expect(error).toMatchObject(expected);
};

/** Takes events from one iterator of a subscription, which stays open between takes. */
export const reader = (subscription: EventSubscription) => {
  const iterator = subscription[Symbol.asyncIterator]();
  return {
    take: async (count: number): Promise<RecordedEvent[]> => {
      const events: RecordedEvent[] = [];
      while (events.length < count) {
        const next = await within(iterator.next(), `event ${events.length + 1} of ${count}`);
        if (next.done === true) throw new Error(`the subscription ended after ${events.length} of ${count} events`);
        events.push(next.value);
      }
      return events;
    },
    next: () => within(iterator.next(), "the subscription's next result"),
  };
};

/** What identifies recorded events, for comparing what was read with what was appended. */
export const summary = (events: readonly RecordedEvent[]) =>
  events.map(({ streamName, revision, eventId, position }) => ({ streamName, revision, eventId, position }));

export const expectIncreasingPositions = (events: readonly RecordedEvent[]): void => {
  for (const [index, event] of events.entries()) {
    const previous = events[index - 1];
    if (previous !== undefined) expect(Position.compare(previous.position, event.position)).toBe(-1);
  }
};

/**
 * The test function of the contract suite. The store is never assumed empty, since a real
 * server holds other events: each test writes under its own prefix and reads what follows
 * the head it found.
 */
export const contractTest = (createStore: () => Promise<EventStoreFixture>): ContractTest =>
  it.extend<ContractFixtures>({
    // Vitest learns a fixture's dependencies from the pattern of its first parameter, so even none is spelt out.
    fixture: async ({}, use) => {
      const fixture = await createStore();
      await use(fixture);
      await fixture.dispose();
    },
    store: async ({ fixture }, use) => use(fixture.store),
    prefix: async ({}, use) => use(`contract${randomUUID().replaceAll("-", "")}-`),
    subscribe: async ({ store }, use) => {
      const subscriptions: EventSubscription[] = [];
      await use((options) => {
        const subscription = store.subscribeToAll(options);
        subscriptions.push(subscription);
        return subscription;
      });
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
    },
    appendEach: async ({ store, prefix }, use) =>
      use(async (...streamNames) => {
        const head = await store.headPosition();
        for (const streamName of streamNames) {
          await store.appendToStream(streamName, [anEvent()], { expectedRevision: "any" });
        }
        return [...(await store.readAll({ after: head, streamPrefix: prefix, maxCount: manyEvents }))];
      }),
  });
