import { CodedError } from "@clientapps/primitives";

/** Every error this port reports; adapters translate their driver's errors into these. */
export class ReadModelError extends CodedError {}

/** The store cannot be reached or failed; the operation may be retried later. */
export class ReadModelUnavailableError extends ReadModelError {
  constructor(message: string, options?: ErrorOptions) {
    super("read_model_unavailable", message, options);
  }
}

/** A cursor that this store did not issue, or issued for another query. */
export class InvalidCursorError extends ReadModelError {
  constructor() {
    super("invalid_cursor", "The cursor is not valid for this query.");
  }
}

/** The write would give a unique index a value another document already holds; nothing was written. */
export class DuplicateKeyError extends ReadModelError {
  constructor(readonly collection: string) {
    super("duplicate_key", `Another document in '${collection}' already holds a value that must be unique.`);
  }
}
