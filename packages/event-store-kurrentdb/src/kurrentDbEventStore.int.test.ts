import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:net";
import { EventStoreUnavailableError, type EventStore } from "@clientapps/event-store";
import { describeEventStoreContract } from "@clientapps/event-store/testing";
import { KurrentDBClient } from "@kurrent/kurrentdb-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connectKurrentDbEventStore, createKurrentDbEventStore } from "./index.js";

/** grpc-js's ConnectivityState.SHUTDOWN: the channel was closed. */
const connectivityShutdown = 4;

const url = process.env.EVENTSTORE_URL;

if (url === undefined || url === "") {
  // Loud on purpose: a skipped suite is easy to miss in a green run.
  console.warn(
    "KurrentDB contract suite skipped: EVENTSTORE_URL is not set, so there is no server to run it against " +
      "(set it to e.g. kurrentdb://127.0.0.1:2113?tls=false; see packages/event-store-kurrentdb/README.md)",
  );
}

describe.skipIf(url === undefined || url === "")("KurrentDB event store against EVENTSTORE_URL", () => {
  // Every test writes under its own fresh stream prefix, so the server may hold anything else.
  describeEventStoreContract("KurrentDB", async () => {
    // One client for the whole suite, as in a process: every store on the URL shares it.
    const store = connectKurrentDbEventStore(url ?? "");
    return { store, dispose: () => store.close() };
  });
});

const anEvent = () => ({ eventId: randomUUID(), type: "Happened", data: {}, metadata: {} });

/** A TCP server that hangs up on every connection: the client reaches a port but never a KurrentDB. */
let connectionsHungUp = 0;
const connectionCount = () => connectionsHungUp;

const hangingUpServer = async (): Promise<{ server: Server; port: number }> => {
  const server = createServer((socket) => {
    connectionsHungUp += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the server has no TCP address");
  return { server, port: address.port };
};

describe("KurrentDB event store when the server cannot be reached", () => {
  let server: Server;
  let store: EventStore;

  beforeAll(async () => {
    const hangingUp = await hangingUpServer();
    server = hangingUp.server;
    store = createKurrentDbEventStore(KurrentDBClient.connectionString(`kurrentdb://127.0.0.1:${hangingUp.port}?tls=false`));
  });

  afterAll(async () => {
    await store.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ["appending", () => store.appendToStream("order-1", [anEvent()], { expectedRevision: "any" })],
    ["reading a stream", () => store.readStream("order-1")],
    ["reading all events", () => store.readAll({ maxCount: 10, streamPrefix: "order-" })],
    ["reading the head position", () => store.headPosition()],
  ])("reports %s as the store being unavailable, never with the driver's error", async (_, operation) => {
    const error = await operation().then(
      () => expect.fail("expected the operation to fail"),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(error).toMatchObject({ code: "event_store_unavailable" });
  });

  it("keeps a subscription waiting for the server, subscribing again, until it is closed", async () => {
    const subscription = store.subscribeToAll({ streamPrefix: "order-" });
    const pending = subscription[Symbol.asyncIterator]().next();
    const connections = connectionCount();
    await vi.waitUntil(() => connectionCount() > connections + 1, { timeout: 10_000, interval: 20 });

    await subscription.close();

    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it("refuses invalid arguments before reaching the server", async () => {
    await expect(store.appendToStream("order-1", [], { expectedRevision: "any" })).rejects.toThrow(RangeError);
    const badId = { ...anEvent(), eventId: "not-a-uuid" };
    await expect(store.appendToStream("order-1", [badId], { expectedRevision: "any" })).rejects.toThrow(RangeError);
    await expect(store.appendToStream("order-1", [anEvent()], { expectedRevision: -1 })).rejects.toThrow(RangeError);
    await expect(store.readStream("order-1", { fromRevision: 1.5 })).rejects.toThrow(RangeError);
    await expect(store.readAll({ maxCount: -1 })).rejects.toThrow(RangeError);
  });
});

describe("KurrentDB event store once closed", () => {
  it("closes the client's gRPC channel, which the client's dispose leaves open", async () => {
    const { server, port } = await hangingUpServer();
    const client = KurrentDBClient.connectionString(`kurrentdb://127.0.0.1:${port}?tls=false`);
    const store = createKurrentDbEventStore(client);
    // An append goes over gRPC, so the client has its channel from then on.
    await store.appendToStream("order-1", [anEvent()], { expectedRevision: "any" }).catch(() => undefined);

    await store.close();

    // The channel is the client's own (protected); it is read here only to see its state.
    const { getChannel } = client as unknown as { getChannel: () => Promise<{ getConnectivityState: (connect: boolean) => number }> };
    expect((await getChannel()).getConnectivityState(false)).toBe(connectivityShutdown);
    await new Promise((resolve) => server.close(resolve));
  });

  it("shares one client with every store on the same connection string, until the last is closed", async () => {
    const { server, port } = await hangingUpServer();
    const url = `kurrentdb://127.0.0.1:${port}?tls=false`;
    const first = connectKurrentDbEventStore(url);
    const second = connectKurrentDbEventStore(url);

    await first.close();

    await expect(second.readStream("order-1")).rejects.toThrow(EventStoreUnavailableError);
    await second.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("ends its subscriptions and refuses further calls", async () => {
    const { server, port } = await hangingUpServer();
    const store = createKurrentDbEventStore(KurrentDBClient.connectionString(`kurrentdb://127.0.0.1:${port}?tls=false`));
    const subscription = store.subscribeToAll();

    await store.close();

    expect(await subscription[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
    await expect(store.readStream("order-1")).rejects.toThrow(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toThrow(EventStoreUnavailableError);
    expect(() => store.subscribeToAll()).toThrow(EventStoreUnavailableError);
    await new Promise((resolve) => server.close(resolve));
  });
});
