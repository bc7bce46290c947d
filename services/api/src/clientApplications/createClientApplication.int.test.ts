import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  confidentialClient,
  createClient,
  fieldsOf,
  getClient,
  givenClient,
  listClients,
  newCaller,
  publicClient,
} from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: new Date("2026-02-01T09:00:00.000Z") });
});
afterAll(async () => {
  await t.close();
});

describe("POST /api/v1/clientapplications", () => {
  it("registers a confidential client and hands out its secret in this response only", async () => {
    const caller = await newCaller(t);
    const response = await createClient(t, caller.auth, confidentialClient({ clientId: "integration", description: "Syncs tasks" }));

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe("/api/v1/clientapplications/integration");
    expect(response.headers.etag).toBe('"0"');
    expect(response.headers["x-position"]).toMatch(/^[0-9a-f]{32}$/);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    const secret = response.body.clientSecret as string;
    expect(secret).toMatch(/^ca_secret_[0-9A-Za-z]{49}$/);
    expect(response.body).toEqual({
      clientId: "integration",
      displayName: "Awork integration",
      description: "Syncs tasks",
      redirectUris: ["https://app.example.com/callback"],
      isConfidential: true,
      grantTypes: ["authorization_code", "refresh_token"],
      scopes: ["read:organization"],
      skipAuthorization: false,
      isActive: true,
      workspaceId: caller.workspaceId,
      secrets: [{ id: expect.any(String), createdOn: "2026-02-01T09:00:00.000Z", expiresOn: null, fingerprint: `…${secret.slice(-4)}` }],
      registration: null,
      createdOn: "2026-02-01T09:00:00.000Z",
      updatedOn: "2026-02-01T09:00:00.000Z",
      related: {
        activityStream: "/api/v1/clientapplications/integration/activity_stream",
        apiKeys: "/api/v1/clientapplications/integration/apikeys",
      },
      clientSecret: secret,
    });
  });

  it("never shows the secret again: a GET and the list carry only its fingerprint", async () => {
    const caller = await newCaller(t);
    const created = await givenClient(t, caller);
    const secret = created.body.clientSecret as string;
    const { clientId, secrets } = created.body as { clientId: string; secrets: unknown[] };

    const one = await getClient(t, caller.auth, clientId);
    const list = await listClients(t, caller.auth);

    expect(one.status).toBe(200);
    expect(list.status).toBe(200);
    for (const response of [one, list]) {
      expect(response.text).not.toContain(secret);
      expect(response.text).not.toContain("clientSecret");
    }
    expect(one.body.secrets).toEqual(secrets);
    expect(one.body.secrets[0].fingerprint).toBe(`…${secret.slice(-4)}`);
    expect(list.body).toEqual([one.body]);
  });

  it("registers a public client without any secret", async () => {
    const caller = await newCaller(t);
    const response = await createClient(t, caller.auth, publicClient({ clientId: "mobile" }));

    expect(response.status).toBe(201);
    expect(response.body).not.toHaveProperty("clientSecret");
    expect(response.body).toMatchObject({ clientId: "mobile", isConfidential: false, secrets: [] });
    expect((await getClient(t, caller.auth, "mobile")).body.secrets).toEqual([]);
  });

  it("generates a client id when none is given and echoes the defaults", async () => {
    const caller = await newCaller(t);
    const response = await createClient(t, caller.auth, { displayName: "Reporting job" });

    expect(response.status).toBe(201);
    const clientId = response.body.clientId as string;
    expect(clientId).toMatch(/^[A-Za-z0-9][A-Za-z0-9._~-]{7,63}$/);
    expect(response.headers.location).toBe(clientPath(clientId));
    expect(response.body).toMatchObject({
      displayName: "Reporting job",
      description: "",
      redirectUris: [],
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
      skipAuthorization: false,
      isActive: true,
    });
    expect(response.body.clientSecret).toMatch(/^ca_secret_/);
    const fetched = await t
      .http()
      .get(response.headers.location as string)
      .set("Authorization", caller.auth);
    expect(fetched.status).toBe(200);
    expect(fetched.body.clientId).toBe(clientId);

    const second = await createClient(t, caller.auth, { displayName: "Reporting job" });
    expect(second.body.clientId).not.toBe(clientId);
  });

  it("defaults a client with redirect URIs to the authorization code grant", async () => {
    const caller = await newCaller(t);
    const response = await createClient(t, caller.auth, publicClient());

    expect(response.body.grantTypes).toEqual(["authorization_code", "refresh_token"]);
  });

  const long = (length: number): string => "x".repeat(length);
  it.each<[string, Record<string, unknown>, string, string?]>([
    ["displayName is a number", { displayName: 42 }, "displayName", "invalid_type"],
    ["displayName is missing", { displayName: undefined }, "displayName"],
    ["displayName is blank", { displayName: "   " }, "displayName"],
    ["displayName has 101 characters", { displayName: long(101) }, "displayName"],
    ["description has 501 characters", { description: long(501) }, "description"],
    ["redirectUris is a string", { redirectUris: "https://app.example.com/cb" }, "redirectUris", "invalid_type"],
    ["isConfidential is a string", { isConfidential: "yes" }, "isConfidential", "invalid_type"],
    ["an unknown field is sent", { colour: "blue" }, "colour", "unknown_field"],
    ["a redirect URI is relative", { redirectUris: ["/callback"] }, "redirectUris/0", "not_absolute"],
    ["a redirect URI has a fragment", { redirectUris: ["https://app.example.com/cb#top"] }, "redirectUris/0", "fragment"],
    ["a redirect URI is http off loopback", { redirectUris: ["http://app.example.com/cb"] }, "redirectUris/0", "insecure_scheme"],
    ["a redirect URI is http://localhost", { redirectUris: ["http://localhost:8080/cb"] }, "redirectUris/0", "localhost"],
    ["a redirect URI is javascript:", { redirectUris: ["https://ok.example.com/cb", "javascript:alert(1)"] }, "redirectUris/1"],
    ["a public client has no redirect URI", { isConfidential: false, redirectUris: [] }, "redirectUris", "required"],
    ["the implicit grant is asked for", { grantTypes: ["implicit"] }, "grantTypes/0", "forbidden_grant_type"],
    ["a public client asks for client_credentials", { isConfidential: false, grantTypes: ["client_credentials"] }, "grantTypes"],
    ["the clientId has a space", { clientId: "my app" }, "clientId", "invalid_format"],
    ["the clientId starts with a dash", { clientId: "-app" }, "clientId", "invalid_format"],
    ["the clientId has 65 characters", { clientId: long(65) }, "clientId"],
  ])("refuses a body where %s: 400 validation_failed naming the field", async (_case, overrides, field, code) => {
    const caller = await newCaller(t);
    const response = await createClient(t, caller.auth, confidentialClient(overrides));

    const problem = expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toContain(field);
    if (code) expect(problem.errors).toContainEqual(expect.objectContaining({ field, code }));
    expect((await listClients(t, caller.auth)).body).toEqual([]);
  });

  it.each([
    ["a 100-character displayName", { displayName: "x".repeat(100) }],
    ["a 100-character displayName outside the BMP", { displayName: "🚀".repeat(100) }],
    ["a 500-character description", { description: "y".repeat(500) }],
    ["an IPv4 loopback redirect URI with a port", { redirectUris: ["http://127.0.0.1:1234/cb"] }],
    ["an IPv6 loopback redirect URI", { redirectUris: ["http://[::1]/cb"] }],
    ["a private-use scheme redirect URI", { redirectUris: ["com.example.app:/cb"] }],
  ])("accepts %s", async (_case, overrides) => {
    const caller = await newCaller(t);
    const response = await createClient(t, caller.auth, publicClient(overrides));

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject(overrides);
  });

  it("refuses a duplicate client id with 409 and keeps the first client", async () => {
    const caller = await newCaller(t);
    await givenClient(t, caller, confidentialClient({ clientId: "dup", displayName: "First" }));

    const response = await createClient(t, caller.auth, confidentialClient({ clientId: "dup", displayName: "Second" }));

    expectProblem(response, 409, "client_already_exists");
    expect((await getClient(t, caller.auth, "dup")).body.displayName).toBe("First");
  });

  it("refuses the id of a deleted client with 409: ids are never reused", async () => {
    const caller = await newCaller(t);
    await givenClient(t, caller, confidentialClient({ clientId: "gone" }));
    expect((await t.http().delete(clientPath("gone")).set("Authorization", caller.auth)).status).toBe(204);

    const response = await createClient(t, caller.auth, confidentialClient({ clientId: "gone" }));

    expectProblem(response, 409, "client_already_exists");
    expect((await getClient(t, caller.auth, "gone")).status).toBe(404);
  });

  it("lets two workspaces use the same client id", async () => {
    const first = await newCaller(t);
    const second = await newCaller(t);

    const a = await createClient(t, first.auth, confidentialClient({ clientId: "shared", displayName: "In A" }));
    const b = await createClient(t, second.auth, confidentialClient({ clientId: "shared", displayName: "In B" }));

    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await getClient(t, first.auth, "shared")).body).toMatchObject({ displayName: "In A", workspaceId: first.workspaceId });
    expect((await getClient(t, second.auth, "shared")).body).toMatchObject({ displayName: "In B", workspaceId: second.workspaceId });
  });
});
