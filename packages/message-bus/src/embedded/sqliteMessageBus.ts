import { commitWatcher } from "@clientapps/sqlite";
import type Database from "better-sqlite3";
import { MessageBusUnavailableError } from "../errors.js";
import type { MessageBus } from "../messageBus.js";
import { createConsumerGroup, type ConsumerGroup, type GroupMember } from "./consumerGroup.js";
import { startPartitionConsumer, type PartitionConsumer, type PartitionConsumerOptions } from "./partitionConsumer.js";
import { createSqliteMessageLog } from "./sqliteMessageLog.js";

export type EmbeddedMessageBusOptions = Readonly<{
  /** Partitions of a topic this bus creates; a topic keeps the count it was created with. */
  partitions?: number;
  /** How often the bus looks whether another process committed to the file, for its caught-up consumers. */
  pollIntervalMs?: number;
}>;

type Member = GroupMember & Pick<PartitionConsumerOptions, "handler" | "exclusive">;

const defaultPartitions = 4;
const defaultPollIntervalMs = 20;

const requirePositive = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer.`);
  return value;
};

const requireName = (name: string, value: string): void => {
  if (typeof value !== "string" || value === "") throw new RangeError(`A ${name} must be a non-empty string.`);
};

/** Runs one piece of work at a time, in the order asked. */
const oneAtATime = () => {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
};

/**
 * The embedded mode's bus: a durable log in the SQLite file, delivered in this process.
 * In a file of its own (synchronous FULL) a publish commits before it resolves, so a restart
 * loses nothing published. Beside the read models in a derived file, a publish joins the
 * turn's transaction (see turnTransactions in @clientapps/sqlite): a crash takes it back with
 * the relay's checkpoint that recorded it, and the relay publishes it again. Processes
 * sharing the file see each other's messages through the bus's one look per poll interval at
 * the file's data version (see commitWatcher). Consumer groups share their partitions among
 * their members in this bus instance only: a group consumed from two
 * processes (or two bus instances) gets every message in each of them, at least once still.
 * The caller owns the handle: `close()` stops every consumer and refuses further calls, but
 * leaves the handle open.
 */
export const createEmbeddedMessageBus = (db: Database.Database, options: EmbeddedMessageBusOptions = {}): MessageBus => {
  const partitions = requirePositive("partitions", options.partitions ?? defaultPartitions);
  const pollIntervalMs = requirePositive("pollIntervalMs", options.pollIntervalMs ?? defaultPollIntervalMs);
  const log = createSqliteMessageLog(db, partitions);
  /** One look per poll interval at whether another process published (or committed offsets), for every consumer. */
  const othersCommits = commitWatcher(db, pollIntervalMs);

  const groups = new Map<string, ConsumerGroup<Member>>();
  /** Woken after each publish of this bus, so that in-process delivery does not wait for a poll. */
  const running = new Set<PartitionConsumer>();
  const stops = new Set<() => Promise<void>>();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new MessageBusUnavailableError("The message bus is closed.");
  };

  const groupOf = (groupId: string): ConsumerGroup<Member> => {
    // A group outlives its members, so that a member joining later still waits for a
    // partition's previous consumer to finish.
    const group =
      groups.get(groupId) ??
      createConsumerGroup<Member>((member, topic, partition, after) => {
        const { handler, exclusive } = member;
        const consumer = startPartitionConsumer({ log, groupId, topic, partition, after, handler, exclusive });
        running.add(consumer);
        member.consumers.add(consumer);
        const unlisten = othersCommits.listen(consumer.wake);
        void consumer.done.then(() => {
          unlisten();
          running.delete(consumer);
          member.consumers.delete(consumer);
        });
        return consumer;
      });
    groups.set(groupId, group);
    return group;
  };

  return {
    publish: async (topic, messages) => {
      assertOpen();
      requireName("topic", topic);
      if (messages.length === 0) return;
      const encoded = messages.map(({ key, value, headers }) => ({
        key,
        value: JSON.stringify(value),
        headers: JSON.stringify(headers ?? {}),
      }));
      log.append(topic, encoded);
      for (const consumer of running) if (consumer.topic === topic) consumer.wake();
    },

    consume: async ({ groupId, topics }, handler) => {
      assertOpen();
      requireName("group id", groupId);
      if (topics.length === 0) throw new RangeError("A consumer needs at least one topic.");
      for (const topic of topics) requireName("topic", topic);
      // Consuming is a first use too: it creates the topics, so the partition count is known.
      const member: Member = {
        partitions: new Map(topics.map((topic) => [topic, log.partitionsOf(topic)])),
        consumers: new Set<PartitionConsumer>(),
        handler,
        exclusive: oneAtATime(),
      };
      const group = groupOf(groupId);
      group.join(member);

      let stopped: Promise<void> | undefined;
      const stop = (): Promise<void> =>
        (stopped ??= (async () => {
          stops.delete(stop);
          group.leave(member);
          await Promise.all([...member.consumers].map((consumer) => consumer.done));
        })());
      stops.add(stop);
      return { stop };
    },

    ping: async () => {
      assertOpen();
      log.ping();
    },

    close: async () => {
      closed = true;
      await Promise.all([...stops].map((stop) => stop()));
      log.flush();
    },
  };
};
