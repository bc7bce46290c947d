import { randomUUID } from "node:crypto";
import {
  AppendTooLargeError,
  ConcurrencyError,
  EventStoreError,
  EventStoreRequestRejectedError,
  EventStoreUnavailableError,
  Position,
} from "@clientapps/event-store";
import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  InvalidArgumentError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type RecordedEvent as DriverRecordedEvent,
} from "@kurrent/kurrentdb-client";
import { describe, expect, it } from "vitest";
import {
  allEventsFilter,
  isSelected,
  isStreamNotFound,
  readStart,
  toActualRevision,
  toDriverPosition,
  toDriverRevision,
  toEventData,
  toPosition,
  toRecordedEvent,
  toRevision,
  toStreamState,
  translateError,
} from "./mapping.js";

/** The gRPC error the client's error classes are built from (grpc-js's ServiceError, which the client does not export). */
type ServiceError = ConstructorParameters<typeof NotLeaderError>[0];

const beyondSafe = 2n ** 53n;
const maxUnsigned = 2n ** 64n - 1n;

describe("revisions", () => {
  it("round-trips every revision a number holds exactly, the first event's being 0", () => {
    for (const revision of [0, 1, 41, Number.MAX_SAFE_INTEGER]) {
      expect(toRevision(toDriverRevision(revision))).toBe(revision);
    }
    expect(toDriverRevision(0)).toBe(0n);
    expect(toDriverRevision(Number.MAX_SAFE_INTEGER)).toBe(beyondSafe - 1n);
  });

  it("refuses a driver revision beyond 2^53 - 1 rather than rounding it", () => {
    expect(() => toRevision(beyondSafe)).toThrow(RangeError);
    expect(() => toRevision(maxUnsigned)).toThrow(RangeError);
    expect(() => toRevision(-1n)).toThrow(RangeError);
  });

  it("refuses a port revision that is not a non-negative integer", () => {
    for (const revision of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => toDriverRevision(revision)).toThrow(RangeError);
    }
  });
});

describe("expected revisions", () => {
  it("maps each expectation to the client's stream state", () => {
    expect(toStreamState("any")).toBe("any");
    expect(toStreamState("no_stream")).toBe("no_stream");
    expect(toStreamState("stream_exists")).toBe("stream_exists");
    expect(toStreamState(0)).toBe(0n);
    expect(toStreamState(7)).toBe(7n);
    expect(toStreamState(Number.MAX_SAFE_INTEGER)).toBe(beyondSafe - 1n);
  });

  it("refuses an expected revision that is not a non-negative integer", () => {
    for (const expected of [-1, 2.5]) expect(() => toStreamState(expected)).toThrow(RangeError);
  });

  it("reads the actual state of a conflict, negative states being no stream", () => {
    expect(toActualRevision("no_stream")).toBe("no_stream");
    expect(toActualRevision(0n)).toBe(0);
    expect(toActualRevision(12n)).toBe(12);
    expect(toActualRevision(-1n)).toBe("no_stream");
    expect(toActualRevision(-5n)).toBe("no_stream");
  });
});

describe("positions", () => {
  it("round-trips commit and prepare positions, beyond 2^53 up to 2^64 - 1", () => {
    for (const position of [
      { commit: 0n, prepare: 0n },
      { commit: 1_234n, prepare: 1_100n },
      { commit: beyondSafe + 1n, prepare: beyondSafe },
      { commit: maxUnsigned, prepare: maxUnsigned },
    ]) {
      expect(toDriverPosition(toPosition(position))).toEqual(position);
    }
  });

  it("orders positions by commit, then prepare, when compared as strings", () => {
    const positions = [
      { commit: 5n, prepare: 5n },
      { commit: beyondSafe + 1n, prepare: 3n },
      { commit: beyondSafe + 1n, prepare: beyondSafe },
      { commit: beyondSafe + 2n, prepare: 0n },
    ].map(toPosition);
    expect([...positions].reverse().sort()).toEqual(positions);
    expect(Position.compare(positions[1] as Position, positions[2] as Position)).toBe(-1);
  });

  it("starts a read at the start, or at the position to read after", () => {
    const after = toPosition({ commit: beyondSafe + 9n, prepare: 7n });
    expect(readStart(undefined)).toBe(START);
    expect(readStart(after)).toEqual({ commit: beyondSafe + 9n, prepare: 7n });
  });
});

