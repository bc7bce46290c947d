import type { Consumer, MessageHandler } from "@clientapps/message-bus";
import type { EachMessagePayload, Kafka, KafkaMessage, RetryOptions } from "kafkajs";
import { decodeMessage } from "./kafkaMessages.js";
import { rootCause, unavailable } from "./unavailable.js";

export type GroupMemberOptions = Readonly<{
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  handler: MessageHandler;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxWaitTimeMs: number;
  /** How long the member may take to join its group before `consume()` gives up. */
  joinTimeoutMs: number;
  retry: RetryOptions;
}>;

const firstBackoffMs = 100;
const maxBackoffMs = 5_000;
const firstRestartMs = 300;
const maxRestartMs = 10_000;

const ignore = (): void => undefined;
const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One member of a consumer group: a kafkajs consumer that commits each message's offset after
 * its handler resolves. A message whose handler fails is redelivered before anything after it
 * in its partition: the consumer seeks back to it and pauses that partition only, backing off,
 * so the other partitions go on. Resolves once the member has joined the group.
 */
export const startGroupMember = async (options: GroupMemberOptions): Promise<Consumer> => {
  const { kafka, groupId, topics, handler } = options;
  const logger = kafka.logger().namespace("MessageBus");
  let stopping = false;
  /** The handling and commit of the message in hand; stop waits for it. */
  let inHand: Promise<void> = Promise.resolve();
  const backoffs = new Map<string, number>();
  const resumeTimers = new Set<NodeJS.Timeout>();
  let restartTimer: NodeJS.Timeout | undefined;
  let restartDelayMs = firstRestartMs;
  /** The latest run of the consumer, until it has joined its group or crashed. */
  let running: Promise<void> = Promise.resolve();
  let joined = (): void => undefined;
  const firstJoin = new Promise<void>((resolve) => {
    joined = resolve;
  });

  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs,
    maxWaitTimeInMs: options.maxWaitTimeMs,
    allowAutoTopicCreation: false,
    // Every crash is restarted below, not only those kafkajs deems retriable: it deems a group
    // coordinator that is still loading (a fresh or restarted broker) or has moved fatal, and
    // would leave the member dead for good (kafkajs issues 1445, 1536, 1630). Restarting here
    // also lets stop() wait for a restart in progress, which kafkajs's own restart does not.
    retry: { ...options.retry, restartOnFailure: async () => false },
  });

  consumer.on(consumer.events.GROUP_JOIN, () => {
    restartDelayMs = firstRestartMs;
    joined();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (stopping) return;
    const delayMs = restartDelayMs;
    restartDelayMs = Math.min(delayMs * 2, maxRestartMs);
    logger.error(`A consumer of group ${groupId} crashed; it restarts in ${delayMs} ms`, {
      groupId,
      error: reasonOf(payload.error),
    });
    // The crashed run has disconnected; running it again rejoins and resumes from the committed offsets.
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (!stopping) running = run();
    }, delayMs);
  });

  /** Whether the message was handled and its offset committed. */
  const handle = async (topic: string, partition: number, message: KafkaMessage): Promise<boolean> => {
    try {
      await handler(decodeMessage(topic, partition, message));
    } catch (error) {
      logger.warn("A message was not handled; it will be delivered again", {
        groupId,
        topic,
        partition,
        offset: message.offset,
        error: reasonOf(error),
      });
      return false;
    }
    try {
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    } catch (error) {
      // kafkajs rejoins the group on a rebalance error only when it sees it unwrapped; the message
      // is not committed, so it is fetched again, by this member or the partition's next owner.
      throw rootCause(error);
    }
    return true;
  };

  // kafkajs types pause as a method, but it is a closure over this partition: taken out, it still works.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const eachMessage = async ({ topic, partition, message, pause }: EachMessagePayload): Promise<void> => {
    // Fetched before stop was asked: it is left to the partition's next owner.
    if (stopping) return;
    const work = handle(topic, partition, message);
    inHand = work.then(ignore, ignore);
    const key = `${partition}:${topic}`;
    if (await work) {
      backoffs.delete(key);
      return;
    }
    if (stopping) return;
    const delayMs = backoffs.get(key) ?? firstBackoffMs;
    backoffs.set(key, Math.min(delayMs * 2, maxBackoffMs));
    try {
      consumer.seek({ topic, partition, offset: message.offset });
    } catch {
      // The consumer is restarting; it resumes from the committed offset, this message's.
      return;
    }
    const resume = pause();
    const timer = setTimeout(() => {
      resumeTimers.delete(timer);
      resume();
    }, delayMs);
    resumeTimers.add(timer);
  };

  /** Runs the consumer; a crash is reported through the CRASH event, which restarts it. */
  const run = (): Promise<void> =>
    consumer.run({ autoCommit: false, eachMessage }).catch((error: unknown) => {
      logger.error(`A consumer of group ${groupId} could not run`, { groupId, error: reasonOf(error) });
    });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      clearTimeout(restartTimer);
      for (const timer of resumeTimers) clearTimeout(timer);
      resumeTimers.clear();
      try {
        // Nothing more is fetched; what was fetched already is refused in eachMessage.
        consumer.pause(topics.map((topic) => ({ topic })));
      } catch {
        // Not running (crashed, or restarting): there is nothing to pause.
      }
      // kafkajs ignores commits once its own stop has begun, so the message in hand is
      // finished and committed first. A restart under way is let finish joining (or crash),
      // since kafkajs cannot stop a consumer that is still joining.
      await inHand;
      await running;
      await consumer.disconnect().catch((error: unknown) => {
        logger.warn(`A consumer of group ${groupId} did not leave it cleanly`, { groupId, error: reasonOf(error) });
      });
    })());

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  } catch (error) {
    stopping = true;
    await consumer.disconnect().catch(ignore);
    throw unavailable(`start a consumer of group ${groupId}`, error);
  }
  running = run();
  // Joining can crash and be restarted (a new broker creates its offsets topic first), so
  // the first join is awaited, bounded, rather than the first run.
  let timer: NodeJS.Timeout | undefined;
  const joinedInTime = await Promise.race([
    firstJoin.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), options.joinTimeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!joinedInTime) {
    await stop();
    throw unavailable(`join consumer group ${groupId}`, new Error(`not joined within ${options.joinTimeoutMs} ms`));
  }
  return { stop };
};
