import { generateCredential } from "@clientapps/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  clientsPath,
  confidentialClient,
  createClient,
  getClient,
  givenClient,
  listClients,
  newCaller,
  newWorkspaceId,
  positionOf,
} from "../testing/clientApplicationRequests.js";
import { credentialIdOf } from "../testing/activityRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

const start = new Date("2026-04-01T12:00:00.000Z");
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: start });
});
afterAll(async () => {
  await t.close();
});

const realm = 'Bearer realm="clientapps"';

/** Flips one character of the body, so the checksum no longer holds. */
const withBadChecksum = (credential: string): string => {
  const at = 12;
  return `${credential.slice(0, at)}${credential[at] === "a" ? "b" : "a"}${credential.slice(at + 1)}`;
};

/** An admin token of the workspace, issued by an event; revoked by another when asked. */
const issuedCredential = async (workspaceId: string, validity: Readonly<{ expiresOn?: string; revoked?: boolean }>): Promise<string> => {
  const auth = await t.bearer(workspaceId, ["admin"], validity.expiresOn);
  if (validity.revoked) {
    const tokenId = await credentialIdOf(t, auth);
    await t.workspaceCommand({ type: "RevokeAdminToken", data: { workspaceId, tokenId }, metadata: { now: t.now() } });
  }
  return auth;
};

describe("authentication", () => {
  it("answers 401 with a Bearer challenge when the credential is missing", async () => {
    for (const request of [
      t.http().get(clientsPath),
      t.http().post(clientsPath).send(confidentialClient()),
      t.http().get(clientPath("x")),
    ]) {
      const response = await request;
      expectProblem(response, 401, "missing_credentials");
      expect(response.headers["www-authenticate"]).toBe(realm);
    }
  });

  it.each([
    ["a malformed credential", () => "Bearer not-a-credential"],
    ["a credential whose checksum fails", () => `Bearer ${withBadChecksum(generateCredential("adminToken"))}`],
    ["a well-formed credential that was never issued", () => `Bearer ${generateCredential("adminToken")}`],
    ["a credential of another kind", () => `Bearer ${generateCredential("clientSecret")}`],
  ])("answers 401 invalid_token to %s", async (_case, header) => {
    const response = await listClients(t, header());

    expectProblem(response, 401, "invalid_token");
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer realm="clientapps", error="invalid_token", error_description="[^"]+"$/);
  });

  it("refuses a client secret handed out by the API as a credential for the API", async () => {
    const caller = await newCaller(t);
    const secret = (await givenClient(t, caller)).body.clientSecret as string;

    expectProblem(await listClients(t, `Bearer ${secret}`), 401, "invalid_token");
  });

  it("answers a scheme other than Bearer with the bare challenge, which names the scheme to use (RFC 6750 §3.1)", async () => {
    const caller = await newCaller(t);
    const token = caller.auth.slice("Bearer ".length);

    for (const header of ["Basic dXNlcjpwYXNzd29yZA==", `Token ${token}`, `Bearer ${token} extra`, "Bearer"]) {
      const response = await listClients(t, header);
      expectProblem(response, 401, "missing_credentials");
      expect(response.headers["www-authenticate"], header).toBe(realm);
    }
  });

  it("takes the scheme name in any case", async () => {
    const caller = await newCaller(t);

    expect((await listClients(t, caller.auth.replace("Bearer", "bearer"))).status).toBe(200);
  });

  it("refuses a revoked credential, and an expired one from its expiry on", async () => {
    const workspaceId = newWorkspaceId();
    const revoked = await issuedCredential(workspaceId, { revoked: true });
    const expiring = await issuedCredential(workspaceId, { expiresOn: new Date(start.getTime() + 3_600_000).toISOString() });

    expectProblem(await listClients(t, revoked), 401, "invalid_token");
    expect((await listClients(t, expiring)).status).toBe(200);
    t.advance(3_600_000);
    expectProblem(await listClients(t, expiring), 401, "invalid_token");
  });
});

describe("authorization", () => {
  const writes = (auth: string, clientId: string) => [
    () => createClient(t, auth, confidentialClient()),
    () => t.http().put(clientPath(clientId)).set("Authorization", auth).send({ displayName: "Changed" }),
    () => t.http().patch(clientPath(clientId)).set("Authorization", auth).send({ displayName: "Changed" }),
    () => t.http().delete(clientPath(clientId)).set("Authorization", auth),
  ];

  it.each([["clientapps:read"], ["workspace-manage-config:read"]])(
    "lets a %s credential read but answers its writes with 403",
    async (scope) => {
      const admin = await newCaller(t);
      const created = await givenClient(t, admin);
      const clientId = created.body.clientId as string;
      const reader = await t.bearer(admin.workspaceId, [scope]);

      const read = await getClient(t, reader, clientId).set("X-Min-Position", positionOf(created));
      expect(read.status).toBe(200);
      expect((await listClients(t, reader)).body).toEqual([read.body]);

      for (const write of writes(reader, clientId)) {
        const response = await write();
        expectProblem(response, 403, "insufficient_scope");
        expect(response.headers["www-authenticate"]).toBe(`${realm}, error="insufficient_scope", scope="clientapps:write"`);
      }
      const after = await getClient(t, admin.auth, clientId);
      expect([after.headers.etag, after.body]).toEqual(['"0"', read.body]);
      expect((await listClients(t, admin.auth)).body).toHaveLength(1);
    },
  );

  it.each([["clientapps:write"], ["workspace-manage-config:write"], ["admin"]])(
    "lets a %s credential create, read, change and delete",
    async (scope) => {
      const workspaceId = newWorkspaceId();
      const writer = await t.bearer(workspaceId, [scope]);
      const clientId = "written";

      const created = await createClient(t, writer, confidentialClient({ clientId }));
      expect(created.status).toBe(201);
      expect((await getClient(t, writer, clientId)).status).toBe(200);
      expect((await t.http().put(clientPath(clientId)).set("Authorization", writer).send({ displayName: "Put" })).status).toBe(200);
      expect((await t.http().patch(clientPath(clientId)).set("Authorization", writer).send({ description: "Patched" })).status).toBe(200);
      expect((await t.http().delete(clientPath(clientId)).set("Authorization", writer)).status).toBe(204);
      expect((await getClient(t, writer, clientId)).status).toBe(404);
    },
  );

  it("answers 403 naming the read scope to a credential that may only register (RFC 7591)", async () => {
    const auth = await t.bearer(newWorkspaceId(), ["clientapps:register"]);

    const response = await listClients(t, auth);

    expectProblem(response, 403, "insufficient_scope");
    expect(response.headers["www-authenticate"]).toBe(`${realm}, error="insufficient_scope", scope="clientapps:read"`);
  });
});
