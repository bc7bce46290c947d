import { ReadModelError, ReadModelUnavailableError } from "@clientapps/read-models";
import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";

const DUPLICATE_KEY = 11000;
const INTERNAL_ERROR = 1;

/** Which unique index a duplicate key error is on, as far as the server says. */
export type DuplicateKey = "id" | "other" | "unknown";

/**
 * FerretDB v1 with its SQLite backend reports a unique index violated by an update
 * (not by an insert) as an InternalError quoting SQLite, instead of E11000. An
 * update never changes `_id`, so such a violation is always on another index.
 * MongoDB never answers this way; the match only teaches the adapter that server's dialect.
 */
const sqliteUniqueViolation = /\bUNIQUE constraint failed: index '([^']*)'/;

/**
 * Classifies a duplicate key error, or answers undefined for any other error.
 * MongoDB names the key pattern and the index; FerretDB names neither on insert
 * ("E11000 duplicate key error collection: <namespace>"), hence "unknown".
 */
export const duplicateKeyOf = (error: unknown): DuplicateKey | undefined => {
  if (!(error instanceof MongoServerError)) return undefined;
  if (error.code === INTERNAL_ERROR) {
    const index = sqliteUniqueViolation.exec(error.message)?.[1];
    if (index === undefined) return undefined;
    return index.endsWith("_id_") ? "id" : "other";
  }
  if (error.code !== DUPLICATE_KEY) return undefined;
  const keyPattern: unknown = error["keyPattern"];
  if (typeof keyPattern === "object" && keyPattern !== null) {
    return Object.keys(keyPattern).join() === "_id" ? "id" : "other";
  }
  const index = /\bindex: (\S+)/.exec(error.message)?.[1];
  if (index === undefined) return "unknown";
  return index === "_id_" ? "id" : "other";
};

const unreachable = (error: MongoError): boolean =>
  error instanceof MongoNetworkError ||
  error instanceof MongoServerSelectionError ||
  error instanceof MongoOperationTimeoutError ||
  error instanceof MongoTopologyClosedError ||
  error instanceof MongoNotConnectedError;

/**
 * Every driver error becomes a port error at the edge. Duplicate keys are handled
 * by the callers, which know what they mean; anything else means the store cannot
 * serve the request now. The message names the error class and code only: driver
 * messages can quote document values (a duplicate key's value, say), which stay in `cause`.
 */
export const translateMongoError = (error: unknown): ReadModelError => {
  if (error instanceof ReadModelError) return error;
  if (error instanceof MongoError) {
    const code = error.code === undefined ? "" : ` ${String(error.code)}`;
    const what = unreachable(error) ? "cannot be reached" : "failed";
    return new ReadModelUnavailableError(`The MongoDB read-model store ${what} (${error.name}${code}).`, {
      cause: error,
    });
  }
  return new ReadModelUnavailableError("The MongoDB read-model store failed (driver error).", { cause: error });
};
