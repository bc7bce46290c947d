import { clientApplicationStreamName } from "@clientapps/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  clientsPath,
  confidentialClient,
  createClient,
  fieldsOf,
  getClient,
  givenClient,
  listClients,
  newCaller,
  positionOf,
  type Caller,
} from "../testing/clientApplicationRequests.js";
import {
  apiKeysPath,
  eventTypesOf,
  givenApiKey,
  issueApiKey,
  listApiKeys,
  revokeApiKey,
  rotateSecret,
  runScheduler,
} from "../testing/credentialRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let now = Date.parse("2026-05-01T08:00:00.000Z");
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: new Date(now) });
});
afterAll(async () => {
  await t.close();
});

const advance = (ms: number): void => {
  t.advance(ms);
  now += ms;
};
const inAnHour = (): string => new Date(now + 3_600_000).toISOString();

/** A fresh admin caller with one confidential client. */
const givenCallerWithClient = async (): Promise<Readonly<{ caller: Caller; clientId: string }>> => {
  const caller = await newCaller(t);
  return { caller, clientId: (await givenClient(t, caller)).body.clientId as string };
};

/** A GET as the key, waiting for the issuance to be visible (the key has written nothing itself). */
const getAs = (issued: Awaited<ReturnType<typeof givenApiKey>>, clientId: string) =>
  getClient(t, issued.auth, clientId).set("X-Min-Position", positionOf(issued.response));

describe("POST /api/v1/clientapplications/{clientId}/apikeys", () => {
  it("issues a key shown once, with its Location, fingerprint and status", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const expiresOn = inAnHour();
    const body = { name: "deploy pipeline", scopes: ["clientapps:read", "clientapps:write"], expiresOn };

    const response = await issueApiKey(t, caller.auth, clientId, body);

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.headers["cache-control"]).toBe("no-store");
    const key = response.body.key as string;
    expect(key).toMatch(/^ca_key_[0-9A-Za-z]{49}$/);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^key_/),
      name: "deploy pipeline",
      scopes: ["clientapps:read", "clientapps:write"],
      fingerprint: `…${key.slice(-4)}`,
      status: "active",
      createdOn: new Date(now).toISOString(),
      expiresOn,
      revokedOn: null,
      key,
    });
    expect(response.headers.location).toBe(`${apiKeysPath(clientId)}/${response.body.id as string}`);
    const stream = await t.engines.eventStore.readStream(clientApplicationStreamName(caller.workspaceId, clientId));
    expect(JSON.stringify(stream)).not.toContain(key);
    expect(t.logs()).not.toContain(key);
  });

  it("lets a clientapps:write caller mint clientapps:read keys but not admin keys", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const writer = await t.bearer(caller.workspaceId, ["clientapps:write"]);

    expectProblem(await issueApiKey(t, writer, clientId, { name: "escalate", scopes: ["admin"] }), 403, "insufficient_scope");
    expect((await issueApiKey(t, writer, clientId, { name: "reader", scopes: ["clientapps:read"] })).status).toBe(201);
    expect(((await listApiKeys(t, writer, clientId)).body as { name: string }[]).map((key) => key.name)).toEqual(["reader"]);
  });

  it("treats the workspace-manage-config aliases as the clientapps scopes they stand for", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const aliasWriter = await t.bearer(caller.workspaceId, ["workspace-manage-config:write"]);
    expect((await issueApiKey(t, aliasWriter, clientId, { name: "reader", scopes: ["clientapps:read"] })).status).toBe(201);
    expect((await issueApiKey(t, aliasWriter, clientId, { name: "writer", scopes: ["clientapps:write"] })).status).toBe(201);
    expectProblem(await issueApiKey(t, aliasWriter, clientId, { name: "escalate", scopes: ["admin"] }), 403, "insufficient_scope");
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["an empty name", { name: "", scopes: ["clientapps:read"] }, "name"],
    ["a blank name", { name: "   ", scopes: ["clientapps:read"] }, "name"],
    ["an unknown scope", { name: "k", scopes: ["clientapps:read", "root"] }, "scopes/1"],
    ["no scope", { name: "k", scopes: [] }, "scopes"],
    ["an expiry in the past", { name: "k", scopes: ["clientapps:read"], expiresOn: "2020-01-01T00:00:00.000Z" }, "expiresOn"],
  ])("refuses %s with 400 naming the field", async (_case, body, field) => {
    const { caller, clientId } = await givenCallerWithClient();

    const response = await issueApiKey(t, caller.auth, clientId, body);

    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toEqual([field]);
    expect((await listApiKeys(t, caller.auth, clientId)).body).toEqual([]);
  });

  it("answers 409 client_inactive for an inactive client", async () => {
    const caller = await newCaller(t);
    const clientId = (await givenClient(t, caller, confidentialClient({ isActive: false }))).body.clientId as string;

    expectProblem(await issueApiKey(t, caller.auth, clientId, { name: "k", scopes: ["clientapps:read"] }), 409, "client_inactive");
  });
});

