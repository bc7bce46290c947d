import { EventStoreUnavailableError } from "../errors.js";

const driverCode = (error: unknown): string | undefined =>
  error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;

/**
 * Wraps whatever the driver threw (SQLITE_BUSY, I/O errors, a closed handle, a broken
 * schema) so that callers only ever see the port's errors; the driver error stays as the cause.
 */
export const unavailable = (error: unknown, doing: string): EventStoreUnavailableError =>
  new EventStoreUnavailableError(`The SQLite event store failed ${doing} (${driverCode(error) ?? "no SQLite code"}).`, {
    cause: error,
  });

/** The columns of the UNIQUE constraint the error reports as violated, as `table.column` names. */
export const violatedUniqueColumns = (error: unknown): readonly string[] => {
  if (!(error instanceof Error) || driverCode(error) !== "SQLITE_CONSTRAINT_UNIQUE") return [];
  const columns = /UNIQUE constraint failed: (.+)$/.exec(error.message)?.[1];
  return columns === undefined ? [] : columns.split(",").map((column) => column.trim());
};
