import {
  AppendTooLargeError,
  ConcurrencyError,
  EventStoreError,
  EventStoreRequestRejectedError,
  EventStoreUnavailableError,
  Position,
  type ExpectedRevision,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from "@clientapps/event-store";
import {
  ANY,
  ErrorType,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AppendStreamState,
  type CommandError,
  type CurrentStreamState,
  type EventData,
  type Filter,
  type Position as DriverPosition,
  type ReadPosition,
  type RecordedEvent as DriverRecordedEvent,
} from "@kurrent/kurrentdb-client";

// The pure translations between the port and the KurrentDB client, kept apart from the
// I/O so that each is unit-tested without a server.

const maxRevision = BigInt(Number.MAX_SAFE_INTEGER);
// KurrentDB reads event ids back as lowercase UUIDs; any other form would not round-trip.
const eventIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const requireCount = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer.`);
  return value;
};

/** A port revision (a number, the first event's being 0) as the client's bigint. */
export const toDriverRevision = (revision: number, name = "revision"): bigint => BigInt(requireCount(name, revision));

/** A revision the client read as the port's number; one beyond 2^53 - 1 would be rounded, so it is refused. */
export const toRevision = (revision: bigint): number => {
  if (revision < 0n || revision > maxRevision) {
    throw new RangeError(`Revision ${revision} cannot be represented exactly as a number.`);
  }
  return Number(revision);
};

export const toStreamState = (expected: ExpectedRevision): AppendStreamState => {
  switch (expected) {
    case "any":
      return ANY;
    case "no_stream":
      return NO_STREAM;
    case "stream_exists":
      return STREAM_EXISTS;
    default:
      return toDriverRevision(expected, "expectedRevision");
  }
};

/** The actual state a wrong-expected-version error reports; the server marks a missing (or deleted) stream as negative. */
export const toActualRevision = (state: CurrentStreamState): number | "no_stream" =>
  state === NO_STREAM || state < 0n ? "no_stream" : toRevision(state);

export const toPosition = ({ commit, prepare }: DriverPosition): Position => Position.of(commit, prepare);

export const toDriverPosition = (position: Position): DriverPosition => ({
  commit: Position.commit(position),
  prepare: Position.prepare(position),
});

/**
 * Where a read of $all that must return the events strictly after `after` starts. The
 * client's reads include the event at the position they start from, so callers also
 * drop that event with {@link isSelected}.
 */
export const readStart = (after: Position | undefined): ReadPosition => (after === undefined ? START : toDriverPosition(after));

const hasPrefix = (streamPrefix: string | undefined): streamPrefix is string => streamPrefix !== undefined && streamPrefix !== "";

/**
 * The server-side filter of a read of or subscription to $all: the stream-name prefix, or,
 * without one, the events whose type is not a system type. The server takes one filter
 * only, so with a prefix the system events are dropped by {@link isSelected}.
 */
export const allEventsFilter = (streamPrefix: string | undefined): Filter =>
  hasPrefix(streamPrefix) ? streamNameFilter({ prefixes: [streamPrefix] }) : excludeSystemEvents();

export const isSystemEventType = (type: string): boolean => type.startsWith("$");

/** Streams named `$…` are the server's own (stats, scavenges, metadata), whatever the type of their events. */
export const isSystemStream = (streamId: string): boolean => streamId.startsWith("$");

export type Selection = Readonly<{ after?: Position | undefined; streamPrefix?: string | undefined }>;

/**
 * Whether an event read from $all belongs in the result: strictly after `after`, in a
 * stream of the prefix and not a system event. The prefix is checked again although the
 * server filtered on it, as the port's promise must not depend on the server's matching.
 * Without a prefix the server filters on the event type only, so events of system streams
 * whose type has no `$` are dropped here.
 */
export const isSelected = (
  event: Readonly<{ type: string; streamId: string; position?: DriverPosition | undefined }>,
  { after, streamPrefix }: Selection,
): boolean =>
  !isSystemEventType(event.type) &&
  (hasPrefix(streamPrefix) ? event.streamId.startsWith(streamPrefix) : !isSystemStream(event.streamId)) &&
  (after === undefined || event.position === undefined || Position.compare(toPosition(event.position), after) > 0);

export const toEventData = (event: NewEvent): EventData => {
  if (!eventIdPattern.test(event.eventId)) {
    throw new RangeError(`eventId must be a lowercase UUID for KurrentDB, got '${event.eventId}'.`);
  }
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: event.metadata });
};

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);

const unreadable = (event: DriverRecordedEvent, why: string): EventStoreError =>
  new EventStoreError("unreadable_event", `Event ${event.id} of '${event.streamId}' ${why}.`);

/** An event as the client read it, as the port's event; only JSON-object data and metadata can be. */
export const toRecordedEvent = (event: DriverRecordedEvent): RecordedEvent => {
  if (event.position === undefined) {
    throw unreadable(event, "has no position; positions need EventStoreDB 22.10+ or KurrentDB");
  }
  if (!event.isJson || !isJsonObject(event.data)) throw unreadable(event, "has data that is not a JSON object");
  const metadata = event.metadata ?? {};
  if (!isJsonObject(metadata)) throw unreadable(event, "has metadata that is not a JSON object");
  return {
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata,
    streamName: event.streamId,
    revision: toRevision(event.revision),
    position: toPosition(event.position),
    recordedAt: toWholeSeconds(event.created),
  };
};

/**
 * The client gives `created` to the millisecond on subscriptions but only to the
 * second on reads (its native bridge drops the rest), so every path gives seconds:
 * the same event must read the same wherever it is read from.
 */
const toWholeSeconds = (created: Date): string => new Date(Math.floor(created.getTime() / 1000) * 1000).toISOString();

const commandErrorTypes: ReadonlySet<unknown> = new Set(Object.values(ErrorType));

/**
 * The client's errors name their kind in `type`; matching on it rather than on classes
 * keeps working should two copies of the client end up in node_modules.
 */
const asCommandError = (error: unknown): CommandError | undefined =>
  error instanceof Error && "type" in error && commandErrorTypes.has(error.type) ? (error as CommandError) : undefined;

export const isStreamNotFound = (error: unknown): boolean => asCommandError(error)?.type === ErrorType.STREAM_NOT_FOUND;

const grpcInvalidArgument = 3;
const grpcResourceExhausted = 8;
/** How the native bridge (reads) names these statuses in an "Unmapped gRPC error" message: tonic's descriptions. */
const bridgeStatusDescriptions: ReadonlyMap<string, number> = new Map([
  ["Client specified an invalid argument", grpcInvalidArgument],
  ["Some resource has been exhausted", grpcResourceExhausted],
]);

const numericCode = (value: unknown): number | undefined =>
  typeof value === "object" && value !== null && "code" in value && typeof value.code === "number" ? value.code : undefined;

/**
 * The gRPC status of an error the client did not recognise: on the error itself (not
 * converted), on the raw error it wraps as "unknown", or only in the bridge's message.
 */
const unrecognisedStatus = (error: unknown): number | undefined => {
  const raw: unknown = error instanceof Error && "_raw" in error ? error._raw : undefined;
  const code = numericCode(error) ?? numericCode(raw);
  if (code !== undefined) return code;
  const message = error instanceof Error ? error.message : "";
  const description = /Unmapped gRPC error: code: ([^,]+),/.exec(message)?.[1];
  return description === undefined ? undefined : bridgeStatusDescriptions.get(description);
};

// KurrentDB words it "Maximum Append Size of … Exceeded"; grpc-js "larger than max" for a message beyond its limit.
const tooLargePattern = /maximum append size|larger than max/i;

/** What the client said went wrong, for the message; gRPC errors the client did not convert carry a numeric status. */
const driverReason = (error: unknown): string => {
  const commandError = asCommandError(error);
  if (commandError !== undefined) return commandError.type;
  if (error instanceof Error && "code" in error && typeof error.code === "number") return `gRPC status ${error.code}`;
  return error instanceof Error ? error.name : "not an Error";
};

/** What an append was attempting, so that a wrong-expected-version error can tell the port's expectation. */
export type AppendAttempt = Readonly<{ streamName: string; expected: ExpectedRevision }>;

/**
 * Whatever the client threw, as the port's error, so that no driver error reaches callers
 * (the driver's error stays as the cause). A wrong expected version is a conflict; what
 * retrying cannot fix (access denied, a deleted stream, an append too large, an invalid
 * request, also when the client left it "unknown") keeps its own code; everything else (unavailable, deadline exceeded,
 * not leader, connection and unknown errors) is the store being unavailable.
 */
export const translateError = (error: unknown, doing: string, append?: AppendAttempt): Error => {
  if (error instanceof EventStoreError) return error;
  const commandError = asCommandError(error);
  const options = { cause: error };
  switch (commandError?.type) {
    case ErrorType.WRONG_EXPECTED_VERSION:
      if (append === undefined) break;
      return new ConcurrencyError(append.streamName, append.expected, toActualRevision(commandError.actualState));
    case ErrorType.ACCESS_DENIED:
      return new EventStoreError("event_store_access_denied", `KurrentDB denied access ${doing}.`, options);
    case ErrorType.STREAM_DELETED:
    case ErrorType.STREAM_TOMBSTONED:
      return new EventStoreError("stream_deleted", `KurrentDB refused ${doing}: the stream is deleted.`, options);
    case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
    case ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED:
    case ErrorType.APPEND_RECORD_SIZE_EXCEEDED:
      return new AppendTooLargeError(`KurrentDB refused ${doing}: the events are too large.`, options);
    case ErrorType.INVALID_ARGUMENT:
      return new EventStoreRequestRejectedError(`KurrentDB refused ${doing} as invalid (${commandError.message}).`, options);
    default:
      break;
  }
  // Statuses the client leaves "unknown", though retrying cannot change the answer.
  const status = commandError === undefined || commandError.type === ErrorType.UNKNOWN ? unrecognisedStatus(error) : undefined;
  const message = error instanceof Error ? error.message : "";
  const tooLarge = status === grpcResourceExhausted || (status === grpcInvalidArgument && tooLargePattern.test(message));
  if (append !== undefined && tooLarge) {
    return new AppendTooLargeError(`KurrentDB refused ${doing}: the events are too large (${message}).`, options);
  }
  if (status === grpcInvalidArgument) {
    return new EventStoreRequestRejectedError(`KurrentDB refused ${doing} as invalid (${message}).`, options);
  }
  return new EventStoreUnavailableError(`The KurrentDB event store failed ${doing} (${driverReason(error)}).`, options);
};
