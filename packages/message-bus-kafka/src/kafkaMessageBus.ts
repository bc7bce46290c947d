import { MessageBusUnavailableError, type Consumer, type MessageBus } from "@clientapps/message-bus";
import { Kafka, logLevel, type RetryOptions } from "kafkajs";
import { startGroupMember } from "./kafkaGroupMember.js";
import { encodeMessage } from "./kafkaMessages.js";
import { createKafkaPublisher } from "./kafkaPublisher.js";
import { createKafkaTopics } from "./kafkaTopics.js";

export type KafkaMessageBusOptions = Readonly<{
  /** Partitions of a topic this bus creates; a topic keeps the count it was created with. */
  partitions: number;
  /** Replicas of a topic this bus creates; the broker's default.replication.factor if not given. */
  replicationFactor?: number;
  /**
   * How long a publish keeps retrying, and a new consumer keeps trying to join its group, while
   * Kafka is unavailable, before failing with MessageBusUnavailableError. Default 30 s.
   */
  timeoutMs?: number;
  /** A member the broker has not heard from for this long leaves its group. Default 30 s. */
  sessionTimeoutMs?: number;
  /** How often a member tells the broker it is alive, and so how soon it notices a rebalance. Default 3 s. */
  heartbeatIntervalMs?: number;
  /** How long a fetch waits for new messages; a stopping member finishes its fetch first. Default 500 ms. */
  maxWaitTimeMs?: number;
}>;

/**
 * kafkajs's retries of one operation (joining, fetching, committing, creating a topic). A
 * consumer that runs out of them crashes and is restarted, so they bound one attempt, not how
 * long a member keeps trying; a publish has its own count, below.
 */
const maxRetryTimeMs = 5_000;
const retry: RetryOptions = { initialRetryTime: 300, multiplier: 2, factor: 0.2, maxRetryTime: maxRetryTimeMs, retries: 8 };

const legalTopic = /^[a-zA-Z0-9._-]{1,249}$/;

const requirePositive = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer.`);
  return value;
};

const requireTopic = (topic: string): void => {
  if (typeof topic !== "string" || !legalTopic.test(topic)) {
    throw new RangeError(`A Kafka topic name is 1 to 249 letters, digits, ".", "_" or "-": ${JSON.stringify(topic)}.`);
  }
};

/**
 * The distributed mode's bus, on Apache Kafka through kafkajs. Publishing goes through an
 * idempotent producer; each `consume()` starts one member of the consumer group, which starts
 * at the beginning of each partition when the group is new and commits each message's offset
 * after its handler resolves. The caller owns the Kafka client: its brokers, SSL, SASL and
 * logger apply here. `close()` stops every consumer and disconnects what this bus connected.
 */
export const createKafkaMessageBus = (kafka: Kafka, options: KafkaMessageBusOptions): MessageBus => {
  const partitions = requirePositive("partitions", options.partitions);
  const timeoutMs = requirePositive("timeoutMs", options.timeoutMs ?? 30_000);
  const sessionTimeoutMs = requirePositive("sessionTimeoutMs", options.sessionTimeoutMs ?? 30_000);
  const heartbeatIntervalMs = requirePositive("heartbeatIntervalMs", options.heartbeatIntervalMs ?? 3_000);
  const maxWaitTimeMs = requirePositive("maxWaitTimeMs", options.maxWaitTimeMs ?? 500);
  const replicationFactor =
    options.replicationFactor === undefined ? undefined : requirePositive("replicationFactor", options.replicationFactor);

  const topics = createKafkaTopics(kafka, { partitions, replicationFactor, retry, timeoutMs });
  // Enough retries that the publish timeout, not kafkajs, ends a publish to a broker that is away.
  const publishRetry = { ...retry, retries: Math.ceil(timeoutMs / maxRetryTimeMs) + 5 };
  const publisher = createKafkaPublisher(kafka, publishRetry, timeoutMs);
  const members = new Set<Consumer>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const assertOpen = (): void => {
    if (closed) throw new MessageBusUnavailableError("The message bus is closed.");
  };

  return {
    ping: async () => {
      assertOpen();
      await topics.ping();
    },
    publish: async (topic, messages) => {
      assertOpen();
      requireTopic(topic);
      if (messages.length === 0) return;
      await topics.ensure([topic]);
      // Closed meanwhile: a producer opened now would outlive the bus.
      assertOpen();
      await publisher.send(topic, messages.map(encodeMessage));
    },

    consume: async ({ groupId, topics: consumed }, handler) => {
      assertOpen();
      if (typeof groupId !== "string" || groupId === "") throw new RangeError("A group id must be a non-empty string.");
      if (consumed.length === 0) throw new RangeError("A consumer needs at least one topic.");
      for (const topic of consumed) requireTopic(topic);
      // Consuming is a first use too: the topics get the configured partition count.
      await topics.ensure(consumed);
      assertOpen();
      const member = await startGroupMember({
        kafka,
        groupId,
        topics: consumed,
        handler,
        sessionTimeoutMs,
        heartbeatIntervalMs,
        maxWaitTimeMs,
        joinTimeoutMs: timeoutMs,
        retry,
      });
      if (closed) {
        await member.stop();
        throw new MessageBusUnavailableError("The message bus was closed while the consumer started.");
      }
      const stop = async (): Promise<void> => {
        members.delete(consumer);
        await member.stop();
      };
      const consumer: Consumer = { stop };
      members.add(consumer);
      return consumer;
    },

    close: () =>
      (closing ??= (async () => {
        closed = true;
        await Promise.all([...members].map((member) => member.stop()));
        await Promise.all([publisher.close(), topics.close()]);
      })()),
  };
};

/**
 * A bus on its own client, for composition roots that have only the broker list.
 * The client connects on first use and reconnects by itself; kafkajs' own logs
 * are kept to errors, the adapter reports what matters through them.
 */
export const connectKafkaMessageBus = (
  brokers: readonly string[],
  options: KafkaMessageBusOptions & Readonly<{ clientId?: string }>,
): MessageBus =>
  createKafkaMessageBus(
    new Kafka({ clientId: options.clientId ?? "clientapps", brokers: [...brokers], logLevel: logLevel.ERROR, retry: { retries: 8 } }),
    options,
  );
