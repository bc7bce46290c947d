import { CodedError } from "@clientapps/primitives";
import type { ExpectedRevision } from "./eventStore.js";

/** Every error the event-store port reports; adapters translate their driver's errors into these. */
export class EventStoreError extends CodedError {}

/** The stream was not at the revision the appender expected; nothing was written. */
export class ConcurrencyError extends EventStoreError {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, or `no_stream`. */
    readonly actual: number | "no_stream",
  ) {
    super("concurrency_conflict", `Stream '${streamName}' is at ${String(actual)}, expected ${String(expected)}.`);
  }
}

/** The store cannot be reached or failed; the operation may be retried later. */
export class EventStoreUnavailableError extends EventStoreError {
  constructor(message: string, options?: ErrorOptions) {
    super("event_store_unavailable", message, options);
  }
}

/**
 * A stream holds an event of a type this build does not know (a newer writer
 * appended it). Its state cannot be folded faithfully, so nothing may be decided on it.
 */
export class UnreadableStreamError extends EventStoreError {
  constructor(
    readonly streamName: string,
    readonly eventType: string,
  ) {
    super("stream_unreadable", `Stream '${streamName}' holds an event of type '${eventType}', which this build does not know.`);
  }
}

/** The events of one append exceed what the store takes at once; the same append can never succeed, so it is not retried. */
export class AppendTooLargeError extends EventStoreError {
  constructor(message: string, options?: ErrorOptions) {
    super("append_too_large", message, options);
  }
}

/** The store refused the request itself (an invalid argument); sent again unchanged it would be refused again. */
export class EventStoreRequestRejectedError extends EventStoreError {
  constructor(message: string, options?: ErrorOptions) {
    super("event_store_request_rejected", message, options);
  }
}
