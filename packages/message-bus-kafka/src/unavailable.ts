import { MessageBusUnavailableError } from "@clientapps/message-bus";

/**
 * The port's error for a failed Kafka operation. The kafkajs error stays reachable as the
 * cause, for logs, but no kafkajs type appears in the port.
 */
export const unavailable = (what: string, error: unknown): MessageBusUnavailableError => {
  if (error instanceof MessageBusUnavailableError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new MessageBusUnavailableError(`Kafka could not ${what}: ${reason}`, { cause: error });
};

/** The error kafkajs wrapped, through its retry and non-retriable wrappers, down to the first. */
export const rootCause = (error: unknown): unknown => {
  let cause = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause;
};
