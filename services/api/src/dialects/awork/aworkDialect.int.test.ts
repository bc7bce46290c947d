import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, clientsPath, getClient, newCaller, newClientId, type Caller } from "../../testing/clientApplicationRequests.js";
import { expectProblem } from "../../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../../testing/testApi.js";

/*
 * awork's Client Applications API as its own clients call it. The bodies are the
 * shapes awork documents (the resource with createdOn/updatedOn, an update with {},
 * and what a generated .NET or TypeScript client sends: null for every member it
 * does not set), replayed as they are, and the RFC 7591 registration example (§3.1) that
 * awork's registration follows, verbatim.
 */

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: new Date("2022-03-14T16:40:40.100Z") });
});
afterAll(async () => {
  await t.close();
});

const put = (caller: Caller, clientId: string, body: object) =>
  t.http().put(clientPath(clientId)).set("Authorization", caller.auth).send(body);

const registered = async () => {
  const caller = await newCaller(t);
  const clientId = newClientId("integration");
  const created = await t
    .http()
    .post(clientsPath)
    .set("Authorization", caller.auth)
    .send({ clientId, displayName: "Awork integration", redirectUris: ["https://app.example.com/callback"] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { caller, clientId, created: created.body as Record<string, unknown> };
};

describe("awork's dialect: /api/v1/clientapplications", () => {
  it("answers a registration in awork's resource shape, createdOn and updatedOn included", async () => {
    const { clientId, created } = await registered();

    expect(created).toMatchObject({
      clientId,
      displayName: "Awork integration",
      description: "",
      redirectUris: ["https://app.example.com/callback"],
      isConfidential: true,
      grantTypes: ["authorization_code", "refresh_token"],
      isActive: true,
      createdOn: t.now().toISOString(),
      updatedOn: t.now().toISOString(),
    });
    expect(created.clientSecret).toEqual(expect.any(String));
  });

  it("takes an update with {} and changes nothing", async () => {
    const { caller, clientId } = await registered();
    const before = (await getClient(t, caller.auth, clientId)).body as Record<string, unknown>;

    const response = await put(caller, clientId, {});

    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"0"');
    expect(response.body).toEqual(before);
  });

  it("takes null for displayName and redirectUris on PUT as 'leave unchanged'", async () => {
    const { caller, clientId } = await registered();
    const before = (await getClient(t, caller.auth, clientId)).body as Record<string, unknown>;

    const response = await put(caller, clientId, { displayName: null, redirectUris: null });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.etag).toBe('"0"');
    expect(response.body).toEqual(before);
  });

  it("applies the members a generated client sets, next to the nulls it sends for the others", async () => {
    const { caller, clientId } = await registered();
    t.advance(60_000);

    const response = await put(caller, clientId, { displayName: null, redirectUris: null, description: "Syncs tasks" });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      displayName: "Awork integration",
      redirectUris: ["https://app.example.com/callback"],
      description: "Syncs tasks",
      updatedOn: t.now().toISOString(),
    });
    expect((await getClient(t, caller.auth, clientId)).body).toEqual(response.body);
  });

  it("still refuses null where awork does not document it, and changes nothing", async () => {
    const { caller, clientId } = await registered();

    const response = await put(caller, clientId, { displayName: null, description: null });

    expectProblem(response, 400, "validation_failed");
    expect((await getClient(t, caller.auth, clientId)).headers.etag).toBe('"0"');
  });

  it("keeps RFC 7396 on PATCH: null removes, so redirectUris return to their default", async () => {
    const caller = await newCaller(t);
    const clientId = newClientId("native");
    const created = await t
      .http()
      .post(clientsPath)
      .set("Authorization", caller.auth)
      .send({ clientId, displayName: "Service", grantTypes: ["client_credentials"], redirectUris: ["https://app.example.com/cb"] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const response = await t
      .http()
      .patch(clientPath(clientId))
      .set("Authorization", caller.auth)
      .set("Content-Type", "application/merge-patch+json")
      .send(JSON.stringify({ redirectUris: null }));

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ redirectUris: [] });
  });

  it("registers RFC 7591's example request (§3.1) verbatim and shows the client in awork's shape", async () => {
    const caller = await newCaller(t);
    const example = `{
 "redirect_uris": [
   "https://client.example.org/callback",
   "https://client.example.org/callback2"],
 "client_name": "My Example Client",
 "client_name#ja-Jpan-JP":
    "\\u30AF\\u30E9\\u30A4\\u30A2\\u30F3\\u30C8\\u540D",
 "token_endpoint_auth_method": "client_secret_basic",
 "logo_uri": "https://client.example.org/logo.png",
 "jwks_uri": "https://client.example.org/my_public_keys.jwks",
 "example_extension_parameter": "example_value"
}`;

    const response = await t
      .http()
      .post(`${clientsPath}/register`)
      .set("Authorization", caller.auth)
      .set("Content-Type", "application/json")
      .send(example);

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({
      client_id: expect.any(String),
      client_secret: expect.stringMatching(/^ca_secret_/),
      redirect_uris: ["https://client.example.org/callback", "https://client.example.org/callback2"],
      // §2's default for omitted grant_types: authorization_code alone.
      grant_types: ["authorization_code"],
      client_name: "My Example Client",
      token_endpoint_auth_method: "client_secret_basic",
      logo_uri: "https://client.example.org/logo.png",
      jwks_uri: "https://client.example.org/my_public_keys.jwks",
    });
    const client = await getClient(t, caller.auth, response.body.client_id as string);
    expect(client.body).toMatchObject({
      displayName: "My Example Client",
      redirectUris: ["https://client.example.org/callback", "https://client.example.org/callback2"],
      createdOn: t.now().toISOString(),
      updatedOn: t.now().toISOString(),
      registration: {
        metadata: { logoUri: "https://client.example.org/logo.png", jwksUri: "https://client.example.org/my_public_keys.jwks" },
      },
    });
  });
});
