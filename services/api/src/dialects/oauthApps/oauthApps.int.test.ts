import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldsOf, getClient, newCaller, nextLinkOf, type Caller } from "../../testing/clientApplicationRequests.js";
import { secretIsActive } from "../../testing/credentialRequests.js";
import { createOauthApp, givenOauthApp, oauthApp, oauthAppPath, oauthAppsPath } from "../../testing/dialectRequests.js";
import { expectProblem } from "../../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: new Date("2026-03-01T08:00:00.000Z") });
});
afterAll(async () => {
  await t.close();
});

const get = (caller: Caller, clientId: string) => t.http().get(oauthAppPath(clientId)).set("Authorization", caller.auth);
const put = (caller: Caller, clientId: string, body: object) =>
  t.http().put(oauthAppPath(clientId)).set("Authorization", caller.auth).send(body);
const remove = (caller: Caller, clientId: string) => t.http().delete(oauthAppPath(clientId)).set("Authorization", caller.auth);

/** The same workspace, with a credential that may write but is not an admin. */
const writerOf = async (caller: Caller): Promise<Caller> => ({
  workspaceId: caller.workspaceId,
  auth: await t.bearer(caller.workspaceId, ["clientapps:read", "clientapps:write"]),
});

describe("the OAuth-apps dialect: /oauth/apps", () => {
  it("creates an app with a client id and secret made by the server, the secret shown this once", async () => {
    const caller = await newCaller(t);
    const response = await createOauthApp(t, caller.auth, oauthApp());

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const clientId = response.body.clientId as string;
    expect(response.headers.location).toBe(oauthAppPath(clientId));
    expect(response.body).toEqual({
      clientId: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: "Partner portal",
      description: "Signs partners in",
      redirectUri: "https://partners.example.com/callback",
      scopes: ["read:organization"],
      isActive: true,
      createdAt: "2026-03-01T08:00:00.000Z",
      updatedAt: "2026-03-01T08:00:00.000Z",
      clientSecret: expect.stringMatching(/^ca_secret_/),
    });
    expect(await secretIsActive(t, caller, clientId, response.body.clientSecret as string)).toBe(true);
    const { clientSecret: _secret, ...app } = response.body as Record<string, unknown>;
    expect((await get(caller, clientId)).body).toEqual(app);
    expect((await getClient(t, caller.auth, clientId)).body).toMatchObject({
      displayName: "Partner portal",
      redirectUris: ["https://partners.example.com/callback"],
      isConfidential: true,
    });
  });

  it("lists the workspace's apps, paged by limit with the next page in Link", async () => {
    const caller = await newCaller(t);
    for (const name of ["One", "Two", "Three"]) await givenOauthApp(t, caller, oauthApp({ name }));

    const first = await t.http().get(oauthAppsPath).query({ limit: 2 }).set("Authorization", caller.auth);
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(2);
    const second = await t.http().get(nextLinkOf(first)!).set("Authorization", caller.auth);
    expect(second.body).toHaveLength(1);
    expect([...(first.body as { name: string }[]), ...(second.body as { name: string }[])].map((app) => app.name).sort()).toEqual([
      "One",
      "Three",
      "Two",
    ]);
  });

  it("updates the fields present, keeps the others, and deactivates with isActive false", async () => {
    const caller = await newCaller(t);
    const clientId = (await givenOauthApp(t, caller)).body.clientId as string;
    t.advance(1000);

    const response = await put(caller, clientId, { name: "Renamed", redirectUri: "https://partners.example.com/v2", isActive: false });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      clientId,
      name: "Renamed",
      description: "Signs partners in",
      redirectUri: "https://partners.example.com/v2",
      isActive: false,
      updatedAt: new Date(t.now()).toISOString(),
    });
    expect((await get(caller, clientId)).body).toEqual(response.body);
  });

  it("takes the client id echoed unchanged, refuses another one and any secret, and changes nothing", async () => {
    const caller = await newCaller(t);
    const clientId = (await givenOauthApp(t, caller)).body.clientId as string;

    expect((await put(caller, clientId, { clientId, name: "Same id" })).status).toBe(200);
    const otherId = await put(caller, clientId, { clientId: "another", name: "Moved" });
    expectProblem(otherId, 400, "immutable_field");
    expect(fieldsOf(otherId)).toEqual(["clientId"]);
    const secret = await put(caller, clientId, { clientSecret: "mine" });
    expectProblem(secret, 400, "validation_failed");
    expect(fieldsOf(secret)).toEqual(["clientSecret"]);
    expect((await get(caller, clientId)).body.name).toBe("Same id");
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["the name has 101 characters", { name: "n".repeat(101) }, "name"],
    ["the description has 501 characters", { description: "d".repeat(501) }, "description"],
    ["the redirect URI is missing", { redirectUri: undefined }, "redirectUri"],
    ["two redirect URIs are given", { redirectUri: ["https://a.example/cb", "https://b.example/cb"] }, "redirectUri"],
    ["the redirect URI is http off loopback", { redirectUri: "http://partners.example.com/cb" }, "redirectUris/0"],
  ])("refuses a new app where %s with 400 naming the field", async (_case, overrides, field) => {
    const caller = await newCaller(t);
    const response = await createOauthApp(t, caller.auth, oauthApp(overrides));
    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toContain(field);
    expect((await t.http().get(oauthAppsPath).set("Authorization", caller.auth)).body).toEqual([]);
  });

  it("deletes: the app is gone, here and in /api/v1, and its secret stops working", async () => {
    const caller = await newCaller(t);
    const created = await givenOauthApp(t, caller);
    const clientId = created.body.clientId as string;

    expect((await remove(caller, clientId)).status).toBe(204);
    expectProblem(await get(caller, clientId), 404, "client_not_found");
    expectProblem(await getClient(t, caller.auth, clientId), 404, "client_not_found");
    expect(await secretIsActive(t, caller, clientId, created.body.clientSecret as string)).toBe(false);
  });

  it("lets only admins change apps: a credential with write access gets 403 on create, PUT and DELETE, and nothing changes", async () => {
    const caller = await newCaller(t);
    const clientId = (await givenOauthApp(t, caller)).body.clientId as string;
    const writer = await writerOf(caller);

    expectProblem(await createOauthApp(t, writer.auth, oauthApp()), 403, "insufficient_scope");
    expectProblem(await put(writer, clientId, { name: "Hijacked" }), 403, "insufficient_scope");
    expectProblem(await remove(writer, clientId), 403, "insufficient_scope");
    expect((await get(writer, clientId)).body.name).toBe("Partner portal");
    expect((await t.http().get(oauthAppsPath).set("Authorization", writer.auth)).body).toHaveLength(1);
  });

  it("answers 401 without a credential and 404 for an unknown app or another workspace's", async () => {
    const caller = await newCaller(t);
    const clientId = (await givenOauthApp(t, caller)).body.clientId as string;
    const stranger = await newCaller(t);

    expectProblem(await t.http().get(oauthAppsPath), 401, "missing_credentials");
    expectProblem(await get(caller, "unknown"), 404, "client_not_found");
    expectProblem(await get(stranger, clientId), 404, "client_not_found");
    expectProblem(await put(stranger, clientId, { name: "Mine" }), 404, "client_not_found");
  });
});