describe("filters", () => {
  it("filters on the stream-name prefix on the server", () => {
    const filter = allEventsFilter("order-a_b%");
    expect(filter).toMatchObject({ filterOn: "streamName", prefixes: ["order-a_b%"] });
    expect(filter).not.toHaveProperty("regex");
  });

  it("leaves out system event types on the server when there is no prefix", () => {
    for (const prefix of [undefined, ""]) {
      const filter = allEventsFilter(prefix);
      expect(filter).toMatchObject({ filterOn: "eventType", regex: "^[^$].*" });
      expect(filter).not.toHaveProperty("prefixes");
    }
  });
});

describe("selecting events read from $all", () => {
  const at = (commit: bigint, prepare = commit) => ({ commit, prepare });
  const event = (position = at(100n), type = "Ordered", streamId = "order-1") => ({ type, streamId, position });

  it("leaves out the event at exactly the position read after, the client's read being inclusive", () => {
    const after = toPosition(at(100n));
    expect(isSelected(event(at(100n)), { after })).toBe(false);
    expect(isSelected(event(at(99n)), { after })).toBe(false);
    expect(isSelected(event(at(100n, 101n)), { after })).toBe(true);
    expect(isSelected(event(at(101n, 50n)), { after })).toBe(true);
    expect(isSelected(event(at(beyondSafe + 1n)), { after: toPosition(at(beyondSafe)) })).toBe(true);
  });

  it("leaves out events of system streams without a prefix, whatever their type", () => {
    expect(isSelected(event(at(1n), "Ordered", "$scavenges"), {})).toBe(false);
    expect(isSelected(event(at(1n), "Ordered", "$$order-1"), {})).toBe(false);
    expect(isSelected(event(at(1n), "Ordered", "order-$1"), {})).toBe(true);
  });

  it("takes every event when there is no position to read after", () => {
    expect(isSelected(event(at(0n)), {})).toBe(true);
  });

  it("leaves out system events and streams without the prefix, taking the prefix literally", () => {
    expect(isSelected(event(at(1n), "$metadata"), {})).toBe(false);
    expect(isSelected(event(at(1n), "$>", "order-1"), { streamPrefix: "order-" })).toBe(false);
    expect(isSelected(event(at(1n), "Ordered", "orders-1"), { streamPrefix: "order-" })).toBe(false);
    expect(isSelected(event(at(1n), "Ordered", "a_bx"), { streamPrefix: "a_b%" })).toBe(false);
    expect(isSelected(event(at(1n), "Ordered", "a_b%-1"), { streamPrefix: "a_b%" })).toBe(true);
    expect(isSelected(event(at(1n), "Ordered", "日本語"), { streamPrefix: "日本" })).toBe(true);
  });
});

