import type { ExpectedRevision } from "./eventStore.js";

export class EventStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

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
