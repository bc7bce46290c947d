import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  confidentialClient,
  fieldsOf,
  getClient,
  givenClient,
  listClients,
  newCaller,
  publicClient,
  type Caller,
} from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: new Date("2026-03-01T08:00:00.000Z") });
});
afterAll(async () => {
  await t.close();
});

const put = (caller: Caller, clientId: string, body: unknown) =>
  t
    .http()
    .put(clientPath(clientId))
    .set("Authorization", caller.auth)
    .send(body as object);

/** A fresh caller with one confidential client, as a GET shows it. */
const givenCallerWithClient = async (body = confidentialClient({ description: "Before" })) => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller, body);
  const clientId = created.body.clientId as string;
  const before = await getClient(t, caller.auth, clientId);
  return { caller, clientId, before: before.body as Record<string, unknown> };
};

describe("PUT /api/v1/clientapplications/{clientId}", () => {
  it("updates the fields present, keeps the others, and answers with the new ETag", async () => {
    const { caller, clientId, before } = await givenCallerWithClient();
    t.advance(60_000);

    const response = await put(caller, clientId, { displayName: "Renamed", scopes: ["read:tasks", "write:tasks"] });

    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers["x-position"]).toMatch(/^[0-9a-f]{32}$/);
    expect(response.body).toEqual({
      ...before,
      displayName: "Renamed",
      scopes: ["read:tasks", "write:tasks"],
      updatedOn: new Date(Date.parse(before.createdOn as string) + 60_000).toISOString(),
    });
    const after = await getClient(t, caller.auth, clientId);
    expect(after.headers.etag).toBe('"1"');
    expect(after.body).toEqual(response.body);
  });

  it("answers 200 with the unchanged ETag when nothing changes", async () => {
    const { caller, clientId, before } = await givenCallerWithClient();

    for (const body of [{}, { displayName: before.displayName, description: "Before" }]) {
      const response = await put(caller, clientId, body);
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"0"');
      expect(response.headers["x-position"]).toBeUndefined();
      expect(response.body).toEqual(before);
    }
    expect((await getClient(t, caller.auth, clientId)).headers.etag).toBe('"0"');
  });

  it("accepts a GET body echoed back with a change, read-only members included", async () => {
    const { caller, clientId, before } = await givenCallerWithClient();

    const response = await put(caller, clientId, { ...before, description: "After" });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.body).toEqual({ ...before, description: "After" });
  });

  it.each([
    ["clientId", "another-id"],
    ["isConfidential", false],
    ["workspaceId", "ws-someone-else"],
  ])("refuses a different %s with 400 immutable_field and changes nothing", async (field, value) => {
    const { caller, clientId, before } = await givenCallerWithClient();

    const response = await put(caller, clientId, { ...before, displayName: "Renamed", [field]: value });

    expectProblem(response, 400, "immutable_field");
    expect(fieldsOf(response)).toEqual([field]);
    const after = await getClient(t, caller.auth, clientId);
    expect([after.headers.etag, after.body]).toEqual(['"0"', before]);
  });

  it("honours If-Match: the current ETag writes, a stale one gets 412 and writes nothing", async () => {
    const { caller, clientId } = await givenCallerWithClient();

    const first = await put(caller, clientId, { displayName: "First" }).set("If-Match", '"0"');
    expect([first.status, first.headers.etag]).toEqual([200, '"1"']);

    const stale = await put(caller, clientId, { displayName: "Lost update" }).set("If-Match", '"0"');
    expectProblem(stale, 412, "precondition_failed");

    const after = await getClient(t, caller.auth, clientId);
    expect([after.headers.etag, after.body.displayName]).toEqual(['"1"', "First"]);
  });

  it("treats If-Match: * as 'any current revision': 200 for an existing client, 412 for a missing one (RFC 9110)", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const existing = await put(caller, clientId, { displayName: "Any revision" }).set("If-Match", "*");
    expect(existing.status).toBe(200);
    const missing = await put(caller, "never-created", { displayName: "Nobody" }).set("If-Match", "*");
    expectProblem(missing, 412, "precondition_failed");
  });

  it("deactivates a client with isActive false", async () => {
    const { caller, clientId } = await givenCallerWithClient();

    const response = await put(caller, clientId, { isActive: false });

    expect([response.status, response.body.isActive]).toEqual([200, false]);
    expect((await getClient(t, caller.auth, clientId)).body.isActive).toBe(false);
    expect((await listClients(t, caller.auth, { isActive: "false" })).body).toEqual([
      expect.objectContaining({ clientId, isActive: false }),
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["displayName is a number", { displayName: 7 }, "displayName"],
    ["description is null (only displayName and redirectUris take null)", { description: null }, "description"],
    ["displayName has 101 characters", { displayName: "n".repeat(101) }, "displayName"],
    ["description has 501 characters", { description: "d".repeat(501) }, "description"],
    ["redirectUris is a string", { redirectUris: "https://app.example.com/cb" }, "redirectUris"],
    ["a redirect URI is http off loopback", { redirectUris: ["http://app.example.com/cb"] }, "redirectUris/0"],
    ["a redirect URI has a fragment", { redirectUris: ["https://app.example.com/cb#x"] }, "redirectUris/0"],
    ["the implicit grant is asked for", { grantTypes: ["authorization_code", "implicit"] }, "grantTypes/1"],
    ["an unknown field is sent", { secret: "let me in" }, "secret"],
  ])("refuses a body where %s with 400 naming the field", async (_case, body, field) => {
    const { caller, clientId, before } = await givenCallerWithClient();

    const response = await put(caller, clientId, body);

    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toContain(field);
    expect((await getClient(t, caller.auth, clientId)).body).toEqual(before);
  });

  it("judges the client as it would be: a public client cannot drop its last redirect URI or take client_credentials", async () => {
    const { caller, clientId } = await givenCallerWithClient(publicClient());

    const noRedirect = await put(caller, clientId, { redirectUris: [] });
    expectProblem(noRedirect, 400, "validation_failed");
    expect(fieldsOf(noRedirect)).toContain("redirectUris");

    const clientCredentials = await put(caller, clientId, { grantTypes: ["client_credentials"] });
    expectProblem(clientCredentials, 400, "validation_failed");
    expect(fieldsOf(clientCredentials)).toContain("grantTypes");
  });

  it("answers 404 client_not_found for an unknown client", async () => {
    const caller = await newCaller(t);

    expectProblem(await put(caller, "nobody", { displayName: "Ghost" }), 404, "client_not_found");
    expect((await listClients(t, caller.auth)).body).toEqual([]);
  });
});
