import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedEntries } from "../testing/activityRequests.js";
import { fieldsOf, givenClient, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { givenApiKey, introspect, issueApiKey, listApiKeys, revokeApiKey } from "../testing/credentialRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

const now = Date.parse("2026-05-01T08:00:00.000Z");
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: new Date(now) });
});
afterAll(async () => {
  await t.close();
});

const inMinutes = (minutes: number): string => new Date(now + minutes * 60_000).toISOString();

const givenCallerWithClient = async (): Promise<Readonly<{ caller: Caller; clientId: string }>> => {
  const caller = await newCaller(t);
  return { caller, clientId: (await givenClient(t, caller)).body.clientId as string };
};

/** A write key of the client that stops working in two minutes. */
const givenShortLivedWriteKey = async (caller: Caller, clientId: string) =>
  givenApiKey(t, caller, clientId, { name: "ci", scopes: ["clientapps:read", "clientapps:write"], expiresOn: inMinutes(2) });

describe("API keys issued by API keys", () => {
  it.each([
    ["without an expiry", {}],
    ["expiring after it", { expiresOn: inMinutes(60) }],
  ])("a key expiring in two minutes cannot mint a key %s (400 naming expiresOn)", async (_case, extra) => {
    const { caller, clientId } = await givenCallerWithClient();
    const parent = await givenShortLivedWriteKey(caller, clientId);

    const response = await issueApiKey(t, parent.auth, clientId, { name: "child", scopes: ["clientapps:read"], ...extra });

    expectProblem(response, 400, "beyond_issuer");
    expect(fieldsOf(response)).toEqual(["expiresOn"]);
    expect((await listApiKeys(t, caller.auth, clientId)).body).toHaveLength(1);
  });

  it("a key minted by a key stops working with its parent, and the feed lists it as api_key_revoked_with_issuer", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const parent = await givenShortLivedWriteKey(caller, clientId);
    const child = await issueApiKey(t, parent.auth, clientId, { name: "child", scopes: ["clientapps:read"], expiresOn: inMinutes(1) });
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    const childAuth = `Bearer ${child.body.key as string}`;
    expect((await introspect(t, caller.auth, { token: child.body.key as string })).body.active).toBe(true);

    expect((await revokeApiKey(t, caller.auth, clientId, parent.keyId)).status).toBe(204);

    expect((await introspect(t, caller.auth, { token: child.body.key as string })).body).toStrictEqual({ active: false });
    expectProblem(await listApiKeys(t, childAuth, clientId), 401, "invalid_token");
    const entries = await feedEntries(t, caller.auth, 2);
    expect(entries.map((entry) => [entry.reason, entry.credential.id])).toEqual([
      ["api_key_revoked", parent.keyId],
      ["api_key_revoked_with_issuer", child.body.id],
    ]);
  });

  it("a key of one client cannot mint keys on another client (403)", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const other = (await givenClient(t, caller)).body.clientId as string;
    const key = await givenApiKey(t, caller, clientId, { name: "writer", scopes: ["clientapps:read", "clientapps:write"] });

    const response = await issueApiKey(t, key.auth, other, { name: "foreign", scopes: ["clientapps:read"] });

    expectProblem(response, 403, "other_client");
    expect((await listApiKeys(t, caller.auth, other)).body).toEqual([]);
  });

  it("an admin token with an expiry cannot mint a key that outlives it (400 naming expiresOn)", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const shortLived = await t.bearer(caller.workspaceId, ["admin"], inMinutes(5));

    for (const extra of [{}, { expiresOn: inMinutes(10) }]) {
      const response = await issueApiKey(t, shortLived, clientId, { name: "outliving", scopes: ["clientapps:read"], ...extra });
      expectProblem(response, 400, "beyond_issuer");
      expect(fieldsOf(response)).toEqual(["expiresOn"]);
    }
    expect((await issueApiKey(t, shortLived, clientId, { name: "ok", scopes: ["clientapps:read"], expiresOn: inMinutes(5) })).status).toBe(
      201,
    );
  });
});
