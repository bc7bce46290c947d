import type { JsonValue } from "@clientapps/primitives";

export type { JsonValue } from "@clientapps/primitives";

export type OutgoingMessage = Readonly<{
  /** Messages with the same key are delivered in the order they were published. */
  key: string;
  value: { readonly [key: string]: JsonValue };
  headers?: Readonly<Record<string, string>>;
}>;

export type DeliveredMessage = OutgoingMessage &
  Readonly<{
    topic: string;
    partition: number;
    /** Position in the partition; increases from message to message (not always by one: Kafka leaves gaps). */
    offset: number;
    headers: Readonly<Record<string, string>>;
  }>;

export type ConsumerOptions = Readonly<{
  /**
   * Members of one group share the topics' partitions and one committed offset per partition.
   * A group consuming for the first time starts at the beginning of each partition.
   */
  groupId: string;
  topics: readonly string[];
}>;

/**
 * Called once per message, in order per partition. The message's offset is
 * committed after the handler resolves; a handler that throws, or a consumer
 * that stops (or crashes) before that, gets the message again: delivery is at
 * least once, and handlers make a repeat harmless.
 */
export type MessageHandler = (message: DeliveredMessage) => Promise<void>;

export interface Consumer {
  /** Stops after the message in hand, if any; uncommitted messages go to the next member. */
  stop(): Promise<void>;
}

/**
 * The message-bus port. Every adapter honours, and the contract suite checks:
 * per-key order; consumer groups that resume from their committed offsets;
 * redelivery of what was not committed; topics created on first use with the
 * configured partition count.
 */
export interface MessageBus {
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  consume(options: ConsumerOptions, handler: MessageHandler): Promise<Consumer>;
  /** Resolves when the bus answers; throws {@link MessageBusUnavailableError} otherwise. For readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
