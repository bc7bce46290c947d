import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { activityPath, auditedEntryOf, listActivity, requestIdOf, type ActivityEntry } from "../testing/activityRequests.js";
import { clientPath, confidentialClient, createClient, givenClient, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { givenApiKey, revokeApiKey, rotateSecret } from "../testing/credentialRequests.js";
import { listen, openEventStream, type EventStream, type ListeningApi, type ServerSentEvent } from "../testing/eventStreamClient.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
let server: ListeningApi;
const streams: EventStream[] = [];

beforeAll(async () => {
  t = await startTestApi();
  server = await listen(t.api.app);
});
afterAll(async () => {
  for (const stream of streams) await stream.close();
  await server.close();
  await t.close();
});

/** Opens a live tail of the caller's activity stream, closed after the tests at the latest. */
const tail = async (caller: Caller, headers: Record<string, string> = {}): Promise<EventStream> => {
  const stream = await openEventStream(`${server.baseUrl}${activityPath}`, { Authorization: caller.auth, ...headers });
  streams.push(stream);
  expect(stream.status).toBe(200);
  expect(stream.contentType).toMatch(/^text\/event-stream/);
  return stream;
};

/** Entries before the client's: the workspace's creation and its admin token. */
const setup = 2;

/**
 * A fresh caller with one client (one client, so that its entries keep the order of the writes), audited already,
 * with the workspace's own entries before it.
 */
const givenAuditedClient = async (): Promise<Readonly<{ caller: Caller; clientId: string }>> => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller);
  await auditedEntryOf(t, caller.auth, created);
  await vi.waitFor(async () => expect(((await listActivity(t, caller.auth)).body as ActivityEntry[]).length).toBe(setup + 1), {
    timeout: 10_000,
  });
  return { caller, clientId: created.body.clientId as string };
};

/** A rotation with a grace period: one event (without one, the old secret is also retired at once, a second event). */
const rotateWithGrace = (caller: Caller, clientId: string): Promise<Response> =>
  rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 3600 });

const rename = (caller: Caller, clientId: string, displayName: string): Promise<Response> =>
  t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ displayName });

/** Each write's X-Request-Id, failing if a write failed. */
const requestIdsOf = (responses: readonly Response[]): string[] =>
  responses.map((response) => {
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    return requestIdOf(response);
  });

const entryOf = (event: ServerSentEvent): ActivityEntry => JSON.parse(event.data) as ActivityEntry;

describe("GET /api/v1/activity_stream with Accept: text/event-stream", () => {
  it("starts at the end: it shows what happens from now on, not what happened before", async () => {
    const { caller, clientId } = await givenAuditedClient();
    const stream = await tail(caller);

    const [written] = requestIdsOf([await rename(caller, clientId, "Renamed")]);

    const [event] = await stream.take(1);
    expect(event!.event).toBe("activity");
    expect(entryOf(event!)).toMatchObject({
      sequence: setup + 2,
      operation: "update",
      requestId: written,
      object: { type: "clientApplication", id: clientId },
    });
    expect(event!.id).toBe(String(setup + 2));
    await stream.close();
  });

  it("delivers changes as they happen, in order; a reconnect with Last-Event-ID gets what it missed, then what comes", async () => {
    const { caller, clientId } = await givenAuditedClient();
    const first = await tail(caller);

    const seen = requestIdsOf([await rename(caller, clientId, "One"), await rotateWithGrace(caller, clientId)]);
    const delivered = await first.take(2);
    expect(delivered.map((event) => event.event)).toEqual(["activity", "activity"]);
    expect(delivered.map((event) => entryOf(event).requestId)).toEqual(seen);
    expect(delivered.map((event) => Number(event.id) - setup)).toEqual([2, 3]);
    await first.close();

    const missed = requestIdsOf([await rename(caller, clientId, "Two"), await rotateWithGrace(caller, clientId)]);
    const resumed = await tail(caller, { "Last-Event-ID": delivered.at(-1)!.id! });

    const caughtUp = await resumed.take(2);
    expect(caughtUp.map((event) => [Number(event.id) - setup, entryOf(event).requestId])).toEqual([
      [4, missed[0]],
      [5, missed[1]],
    ]);

    const [next] = requestIdsOf([await t.http().delete(clientPath(clientId)).set("Authorization", caller.auth)]);
    const [live] = await resumed.take(1);
    expect([Number(live!.id) - setup, entryOf(live!).operation, entryOf(live!).requestId]).toEqual([6, "delete", next]);
    await resumed.close();
  });

  it("shows nothing of another workspace", async () => {
    const { caller, clientId } = await givenAuditedClient();
    const stream = await tail(caller);
    const stranger = await newCaller(t);

    const foreign = await createClient(t, stranger.auth, confidentialClient({ clientId }));
    await auditedEntryOf(t, stranger.auth, foreign);
    const [mine] = requestIdsOf([await rename(caller, clientId, "Mine")]);

    const [event] = await stream.take(1);
    expect(entryOf(event!).requestId).toBe(mine);
    await stream.close();
  });

  it("ends the stream of an API key once the key is revoked: a live tail never outlives its credential", async () => {
    const { caller, clientId } = await givenAuditedClient();
    const { keyId, auth } = await givenApiKey(t, caller, clientId);
    const stream = await tail({ ...caller, auth });

    expect((await revokeApiKey(t, caller.auth, clientId, keyId)).status).toBe(204);

    // The revocation's own entry may still arrive; after it, the stream ends instead of waiting for more.
    const drain = async (): Promise<void> => {
      for (let read = 0; read < 5; read++) await stream.take(1, 10_000);
    };
    await expect(drain()).rejects.toThrow(/before the stream ended/);
    expect((await t.http().get(activityPath).set("Authorization", auth)).status).toBe(401);
  });
});
