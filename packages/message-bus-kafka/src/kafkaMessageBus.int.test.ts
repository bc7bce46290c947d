import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { MessageBusUnavailableError, type DeliveredMessage, type MessageBus } from "@clientapps/message-bus";
import { describeMessageBusContract } from "@clientapps/message-bus/testing";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createKafkaMessageBus, type KafkaMessageBusOptions } from "./index.js";

const brokers = process.env["KAFKA_BROKERS"]?.split(",").filter((broker) => broker !== "") ?? [];
if (brokers.length === 0) {
  console.warn(
    "KAFKA_BROKERS is not set: the Kafka message-bus contract suite and adapter tests are SKIPPED. " +
      "Start a broker with infra/kafka/start.sh and run them with the KAFKA_BROKERS it prints.",
  );
}

const partitions = 6;

/**
 * Settings for a broker on this machine, chosen so that a test waits for Kafka as little as it
 * can: members notice a rebalance within a tenth of a second, and a stopping member's fetch
 * ends as soon. The broker's group.initial.rebalance.delay.ms is 0 (infra/kafka), so a new
 * group forms at once.
 */
const testTuning = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 100, maxWaitTimeMs: 100 } as const;

// kafkajs logs answers the tests expect (a rebalance, a topic that exists, a leader not yet
// elected, a refused connection) as errors; a failing test says what went wrong without them.
// Two retries to connect keep the tests without a broker short.
const kafkaAt = (at: readonly string[]): Kafka =>
  new Kafka({ clientId: "message-bus-kafka-test", brokers: [...at], logLevel: logLevel.NOTHING, retry: { retries: 2 } });

const openBus = (options: Partial<KafkaMessageBusOptions> = {}): MessageBus =>
  createKafkaMessageBus(kafkaAt(brokers), { partitions, ...testTuning, ...options });

const uniqueName = (prefix: string): string => `${prefix}-${randomUUID()}`;

/**
 * Bounds on a failing test only; a passing one goes on as soon as its condition holds. They
 * are wide because CI runs this suite beside every other package's build and tests on two
 * cores, where the broker's JVM and the test process wait for CPU, and a group join or a
 * round of acknowledged publishes can take seconds.
 */
const waitMs = 30_000;
const testTimeoutMs = 90_000;

const eventually = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + waitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const seqsOf = (messages: readonly DeliveredMessage[], key: string): unknown[] =>
  messages.filter((message) => message.key === key).map((message) => message.value["seq"]);

