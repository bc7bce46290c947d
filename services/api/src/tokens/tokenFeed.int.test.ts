import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedEntries, readTokenFeed, tokenFeedPath, type Revocation, type TokenFeedPage } from "../testing/activityRequests.js";
import { clientPath, confidentialClient, createClient, givenClient, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { givenApiKey, revokeApiKey, rotateSecret, runScheduler } from "../testing/credentialRequests.js";
import { listen, openEventStream, type EventStream, type ListeningApi } from "../testing/eventStreamClient.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let now = Date.parse("2026-06-01T12:00:00.000Z");
let t: TestApi;
let server: ListeningApi;
const streams: EventStream[] = [];

beforeAll(async () => {
  t = await startTestApi({ now: new Date(now) });
  server = await listen(t.api.app);
});
afterAll(async () => {
  for (const stream of streams) await stream.close();
  await server.close();
  await t.close();
});

const advance = (ms: number): void => {
  t.advance(ms);
  now += ms;
};
const iso = (ms = now): string => new Date(ms).toISOString();
const hour = 3_600_000;

type Secret = Readonly<{ id: string; fingerprint: string }>;

/** A fresh workspace with one confidential client; all of a test's revocations concern that client, so they stay in order. */
const givenCallerWithClient = async () => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller);
  const [secret] = created.body.secrets as [Secret];
  return { caller, clientId: created.body.clientId as string, secret };
};

const patch = (caller: Caller, clientId: string, body: object): Promise<Response> =>
  t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send(body);

const ok = (response: Response): Response => {
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response;
};

/** What an entry says, without its event id. */
const summary = (entry: Revocation) => ({ ...entry, eventId: expect.any(String) });