describe("GET and DELETE /api/v1/clientapplications/{clientId}/apikeys", () => {
  it("lists metadata only, with each key's status, and never the key or its hash", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const active = await givenApiKey(t, caller, clientId, { name: "active" });
    const revoked = await givenApiKey(t, caller, clientId, { name: "revoked" });
    const expiring = await givenApiKey(t, caller, clientId, { name: "expiring", expiresOn: inAnHour() });
    expect((await revokeApiKey(t, caller.auth, clientId, revoked.keyId)).status).toBe(204);
    advance(3_600_001);

    const response = await listApiKeys(t, caller.auth, clientId);

    expect(response.status).toBe(200);
    const { key: _active, ...activeMetadata } = active.response.body as Record<string, unknown>;
    const { key: _revoked, ...revokedMetadata } = revoked.response.body as Record<string, unknown>;
    const { key: _expiring, ...expiringMetadata } = expiring.response.body as Record<string, unknown>;
    expect(response.body).toEqual([
      activeMetadata,
      { ...revokedMetadata, status: "revoked", revokedOn: revoked.response.body.createdOn },
      { ...expiringMetadata, status: "expired" },
    ]);
    const stream = await t.engines.eventStore.readStream(clientApplicationStreamName(caller.workspaceId, clientId));
    const hashes = stream.filter((event) => event.type === "ApiKeyIssued").map((event) => (event.data.apiKey as { hash: string }).hash);
    expect(hashes).toHaveLength(3);
    for (const secret of [...hashes, active.key, revoked.key, expiring.key]) expect(response.text).not.toContain(secret);
  });

  it("revokes with 204, again with 204, and answers 404 api_key_not_found for an unknown key", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const issued = await givenApiKey(t, caller, clientId);

    expect((await revokeApiKey(t, caller.auth, clientId, issued.keyId)).status).toBe(204);
    expect((await revokeApiKey(t, caller.auth, clientId, issued.keyId)).status).toBe(204);
    expectProblem(await revokeApiKey(t, caller.auth, clientId, "key_0000000000000000"), 404, "api_key_not_found");
    expect((await eventTypesOf(t, caller.workspaceId, clientId)).filter((type) => type === "ApiKeyRevoked")).toHaveLength(1);
  });
});

describe("an API key as a credential", () => {
  it("reads with its scopes, inside its client's workspace only", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const other = await newCaller(t);
    const otherClientId = (await givenClient(t, other)).body.clientId as string;
    const issued = await givenApiKey(t, caller, clientId, { scopes: ["clientapps:read"] });

    const one = await getAs(issued, clientId);
    expect(one.status).toBe(200);
    expect(one.body.clientId).toBe(clientId);
    expect(((await listClients(t, issued.auth)).body as { clientId: string }[]).map((client) => client.clientId)).toEqual([clientId]);
    expectProblem(await getClient(t, issued.auth, otherClientId), 404, "client_not_found");

    expectProblem(await createClient(t, issued.auth, confidentialClient()), 403, "insufficient_scope");
    expectProblem(await issueApiKey(t, issued.auth, clientId, { name: "k", scopes: ["clientapps:read"] }), 403, "insufficient_scope");
    expectProblem(await rotateSecret(t, issued.auth, clientId), 403, "insufficient_scope");
    expect(await eventTypesOf(t, caller.workspaceId, clientId)).toEqual(["ClientRegistered", "ApiKeyIssued"]);
  });

  it("is refused with 401 invalid_token on the request right after its revocation", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const issued = await givenApiKey(t, caller, clientId);
    expect((await getAs(issued, clientId)).status).toBe(200);

    expect((await revokeApiKey(t, caller.auth, clientId, issued.keyId)).status).toBe(204);

    expectProblem(await getClient(t, issued.auth, clientId), 401, "invalid_token");
  });

  it("is refused from its expiry on, and the scheduler records the expiry once", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const issued = await givenApiKey(t, caller, clientId, { expiresOn: inAnHour() });
    expect((await getAs(issued, clientId)).status).toBe(200);

    advance(3_600_000);

    expectProblem(await getClient(t, issued.auth, clientId), 401, "invalid_token");
    expect(await eventTypesOf(t, caller.workspaceId, clientId)).not.toContain("ApiKeyExpired");
    await runScheduler(t);
    await runScheduler(t);
    expect((await eventTypesOf(t, caller.workspaceId, clientId)).filter((type) => type === "ApiKeyExpired")).toHaveLength(1);
    const [listed] = (await listApiKeys(t, caller.auth, clientId)).body as [{ status: string }];
    expect(listed.status).toBe("expired");
  });

  it("is refused with 401 invalid_token when one character is mistyped", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const issued = await givenApiKey(t, caller, clientId);
    const at = 20;
    const typo = `${issued.key.slice(0, at)}${issued.key[at] === "a" ? "b" : "a"}${issued.key.slice(at + 1)}`;

    expectProblem(await getClient(t, `Bearer ${typo}`, clientId), 401, "invalid_token");
    expect((await getAs(issued, clientId)).status).toBe(200);
  });

  it("stops working when its client is deactivated", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const issued = await givenApiKey(t, caller, clientId);
    expect((await getAs(issued, clientId)).status).toBe(200);

    const deactivated = await t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ isActive: false });
    expect(deactivated.status).toBe(200);

    expectProblem(await listClients(t, issued.auth), 401, "invalid_token");
  });

  it("stops working when its client is deleted", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const issued = await givenApiKey(t, caller, clientId);
    expect((await getAs(issued, clientId)).status).toBe(200);

    expect((await t.http().delete(clientPath(clientId)).set("Authorization", caller.auth)).status).toBe(204);

    expectProblem(await t.http().get(clientsPath).set("Authorization", issued.auth), 401, "invalid_token");
  });
});