describe.skipIf(brokers.length === 0)("Kafka message bus", { timeout: testTimeoutMs }, () => {
  describeMessageBusContract("Kafka", async () => {
    const bus = openBus();
    return { bus, dispose: () => bus.close() };
  });

  describe("on a broker", () => {
    let admin: Admin;
    const opened: MessageBus[] = [];
    const open = (options: Partial<KafkaMessageBusOptions> = {}): MessageBus => {
      const bus = openBus(options);
      opened.push(bus);
      return bus;
    };

    beforeAll(async () => {
      admin = kafkaAt(brokers).admin();
      await admin.connect();
    });
    afterAll(() => admin.disconnect());
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
    });

    const partitionCountOf = async (topic: string): Promise<number | undefined> => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return topics[0]?.partitions.length;
    };

    it("creates a topic on first use, publishing or consuming, with the configured partition count", async () => {
      const bus = open({ partitions: 3 });
      const published = uniqueName("topic");
      const consumed = uniqueName("topic");

      await bus.publish(published, [{ key: "key-0", value: { seq: 0 } }]);
      await bus.consume({ groupId: uniqueName("group"), topics: [consumed] }, async () => {});

      expect(await partitionCountOf(published)).toBe(3);
      expect(await partitionCountOf(consumed)).toBe(3);
    });

    it("keeps the partition count a topic was created with, whatever another bus is configured with", async () => {
      const topic = uniqueName("topic");
      await open({ partitions: 2 }).publish(topic, [{ key: "key-0", value: { seq: 0 } }]);
      const other = open({ partitions: 5 });

      await other.publish(topic, [{ key: "key-0", value: { seq: 1 } }]);
      const received: DeliveredMessage[] = [];
      await other.consume({ groupId: uniqueName("group"), topics: [topic] }, async (message) => {
        received.push(message);
      });
      await eventually(() => received.length >= 2, "both messages");

      expect(await partitionCountOf(topic)).toBe(2);
      expect(seqsOf(received, "key-0")).toEqual([0, 1]);
    });

    it("puts each key on the partition a Java producer would choose (murmur2)", async () => {
      const bus = open();
      const topic = uniqueName("topic");
      // Utils.toPositive(Utils.murmur2(key)) % 6, computed with kafka-clients 3.9.1.
      const javaPartitions = { "client-1": 0, "client-2": 1, "client-3": 5, "ws-1/client-42": 3, "é-ü": 2 };
      const received: DeliveredMessage[] = [];
      await bus.consume({ groupId: uniqueName("group"), topics: [topic] }, async (message) => {
        received.push(message);
      });

      await bus.publish(
        topic,
        Object.keys(javaPartitions).map((key) => ({ key, value: { seq: 0 } })),
      );
      await eventually(() => received.length >= 5, "five messages");

      expect(Object.fromEntries(received.map(({ key, partition }) => [key, partition]))).toEqual(javaPartitions);
    });

    it("redelivers a failed message before the rest of its partition while the other partitions go on", async () => {
      const bus = open();
      const topic = uniqueName("topic");
      const received: DeliveredMessage[] = [];
      // client-1 is on partition 0 and client-2 on partition 1 (see the murmur2 test).
      await bus.consume({ groupId: uniqueName("group"), topics: [topic] }, async (message) => {
        received.push(message);
        if (message.key === "client-1" && seqsOf(received, "client-2").length < 3) throw new Error("not yet");
      });

      await bus.publish(
        topic,
        [0, 1].map((seq) => ({ key: "client-1", value: { seq } })),
      );
      await eventually(() => received.length >= 1, "the first delivery of client-1");
      await bus.publish(
        topic,
        [0, 1, 2].map((seq) => ({ key: "client-2", value: { seq } })),
      );
      await eventually(() => seqsOf(received, "client-1").includes(1), "client-1 after its failures");

      expect(seqsOf(received, "client-2")).toEqual([0, 1, 2]);
      const client1 = received.filter((message) => message.key === "client-1");
      const [first, ...others] = client1;
      expect(client1.length).toBeGreaterThanOrEqual(3);
      expect(others.slice(0, -1)).toEqual(others.slice(0, -1).map(() => first));
      expect(client1.at(-1)?.value).toEqual({ seq: 1 });
    });

    it("leaves the group when closed, and refuses further calls", async () => {
      const bus = open();
      const topic = uniqueName("topic");
      const groupId = uniqueName("group");
      await bus.consume({ groupId, topics: [topic] }, async () => {});
      const membersOf = async () => (await admin.describeGroups([groupId])).groups[0]?.members.length;
      expect(await membersOf()).toBe(1);

      await bus.close();

      expect(await membersOf()).toBe(0);
      await expect(bus.publish(topic, [{ key: "key-0", value: {} }])).rejects.toThrow(MessageBusUnavailableError);
      await expect(bus.consume({ groupId, topics: [topic] }, async () => {})).rejects.toThrow(MessageBusUnavailableError);
    });
  });
});

describe("Kafka message bus without a broker", () => {
  let closedPort: number;

  beforeAll(async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    closedPort = typeof address === "object" && address !== null ? address.port : 0;
    await new Promise((resolve) => server.close(resolve));
  });

  it("reports a broker it cannot reach as unavailable, never with a kafkajs error", async () => {
    const bus = createKafkaMessageBus(kafkaAt([`127.0.0.1:${closedPort}`]), { partitions, timeoutMs: 1_000 });

    const publishing = bus.publish("orders", [{ key: "key-0", value: {} }]).catch((error: unknown) => error);
    const consuming = bus.consume({ groupId: "group", topics: ["orders"] }, async () => {}).catch((error: unknown) => error);

    expect(await publishing).toBeInstanceOf(MessageBusUnavailableError);
    expect(await consuming).toBeInstanceOf(MessageBusUnavailableError);
    await bus.close();
  });

  it("refuses a topic name Kafka would refuse", async () => {
    const bus = createKafkaMessageBus(kafkaAt([`127.0.0.1:${closedPort}`]), { partitions });

    await expect(bus.publish("orders/eu", [{ key: "key-0", value: {} }])).rejects.toThrow(RangeError);
    await expect(bus.consume({ groupId: "group", topics: [""] }, async () => {})).rejects.toThrow(RangeError);
    await bus.close();
  });
});
