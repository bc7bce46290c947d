import { randomUUID } from "node:crypto";
import { expect, it, type TestFunction } from "vitest";
import type { DeliveredMessage, MessageBus, OutgoingMessage } from "../messageBus.js";

export type MessageBusFixture = Readonly<{ bus: MessageBus; dispose: () => Promise<void> }>;

/** A consumer the test started, with every delivery it got (failed ones too), in order. */
export type TestMember = Readonly<{ received: DeliveredMessage[]; stop: () => Promise<void> }>;

/** Runs inside the member's handler after the delivery is recorded; throwing fails the delivery. */
export type OnMessage = (message: DeliveredMessage, received: readonly DeliveredMessage[]) => Promise<void>;

export type ContractFixtures = Readonly<{
  fixture: MessageBusFixture;
  bus: MessageBus;
  /** A topic no other test, nor an earlier run against the same broker, uses. */
  topic: string;
  /** Starts a member of the group consuming `topic`; it is stopped after the test. */
  join: (groupId: string, onMessage?: OnMessage) => Promise<TestMember>;
}>;

/** Declares one contract test; it is given the contract's timeout, `contractTestTimeoutMs`. */
export type ContractTest = (name: string, body: TestFunction<ContractFixtures>) => void;

/**
 * How long a test waits for deliveries before it fails. It bounds a failure only, a passing
 * test goes on as soon as its condition holds; it is generous for Kafka, where joining a
 * group and rebalancing take seconds, more on a loaded machine.
 */
const deliveryTimeoutMs = 30_000;
/** Above the waits of a test that waits more than once, so that a failure says what it waited for. */
export const contractTestTimeoutMs = 3 * deliveryTimeoutMs;
const checkEveryMs = 10;

export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID()}`;

export const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, index) => from + index);

export const aMessage = (key: string, seq: number, headers?: Readonly<Record<string, string>>): OutgoingMessage =>
  headers === undefined ? { key, value: { seq } } : { key, value: { seq }, headers };

export const seqOf = (message: DeliveredMessage): number => message.value["seq"] as number;

/** Names a message by key and sequence number, as the tests publish them. */
export const idOf = (message: OutgoingMessage): string => `${message.key}#${JSON.stringify(message.value["seq"])}`;

export const sortedIds = (messages: readonly OutgoingMessage[]): string[] => messages.map(idOf).sort();

export const seqsOfKey = (messages: readonly DeliveredMessage[], key: string): number[] =>
  messages.filter((message) => message.key === key).map(seqOf);

/** Polls until the condition holds, failing once the bounded wait is over. */
export const eventually = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + deliveryTimeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${deliveryTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, checkEveryMs));
  }
};

export const deferred = () => {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
};

/**
 * What per-partition and per-key order mean as a consumer sees them: a key's messages all
 * come from one partition, and a partition's offsets increase. Kafka does not promise that
 * they increase by exactly one (transaction markers and compaction leave gaps).
 */
export const expectOrdered = (received: readonly DeliveredMessage[]): void => {
  const partitionOfKey = new Map<string, number>();
  const lastOffset = new Map<number, number>();
  for (const message of received) {
    expect(Number.isSafeInteger(message.partition) && message.partition >= 0, "a partition number").toBe(true);
    expect(Number.isSafeInteger(message.offset) && message.offset >= 0, "an offset").toBe(true);
    expect(partitionOfKey.get(message.key) ?? message.partition, `the partition of key ${message.key}`).toBe(message.partition);
    partitionOfKey.set(message.key, message.partition);
    const previous = lastOffset.get(message.partition) ?? -1;
    expect(message.offset, `an offset of partition ${message.partition}`).toBeGreaterThan(previous);
    lastOffset.set(message.partition, message.offset);
  }
};

/** The test function of the contract suite; every test gets a fresh bus, topic and members. */
export const contractTest = (createBus: () => Promise<MessageBusFixture>): ContractTest => {
  const test = withFixtures(createBus);
  // An extended test takes the configured testTimeout, never its describe block's, so the bound is given to each test.
  return (name, body) => test(name, { timeout: contractTestTimeoutMs }, body);
};

const withFixtures = (createBus: () => Promise<MessageBusFixture>) =>
  it.extend<ContractFixtures>({
    // Vitest learns a fixture's dependencies from the pattern of its first parameter, so even none is spelt out.
    fixture: async ({}, use) => {
      const fixture = await createBus();
      await use(fixture);
      await fixture.dispose();
    },
    bus: async ({ fixture }, use) => use(fixture.bus),
    topic: async ({}, use) => use(uniqueName("contract")),
    join: async ({ bus, topic }, use) => {
      const members: TestMember[] = [];
      await use(async (groupId, onMessage) => {
        const received: DeliveredMessage[] = [];
        const consumer = await bus.consume({ groupId, topics: [topic] }, async (message) => {
          received.push(message);
          await onMessage?.(message, received);
        });
        const member = { received, stop: () => consumer.stop() };
        members.push(member);
        return member;
      });
      await Promise.all(members.map((member) => member.stop()));
    },
  });
