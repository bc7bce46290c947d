import type { DeliveredMessage, MessageHandler } from "../messageBus.js";
import type { SqliteMessageLog } from "./sqliteMessageLog.js";

/** One member's hold on one partition, from assignment until it is revoked or the member stops. */
export type PartitionConsumer = Readonly<{
  topic: string;
  /** Ends a wait for new messages at once: this process has just published to the topic, or another process has committed to the file. */
  wake: () => void;
  /** Asks it to stop after the message in hand; `done` settles once it has (and never rejects). */
  stop: () => void;
  done: Promise<void>;
}>;

export type PartitionConsumerOptions = Readonly<{
  log: SqliteMessageLog;
  groupId: string;
  topic: string;
  partition: number;
  /** Settles once the partition's previous owner has stopped: only then is its committed offset final. */
  after: Promise<void>;
  handler: MessageHandler;
  /** The member's turn to call its handler: one message at a time per member, as kafkajs's eachMessage does. */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>;
}>;

const readBatchSize = 100;
/**
 * How long a consumer delivers messages one after the other before it gives the event loop a
 * turn: its handlers may complete without waiting for anything (the embedded read models are
 * synchronous underneath), and a partition catching up must not starve the requests.
 */
const sliceMs = 5;
const firstBackoffMs = 100;
const maxBackoffMs = 5_000;

/**
 * Delivers one partition's messages in offset order from the group's committed offset,
 * committing each after its handler resolves. A failure leaves the message first in line, so
 * the partition waits (backing off) and redelivers it rather than skip it. Once caught up it
 * waits to be woken: by a publish of this process, or by the bus's poll of the file when
 * another process has committed to it (other processes sharing the file announce nothing).
 */
export const startPartitionConsumer = (options: PartitionConsumerOptions): PartitionConsumer => {
  const { log, groupId, topic, partition } = options;
  let stopping = false;
  let idle = false;
  let endPause: (() => void) | undefined;

  /** Waits `ms` (without it, until woken), or less once stopped (or, while idle, woken); no timer outlives it. */
  const pause = (ms?: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => endPause?.(), ms);
      endPause = () => {
        clearTimeout(timer);
        endPause = undefined;
        resolve();
      };
    });

  /** Whether the message was handled and committed; false if it was never put in hand. */
  const handle = (message: DeliveredMessage): Promise<boolean> =>
    options.exclusive(async () => {
      // Stopped while waiting for the member's turn: the next owner gets the message instead.
      if (stopping) return false;
      await options.handler(message);
      log.commit(groupId, topic, partition, message.offset + 1);
      return true;
    });

  const run = async (): Promise<void> => {
    await options.after;
    let nextOffset: number | undefined;
    let batch: DeliveredMessage[] = [];
    let backoffMs = firstBackoffMs;
    let sliceStartedAt = performance.now();
    while (!stopping) {
      try {
        nextOffset ??= log.committedOffset(groupId, topic, partition);
        if (batch.length === 0) batch = log.read(topic, partition, nextOffset, readBatchSize);
        const message = batch[0];
        if (message === undefined) {
          // Reading and starting to wait happen in one synchronous step, so no wake-up is missed.
          idle = true;
          await pause();
          idle = false;
          sliceStartedAt = performance.now();
          continue;
        }
        if (performance.now() - sliceStartedAt >= sliceMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStartedAt = performance.now();
          if (stopping) return;
        }
        if (!(await handle(message))) return;
        batch.shift();
        nextOffset = message.offset + 1;
        backoffMs = firstBackoffMs;
      } catch {
        // The handler, a read or a commit failed. There is no logger to tell; the message stays
        // first in line and is retried, as a Kafka consumer that commits by hand would do. It is
        // read again, so that a handler which changed the message it got cannot change the retry.
        if (stopping) return;
        batch = [];
        await pause(backoffMs);
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
      }
    }
  };

  return {
    topic,
    wake: () => {
      if (idle) endPause?.();
    },
    stop: () => {
      stopping = true;
      endPause?.();
    },
    done: run(),
  };
};