describe("events", () => {
  it("appends a JSON event under the port's event id", () => {
    const eventId = randomUUID();
    const data = { name: "n", nested: { list: [1, null] } };
    expect(toEventData({ eventId, type: "Ordered", data, metadata: { actor: "a" } })).toEqual({
      id: eventId,
      contentType: "application/json",
      type: "Ordered",
      data,
      metadata: { actor: "a" },
    });
  });

  it("refuses an event id the server would not keep as given", () => {
    for (const eventId of ["order-1", randomUUID().toUpperCase(), ""]) {
      expect(() => toEventData({ eventId, type: "Ordered", data: {}, metadata: {} })).toThrow(RangeError);
    }
  });

  const recorded = (overrides: Partial<DriverRecordedEvent> = {}): DriverRecordedEvent =>
    ({
      streamId: "order-1",
      id: "0b7f5a0e-2d7a-4a53-9a3c-1d1f5a0e2d7a",
      isJson: true,
      revision: 3n,
      type: "Ordered",
      created: new Date("2025-01-02T03:04:05.678Z"),
      data: { total: 5 },
      metadata: { actor: "a" },
      position: { commit: beyondSafe + 2n, prepare: beyondSafe + 1n },
      ...overrides,
    }) as DriverRecordedEvent;

  it("reads a recorded event as the port's event", () => {
    expect(toRecordedEvent(recorded())).toEqual({
      eventId: "0b7f5a0e-2d7a-4a53-9a3c-1d1f5a0e2d7a",
      type: "Ordered",
      data: { total: 5 },
      metadata: { actor: "a" },
      streamName: "order-1",
      revision: 3,
      position: Position.of(beyondSafe + 2n, beyondSafe + 1n),
      recordedAt: "2025-01-02T03:04:05.000Z",
    });
  });

  it("gives recordedAt to the second on every path, so a read and a subscription of one event agree", () => {
    // A subscription's event carries milliseconds (from the created ticks); a read through the native bridge does not.
    const subscribed = toRecordedEvent(recorded({ created: new Date("2025-01-02T03:04:05.678Z") }));
    const read = toRecordedEvent(recorded({ created: new Date("2025-01-02T03:04:05.000Z") }));

    expect(subscribed.recordedAt).toBe(read.recordedAt);
  });

  it("reads absent metadata as empty", () => {
    expect(toRecordedEvent(recorded({ metadata: undefined })).metadata).toEqual({});
  });

  it("refuses an event it cannot represent, naming it", () => {
    for (const overrides of [
      { isJson: false, data: new Uint8Array([1]) },
      { data: "not json" },
      { data: [1, 2] },
      { metadata: new Uint8Array([1]) },
      { position: undefined },
    ] as Partial<DriverRecordedEvent>[]) {
      const error = (() => {
        try {
          return toRecordedEvent(recorded(overrides));
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(EventStoreError);
      expect(error).toMatchObject({ code: "unreadable_event", message: expect.stringContaining("order-1") });
    }
  });
});

describe("translating the client's errors", () => {
  const append = { streamName: "order-1", expected: 0 } as const;
  // The shape grpc-js gives a failed call, as the client throws it when it does not convert it.
  const grpcError = (code: number, details: string) =>
    Object.assign(new Error(`${code} ${details}`), { code, details, metadata: undefined }) as unknown as ServiceError;
  const leaderMetadata = { metadata: { "leader-endpoint-host": "node-2", "leader-endpoint-port": "2113" } };

  it("turns a wrong expected version into the port's conflict, with the caller's expectation and the actual revision", () => {
    const error = translateError(
      new WrongExpectedVersionError(undefined, { streamName: "order-1", expected: 0n, current: 1n }),
      "to append",
      append,
    );
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ code: "concurrency_conflict", streamName: "order-1", expected: 0, actual: 1 });

    const missing = new WrongExpectedVersionError(undefined, {
      streamName: "order-1",
      expected: "stream_exists",
      current: "no_stream",
    });
    expect(translateError(missing, "to append", { streamName: "order-1", expected: "stream_exists" })).toMatchObject({
      expected: "stream_exists",
      actual: "no_stream",
    });
  });

  it("recognises the client's errors by their kind, not their class", () => {
    const lookalike = Object.assign(new Error("conflict"), { type: "wrong-expected-version", actualState: 4n });
    expect(translateError(lookalike, "to append", append)).toMatchObject({ actual: 4 });
  });

  it.each([
    ["unavailable", new UnavailableError()],
    ["deadline exceeded", new DeadlineExceededError()],
    ["timeout", new TimeoutError()],
    ["cancelled by the server", new CancelledError()],
    ["not leader", new NotLeaderError(leaderMetadata as unknown as ServiceError)],
    ["unknown", new UnknownError()],
    [
      "a wrong expected version outside an append",
      new WrongExpectedVersionError(undefined, { streamName: "s", expected: 0n, current: 1n }),
    ],
    ["a gRPC error the client did not convert", grpcError(14, "No connection established")],
    ["a connection error", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:2113"), { code: "ECONNREFUSED" })],
    ["a thrown string", "Impossible situation where id is undefined in a recorded event"],
  ])("reports %s as the store being unavailable, keeping the driver's error as the cause", (_, driverError) => {
    const error = translateError(driverError, "to read all events");
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(error).toMatchObject({ code: "event_store_unavailable", cause: driverError });
    expect(error.message).toMatch(/^The KurrentDB event store failed to read all events \(.+\)\.$/);
  });

  it("names the kind of driver error in the message", () => {
    expect(translateError(new DeadlineExceededError(), "to read").message).toContain("(deadline-exceeded)");
    expect(translateError(grpcError(14, "No connection established"), "to read").message).toContain("(gRPC status 14)");
  });

  it.each([
    ["access denied", new AccessDeniedError(), "event_store_access_denied"],
    ["a deleted stream", StreamDeletedError.fromStreamName("order-1"), "stream_deleted"],
  ])("gives %s, which retrying cannot fix, its own code", (_, driverError, code) => {
    const error = translateError(driverError, "to append to 'order-1'", append);
    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).not.toBeInstanceOf(EventStoreUnavailableError);
    expect(error).toMatchObject({ code, cause: driverError });
  });

  // The shapes below are what client 1.3.1 throws when a gRPC server answers with these
  // statuses (observed against a stand-in gRPC server): the client does not recognise them
  // and wraps them as "unknown", keeping the status on the raw error or in the bridge's message.
  const unknownFromGrpc = (code: number, details: string) => new UnknownError(grpcError(code, details));
  const unknownFromBridge = (description: string) =>
    new UnknownError(
      Object.assign(new Error(`Unmapped gRPC error: code: ${description}, message: bad.`), {
        name: "UnknownError",
        metadata: { detail: `Unmapped gRPC error: code: ${description}, message: bad.` },
      }) as unknown as ServiceError,
    );

  it.each([
    ["the client's typed error", MaxAppendSizeExceededError.fromMaxAppendSize(1024)],
    ["an invalid argument naming the maximum append size", unknownFromGrpc(3, "Maximum Append Size of 1024 Exceeded.")],
    ["a resource exhausted on append (message larger than the server takes)", unknownFromGrpc(8, "Received message larger than max")],
  ])("reports an append too large given as %s as AppendTooLargeError, which is not retried", (_, driverError) => {
    const error = translateError(driverError, "to append to 'order-1'", append);
    expect(error).toBeInstanceOf(AppendTooLargeError);
    expect(error).not.toBeInstanceOf(EventStoreUnavailableError);
    expect(error).toMatchObject({ code: "append_too_large", cause: driverError });
  });

  it.each([
    ["the client's own invalid-argument error", new InvalidArgumentError("fromRevision value must be a non-negative integer")],
    ["an invalid argument from the server", unknownFromGrpc(3, "bad request")],
    ["an invalid argument read through the native bridge", unknownFromBridge("Client specified an invalid argument")],
    ["an invalid argument the client did not convert", grpcError(3, "bad request")],
  ])("reports %s as a rejected request, not as the store being unavailable", (_, driverError) => {
    const error = translateError(driverError, "to read 'order-1'");
    expect(error).toBeInstanceOf(EventStoreRequestRejectedError);
    expect(error).not.toBeInstanceOf(EventStoreUnavailableError);
    expect(error).toMatchObject({ code: "event_store_request_rejected", cause: driverError });
  });

  it("lets the port's own errors through unchanged", () => {
    const conflict = new ConcurrencyError("order-1", 0, 1);
    expect(translateError(conflict, "to append", append)).toBe(conflict);
  });

  it("tells a missing stream from other errors", () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, "order-1"))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
    expect(isStreamNotFound(new Error("stream-not-found"))).toBe(false);
    expect(isStreamNotFound(undefined)).toBe(false);
  });
});