describe("GET /api/v1/tokens/feed", () => {
  it("tells of a rotation once per superseded secret, revoking from the end of its grace, then of its retirement", async () => {
    const { caller, clientId, secret } = await givenCallerWithClient();
    const rotatedOn = now;
    const rotated = ok(await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 3600 }));
    const [, current] = rotated.body.secrets as [Secret, Secret];

    expect((await feedEntries(t, caller.auth, 1)).map(summary)).toEqual([
      {
        sequence: 1,
        eventId: expect.any(String),
        clientId,
        reason: "secret_rotated",
        credential: { type: "client_secret", id: secret.id, fingerprint: secret.fingerprint },
        revokeFrom: iso(rotatedOn + hour),
        occurredAt: iso(rotatedOn),
      },
    ]);

    advance(hour);
    await runScheduler(t);
    const entries = await feedEntries(t, caller.auth, 2);
    expect(entries.slice(1)).toEqual([
      expect.objectContaining({
        sequence: 2,
        reason: "secret_retired",
        credential: { type: "client_secret", id: secret.id, fingerprint: secret.fingerprint },
        revokeFrom: iso(),
      }),
    ]);

    // Without a grace period every live secret is superseded, and retired, at once.
    advance(60_000);
    ok(await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 0 }));
    const later = (await feedEntries(t, caller.auth, 2, "2")).map((entry) => [entry.reason, entry.credential.id, entry.revokeFrom]);
    expect(later).toEqual([
      ["secret_rotated", current.id, iso()],
      ["secret_retired", current.id, iso()],
    ]);
  });

  it("tells of API keys revoked and expired, of a deactivation and a deletion, and of nothing for plain updates", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const revoked = await givenApiKey(t, caller, clientId);
    const expiring = await givenApiKey(t, caller, clientId, { expiresOn: iso(now + hour) });
    ok(await patch(caller, clientId, { description: "Only a description" }));
    const revokedOn = iso();
    ok(await revokeApiKey(t, caller.auth, clientId, revoked.keyId));

    advance(hour);
    await runScheduler(t);
    const expiredOn = iso();
    advance(60_000);
    ok(await patch(caller, clientId, { displayName: "Renamed", isActive: false }));
    const deactivatedOn = iso();
    advance(60_000);
    ok(await t.http().delete(clientPath(clientId)).set("Authorization", caller.auth));

    const entries = await feedEntries(t, caller.auth, 4);
    expect(entries.map((entry) => [entry.sequence, entry.reason, entry.credential, entry.revokeFrom])).toEqual([
      [1, "api_key_revoked", { type: "api_key", id: revoked.keyId, fingerprint: revoked.response.body.fingerprint }, revokedOn],
      [2, "api_key_expired", { type: "api_key", id: expiring.keyId, fingerprint: expiring.response.body.fingerprint }, expiredOn],
      [3, "client_deactivated", { type: "client", id: clientId, fingerprint: null }, deactivatedOn],
      [4, "client_deleted", { type: "client", id: clientId, fingerprint: null }, iso()],
    ]);
    expect(new Set(entries.map((entry) => entry.clientId))).toEqual(new Set([clientId]));
  });

  it("gives, after the cursor of an earlier answer, only what came since", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const first = await givenApiKey(t, caller, clientId);
    ok(await revokeApiKey(t, caller.auth, clientId, first.keyId));
    await feedEntries(t, caller.auth, 1);
    const earlier = (await readTokenFeed(t, caller.auth)).body as TokenFeedPage;
    expect(earlier.cursor).toBe("1");

    const second = await givenApiKey(t, caller, clientId);
    ok(await revokeApiKey(t, caller.auth, clientId, second.keyId));

    const since = await feedEntries(t, caller.auth, 1, earlier.cursor);
    expect(since.map((entry) => [entry.sequence, entry.credential.id])).toEqual([[2, second.keyId]]);
    expect(((await readTokenFeed(t, caller.auth, { after: 2 })).body as TokenFeedPage).entries).toEqual([]);
  });

  it("long-polls: with wait it answers as soon as an entry arrives", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const key = await givenApiKey(t, caller, clientId);

    const polled = readTokenFeed(t, caller.auth, { after: 0, wait: 5 }).then((response) => response);
    ok(await revokeApiKey(t, caller.auth, clientId, key.keyId));

    const response = await polled;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entries: [expect.objectContaining({ sequence: 1, reason: "api_key_revoked", clientId })],
      cursor: "1",
    });
  });

  it("long-polls: when nothing comes it answers an empty page with the same cursor", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const key = await givenApiKey(t, caller, clientId);
    ok(await revokeApiKey(t, caller.auth, clientId, key.keyId));
    await feedEntries(t, caller.auth, 1);

    const response = await readTokenFeed(t, caller.auth, { after: 1, wait: 1 });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ entries: [], cursor: "1" });
  });

  it("streams as text/event-stream, and a reconnect with Last-Event-ID resumes after it", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const keys = [await givenApiKey(t, caller, clientId), await givenApiKey(t, caller, clientId), await givenApiKey(t, caller, clientId)];
    for (const key of keys.slice(0, 2)) ok(await revokeApiKey(t, caller.auth, clientId, key.keyId));
    await feedEntries(t, caller.auth, 2);

    const stream = await openEventStream(`${server.baseUrl}${tokenFeedPath}`, { Authorization: caller.auth, "Last-Event-ID": "1" });
    streams.push(stream);
    expect(stream.status).toBe(200);
    const [resumed] = await stream.take(1);
    expect(resumed!.event).toBe("revocation");
    expect([resumed!.id, (JSON.parse(resumed!.data) as Revocation).credential.id]).toEqual(["2", keys[1]!.keyId]);

    ok(await revokeApiKey(t, caller.auth, clientId, keys[2]!.keyId));
    const [live] = await stream.take(1);
    expect([live!.id, (JSON.parse(live!.data) as Revocation).credential.id]).toEqual(["3", keys[2]!.keyId]);
    await stream.close();
  });

  it("never shows another workspace's revocations, not even of a client with the same id", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const key = await givenApiKey(t, caller, clientId);
    ok(await revokeApiKey(t, caller.auth, clientId, key.keyId));
    const stranger = await newCaller(t);
    ok(await createClient(t, stranger.auth, confidentialClient({ clientId })));
    ok(await t.http().delete(clientPath(clientId)).set("Authorization", stranger.auth));

    expect((await feedEntries(t, stranger.auth, 1)).map((entry) => [entry.sequence, entry.reason])).toEqual([[1, "client_deleted"]]);
    expect((await feedEntries(t, caller.auth, 1)).map((entry) => [entry.sequence, entry.reason])).toEqual([[1, "api_key_revoked"]]);
    expect(((await readTokenFeed(t, stranger.auth, { clientId })).body as TokenFeedPage).entries).toHaveLength(1);
  });

  it.each([["abc"], ["-1"], ["1.5"]])("answers 400 to the cursor %j", async (after) => {
    const caller = await newCaller(t);
    const problem = expectProblem(await readTokenFeed(t, caller.auth, { after }), 400, "validation_failed");
    expect(problem.errors?.map((error) => error.field)).toEqual(["after"]);
  });
});
