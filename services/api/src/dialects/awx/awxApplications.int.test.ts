import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, fieldsOf, getClient, newCaller, type Caller } from "../../testing/clientApplicationRequests.js";
import { givenApiKey } from "../../testing/credentialRequests.js";
import { auditedEntryOf } from "../../testing/activityRequests.js";
import {
  awxApplication,
  awxApplicationPath,
  awxApplicationsPath,
  createAwxApplication,
  givenAwxApplication,
} from "../../testing/dialectRequests.js";
import { expectProblem } from "../../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: new Date("2026-03-01T08:00:00.000Z") });
});
afterAll(async () => {
  await t.close();
});

const list = (caller: Caller, query: Record<string, string | number> = {}) =>
  t.http().get(awxApplicationsPath).query(query).set("Authorization", caller.auth);
const get = (caller: Caller, id: number) => t.http().get(awxApplicationPath(id)).set("Authorization", caller.auth);
const put = (caller: Caller, id: number, body: object) => t.http().put(awxApplicationPath(id)).set("Authorization", caller.auth).send(body);
const patch = (caller: Caller, id: number, body: object) =>
  t.http().patch(awxApplicationPath(id)).set("Authorization", caller.auth).send(body);

describe("AWX's dialect: /api/v2/applications/", () => {
  describe("create", () => {
    it("answers with AWX's fields, the secret this once, and makes the client /api/v1 shows", async () => {
      const caller = await newCaller(t);
      const response = await createAwxApplication(t, caller.auth, awxApplication({ description: "Deploys", skip_authorization: true }));

      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.headers.location).toBe("/api/v2/applications/1/");
      expect(response.headers.etag).toBe('"0"');
      expect(response.body).toEqual({
        id: 1,
        type: "o_auth2_application",
        url: "/api/v2/applications/1/",
        related: { activity_stream: "/api/v2/applications/1/activity_stream/", tokens: "/api/v2/applications/1/tokens/" },
        summary_fields: {
          organization: { id: 1, name: caller.workspaceId, description: "" },
          user_capabilities: { edit: true, delete: true },
          tokens: { count: 0, results: [] },
        },
        created: "2026-03-01T08:00:00.000Z",
        modified: "2026-03-01T08:00:00.000Z",
        name: "Deploy bot",
        description: "Deploys",
        client_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        client_secret: expect.stringMatching(/^ca_secret_/),
        client_type: "confidential",
        redirect_uris: "https://deploy.example.com/callback",
        authorization_grant_type: "authorization-code",
        skip_authorization: true,
        organization: 1,
      });
      const v1 = await getClient(t, caller.auth, response.body.client_id as string);
      expect(v1.body).toMatchObject({
        displayName: "Deploy bot",
        description: "Deploys",
        isConfidential: true,
        redirectUris: ["https://deploy.example.com/callback"],
        grantTypes: ["authorization_code", "refresh_token"],
        skipAuthorization: true,
      });
    });

    it("numbers a workspace's applications 1, 2, 3, each workspace on its own", async () => {
      const caller = await newCaller(t);
      const other = await newCaller(t);
      expect((await givenAwxApplication(t, caller)).body.id).toBe(1);
      expect((await givenAwxApplication(t, other)).body.id).toBe(1);
      expect((await givenAwxApplication(t, caller, awxApplication({ name: "Second" }))).body.id).toBe(2);
    });

    it("makes a public client without a secret, and several redirect URIs from a space-separated list", async () => {
      const caller = await newCaller(t);
      const response = await createAwxApplication(
        t,
        caller.auth,
        awxApplication({ client_type: "public", redirect_uris: "com.example.app:/cb https://app.example.com/cb" }),
      );

      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body).toMatchObject({ client_type: "public", client_secret: "" });
      expect((await getClient(t, caller.auth, response.body.client_id as string)).body).toMatchObject({
        isConfidential: false,
        redirectUris: ["com.example.app:/cb", "https://app.example.com/cb"],
      });
    });

    it("accepts the password grant, deprecated by OAuth 2.1, and records it", async () => {
      const caller = await newCaller(t);
      const response = await createAwxApplication(
        t,
        caller.auth,
        awxApplication({ authorization_grant_type: "password", redirect_uris: "" }),
      );

      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.authorization_grant_type).toBe("password");
      const v1 = await getClient(t, caller.auth, response.body.client_id as string);
      expect(v1.body.grantTypes).toEqual(["password", "refresh_token"]);
      // /api/v1 still refuses to grant it, but a client that holds it stays editable there.
      const renamed = await t
        .http()
        .put(clientPath(v1.body.clientId as string))
        .set("Authorization", caller.auth)
        .send({ displayName: "Renamed" });
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ["the name is missing", { name: undefined }, "name"],
      ["the client type is unknown", { client_type: "secret" }, "client_type"],
      ["the grant type is implicit", { authorization_grant_type: "implicit" }, "authorization_grant_type"],
      ["a redirect URI is http off loopback", { redirect_uris: "http://deploy.example.com/cb" }, "redirect_uris/0"],
      ["the code grant has no redirect URI", { redirect_uris: "" }, "redirect_uris"],
      ["the organization is another one", { organization: 2 }, "organization"],
      ["an unknown field is sent", { scope: "write" }, "scope"],
    ])("refuses a body where %s with 400 naming the AWX field, and registers nothing", async (_case, overrides, field) => {
      const caller = await newCaller(t);
      const response = await createAwxApplication(t, caller.auth, awxApplication(overrides));

      expectProblem(response, 400, "validation_failed");
      expect(fieldsOf(response)).toContain(field);
      expect((await list(caller)).body.count).toBe(0);
    });

    it("refuses a caller that may only read", async () => {
      const reader = await newCaller(t, ["clientapps:read"]);
      expectProblem(await createAwxApplication(t, reader.auth, awxApplication()), 403, "insufficient_scope");
    });
  });

  describe("list", () => {
    const givenThree = async () => {
      const caller = await newCaller(t);
      for (const [name, description] of [
        ["Charlie", "builds"],
        ["Alpha", "deploys"],
        ["Bravo", "Deploys too"],
      ]) {
        await givenAwxApplication(t, caller, awxApplication({ name, description }));
      }
      return caller;
    };

    it("pages as AWX does: count, next, previous, results, ordered by name", async () => {
      const caller = await givenThree();

      const first = await list(caller, { page_size: 2 });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ count: 3, previous: null, next: "/api/v2/applications/?page_size=2&page=2" });
      expect((first.body.results as { name: string }[]).map((application) => application.name)).toEqual(["Alpha", "Bravo"]);

      const second = await t
        .http()
        .get(first.body.next as string)
        .set("Authorization", caller.auth);
      expect(second.body).toMatchObject({ count: 3, next: null, previous: "/api/v2/applications/?page_size=2&page=1" });
      expect((second.body.results as { name: string }[]).map((application) => application.name)).toEqual(["Charlie"]);
    });

    it("searches name and description, filters by name, and orders by order_by", async () => {
      const caller = await givenThree();
      const names = async (query: Record<string, string>) =>
        ((await list(caller, query)).body.results as { name: string }[]).map((application) => application.name);

      expect(await names({ search: "deploys" })).toEqual(["Alpha", "Bravo"]);
      expect(await names({ name: "Bravo" })).toEqual(["Bravo"]);
      expect(await names({ order_by: "-id" })).toEqual(["Bravo", "Alpha", "Charlie"]);
      expect(await names({ order_by: "-name" })).toEqual(["Charlie", "Bravo", "Alpha"]);
    });

    it("answers a page past the last with 404 and a bad order_by with 400", async () => {
      const caller = await givenThree();
      expectProblem(await list(caller, { page: 2 }), 404, "invalid_page");
      expectProblem(await list(caller, { order_by: "secret" }), 400, "validation_failed");
    });

    it("shows nothing of another workspace", async () => {
      await givenThree();
      const stranger = await newCaller(t);
      expect((await list(stranger)).body).toEqual({ count: 0, next: null, previous: null, results: [] });
      expectProblem(await get(stranger, 1), 404, "client_not_found");
    });
  });

  describe("get, PUT, PATCH, DELETE", () => {
    it("gets one with its secret hidden and an ETag", async () => {
      const caller = await newCaller(t);
      const created = await givenAwxApplication(t, caller);

      const response = await get(caller, 1);

      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"0"');
      expect(response.body).toEqual({ ...created.body, client_secret: "************" });
    });

    it("replaces on PUT: absent fields return to AWX's defaults", async () => {
      const caller = await newCaller(t);
      await givenAwxApplication(t, caller, awxApplication({ description: "Deploys", skip_authorization: true }));
      t.advance(60_000);

      const response = await put(caller, 1, {
        name: "Renamed",
        client_type: "confidential",
        authorization_grant_type: "authorization-code",
        redirect_uris: "https://deploy.example.com/cb2",
      });

      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      expect(response.body).toMatchObject({
        name: "Renamed",
        description: "",
        redirect_uris: "https://deploy.example.com/cb2",
        skip_authorization: false,
        client_secret: "************",
        modified: new Date(t.now()).toISOString(),
      });
      expect((await get(caller, 1)).body).toEqual(response.body);
    });

    it("takes a GET body back on PUT, read-only members included", async () => {
      const caller = await newCaller(t);
      await givenAwxApplication(t, caller);
      const before = (await get(caller, 1)).body as Record<string, unknown>;

      const response = await put(caller, 1, { ...before, description: "Echoed" });

      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({ ...before, description: "Echoed", modified: expect.any(String) });
    });

    it("refuses a PUT that leaves out a required field", async () => {
      const caller = await newCaller(t);
      await givenAwxApplication(t, caller);
      const response = await put(caller, 1, { name: "Renamed" });
      expectProblem(response, 400, "validation_failed");
      expect(fieldsOf(response)).toEqual(expect.arrayContaining(["client_type", "authorization_grant_type"]));
    });

    it("changes only the fields present on PATCH", async () => {
      const caller = await newCaller(t);
      const created = await givenAwxApplication(t, caller, awxApplication({ description: "Deploys" }));

      const response = await patch(caller, 1, { redirect_uris: "https://deploy.example.com/a https://deploy.example.com/b" });

      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({
        name: "Deploy bot",
        description: "Deploys",
        redirect_uris: "https://deploy.example.com/a https://deploy.example.com/b",
      });
      expect((await getClient(t, caller.auth, created.body.client_id as string)).body.redirectUris).toHaveLength(2);
    });

    it("refuses to change client_type, and changes nothing", async () => {
      const caller = await newCaller(t);
      await givenAwxApplication(t, caller);

      const response = await patch(caller, 1, { client_type: "public" });

      expectProblem(response, 400, "immutable_field");
      expect(fieldsOf(response)).toEqual(["client_type"]);
      expect((await get(caller, 1)).headers.etag).toBe('"0"');
    });

    it("honours If-Match", async () => {
      const caller = await newCaller(t);
      await givenAwxApplication(t, caller);
      const stale = await t
        .http()
        .patch(awxApplicationPath(1))
        .set("Authorization", caller.auth)
        .set("If-Match", '"7"')
        .send({ name: "X" });
      expectProblem(stale, 412, "precondition_failed");
    });

    it("deletes: the id answers 404 from then on and is never given again", async () => {
      const caller = await newCaller(t);
      const created = await givenAwxApplication(t, caller);

      const response = await t.http().delete(awxApplicationPath(1)).set("Authorization", caller.auth);

      expect(response.status).toBe(204);
      expectProblem(await get(caller, 1), 404, "client_not_found");
      expectProblem(await getClient(t, caller.auth, created.body.client_id as string), 404, "client_not_found");
      expect((await givenAwxApplication(t, caller)).body.id).toBe(2);
    });
  });

  describe("related", () => {
    it("serves the application's activity stream, AWX-paged", async () => {
      const caller = await newCaller(t);
      await givenAwxApplication(t, caller);
      const renamed = await patch(caller, 1, { name: "Renamed" });
      await auditedEntryOf(t, caller.auth, renamed);

      const response = await t.http().get("/api/v2/applications/1/activity_stream/").set("Authorization", caller.auth);

      expect(response.status).toBe(200);
      expect(response.body.count).toBe(2);
      expect(response.body.results).toEqual([
        expect.objectContaining({
          type: "activity_stream",
          object1: "o_auth2_application",
          summary_fields: expect.objectContaining({ event_type: "ClientRegistered" }),
        }),
        expect.objectContaining({ changes: { displayName: { before: "Deploy bot", after: "Renamed" } } }),
      ]);
    });

    it("lists the application's working API keys as AWX tokens, never the key", async () => {
      const caller = await newCaller(t);
      const created = await givenAwxApplication(t, caller);
      const clientId = created.body.client_id as string;
      const reader = await givenApiKey(t, caller, clientId, { name: "reporting" });
      await givenApiKey(t, caller, clientId, { name: "deployer", scopes: ["clientapps:write"] });

      const tokens = await t.http().get("/api/v2/applications/1/tokens/").set("Authorization", caller.auth);

      expect(tokens.status).toBe(200);
      expect(tokens.body).toMatchObject({
        count: 2,
        results: [
          { id: 1, type: "o_auth2_access_token", description: "reporting", scope: "read", token: "************", application: 1 },
          { id: 2, description: "deployer", scope: "write" },
        ],
      });
      expect(JSON.stringify(tokens.body)).not.toContain(reader.key);
      expect((await get(caller, 1)).body.summary_fields.tokens).toEqual({
        count: 2,
        results: [
          { id: 1, token: "************", scope: "read" },
          { id: 2, token: "************", scope: "write" },
        ],
      });
    });
  });
});
