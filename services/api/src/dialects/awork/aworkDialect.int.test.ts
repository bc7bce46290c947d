import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, clientsPath, getClient, newCaller, newClientId, type Caller } from "../../testing/clientApplicationRequests.js";
import { expectProblem } from "../../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../../testing/testApi.js";

/*
 * awork's Client Applications API as its own clients call it. The bodies are the
 * shapes awork documents (the resource with createdOn/updatedOn, an update with {},
 * and what a generated .NET or TypeScript client sends: null for every member it
 * does not set), replayed as they are.
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
      createdOn: "2022-03-14T16:40:40.100Z",
      updatedOn: "2022-03-14T16:40:40.100Z",
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
      updatedOn: "2022-03-14T16:41:40.100Z",
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
});
