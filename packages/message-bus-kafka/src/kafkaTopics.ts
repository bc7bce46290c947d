import type { Admin, Kafka, RetryOptions } from "kafkajs";
import { unavailable } from "./unavailable.js";

export type KafkaTopics = Readonly<{
  /** Creates the topics this bus has not seen yet, with the configured partition count. */
  ensure: (topics: readonly string[]) => Promise<void>;
  /** Asks the cluster to describe itself: answers when a broker does. */
  ping: () => Promise<void>;
  close: () => Promise<void>;
}>;

export type KafkaTopicsOptions = Readonly<{
  partitions: number;
  /** Left to the broker's default.replication.factor when not given. */
  replicationFactor: number | undefined;
  retry: RetryOptions;
  timeoutMs: number;
}>;

const ignore = (): void => undefined;

/**
 * Topics are created on first use through the admin client. Creating is idempotent: a topic
 * that exists already (another process created it, or an earlier run) keeps the partition
 * count it has. Topics known to exist are remembered, so only a first use costs a round trip.
 */
export const createKafkaTopics = (kafka: Kafka, options: KafkaTopicsOptions): KafkaTopics => {
  const known = new Map<string, Promise<void>>();
  let admin: Promise<Admin> | undefined;
  let closed = false;

  const connectedAdmin = (): Promise<Admin> => {
    if (closed) return Promise.reject(new Error("The admin client is closed."));
    admin ??= (async () => {
      const client = kafka.admin({ retry: options.retry });
      try {
        await client.connect();
      } catch (error) {
        admin = undefined;
        await client.disconnect().catch(ignore);
        throw error;
      }
      return client;
    })();
    return admin;
  };

  const create = async (topic: string): Promise<void> => {
    const client = await connectedAdmin();
    // kafkajs answers false, rather than failing, when every topic asked for exists already
    // (TOPIC_ALREADY_EXISTS); it waits for the new partitions' leaders otherwise.
    await client.createTopics({
      topics: [
        {
          topic,
          numPartitions: options.partitions,
          ...(options.replicationFactor === undefined ? {} : { replicationFactor: options.replicationFactor }),
        },
      ],
      waitForLeaders: true,
      timeout: options.timeoutMs,
    });
  };

  const ensureOne = (topic: string): Promise<void> => {
    let creating = known.get(topic);
    if (creating === undefined) {
      creating = create(topic).catch((error: unknown) => {
        known.delete(topic);
        throw unavailable(`create topic ${topic}`, error);
      });
      known.set(topic, creating);
    }
    return creating;
  };

  return {
    ensure: async (topics) => {
      await Promise.all(topics.map(ensureOne));
    },
    ping: async () => {
      try {
        await (await connectedAdmin()).describeCluster();
      } catch (error) {
        throw unavailable("describe the cluster", error);
      }
    },
    close: async () => {
      closed = true;
      const client = await admin?.catch(ignore);
      admin = undefined;
      await client?.disconnect();
    },
  };
};
