import { Partitioners, type Kafka, type Message, type Producer, type RetryOptions } from "kafkajs";
import { unavailable } from "./unavailable.js";

type Session = Readonly<{ producer: Producer; connected: Promise<void> }>;

export type KafkaPublisher = Readonly<{
  send: (topic: string, messages: Message[]) => Promise<void>;
  close: () => Promise<void>;
}>;

const firstReconnectMs = 300;
const maxReconnectMs = 5_000;

const ignore = (): void => undefined;

/**
 * Sends through an idempotent producer, one send at a time, and replaces the producer after a
 * send fails. kafkajs gives a failed send's sequence numbers back to the next send; if the
 * failed one was written after all (sent, answer lost), the broker would take the next one for
 * a repeat of it and drop it while reporting success. Nothing is sent alongside a send that
 * may fail, and after a failure a new producer (a new producer id) sends the rest.
 *
 * A publish that outlives the timeout is reported unavailable, but kafkajs goes on retrying
 * it; the publishes after it wait for it to end, so it can land late only as a repeat, never
 * after a message of its key published later.
 */
export const createKafkaPublisher = (kafka: Kafka, retry: RetryOptions, timeoutMs: number): KafkaPublisher => {
  let session: Session | undefined;
  /** The send whose turn it is, or the last one; each send starts after it. */
  let tail: Promise<void> = Promise.resolve();

  const open = (): Session => {
    const producer = kafka.producer({
      // The broker drops a repeat of a batch kafkajs retries; one request in flight keeps order.
      idempotent: true,
      maxInFlightRequests: 1,
      // murmur2 of the key, as Java clients do, so every process puts a key on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      retry,
    });
    const connected = producer.connect();
    connected.catch(ignore);
    return { producer, connected };
  };

  const retire = (old: Session): void => {
    if (session === old) session = undefined;
    void old.producer.disconnect().catch(ignore);
  };

  /** The current producer, connected; a failed connection is tried again until the caller gives up. */
  const connected = async (givenUp: () => boolean, failed: (error: unknown) => void): Promise<Session> => {
    for (let delayMs = firstReconnectMs; ; delayMs = Math.min(delayMs * 2, maxReconnectMs)) {
      // The caller has been told this publish failed: it must not be sent now.
      if (givenUp()) throw new Error(`not sent within ${timeoutMs} ms`);
      const current = (session ??= open());
      try {
        await current.connected;
        if (!givenUp()) return current;
      } catch (error) {
        failed(error);
        retire(current);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  };

  return {
    send: async (topic, messages) => {
      let givenUp = false;
      let lastFailure: unknown;
      const turn = tail.then(async () => {
        const current = await connected(
          () => givenUp,
          (error) => (lastFailure = error),
        );
        try {
          await current.producer.send({ topic, messages });
        } catch (error) {
          retire(current);
          throw error;
        }
      });
      tail = turn.then(ignore, ignore);

      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          givenUp = true;
          reject(new Error(`not sent within ${timeoutMs} ms`, { cause: lastFailure }));
        }, timeoutMs);
      });
      try {
        await Promise.race([turn, timeout]);
      } catch (error) {
        throw unavailable(`publish to topic ${topic}`, error);
      } finally {
        clearTimeout(timer);
      }
    },

    close: async () => {
      await tail;
      const last = session;
      session = undefined;
      await last?.producer.disconnect();
    },
  };
};
