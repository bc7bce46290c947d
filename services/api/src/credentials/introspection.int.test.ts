import { generateCredential } from "@clientapps/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, confidentialClient, givenClient, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { givenApiKey, introspect, introspectPath, revokeApiKey } from "../testing/credentialRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

const epoch = (iso: unknown): number => Math.floor(Date.parse(iso as string) / 1000);

/** A fresh admin caller with one confidential client and its secret. */
const givenCallerWithClient = async () => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller, confidentialClient({ scopes: ["read:organization", "read:projects"] }));
  const [listed] = created.body.secrets as [{ id: string; createdOn: string }];
  const secret = created.body.clientSecret as string;
  return { caller, clientId: created.body.clientId as string, secret, secretId: listed.id, secretCreatedOn: listed.createdOn };
};

const inactiveCases: readonly (readonly [string, () => Promise<Readonly<{ caller: Caller; body: Record<string, string> }>>])[] = [
  [
    "a wrong secret",
    async () => {
      const { caller, clientId } = await givenCallerWithClient();
      return { caller, body: { token: generateCredential("clientSecret"), client_id: clientId } };
    },
  ],
  [
    "another client's secret",
    async () => {
      const { caller, secret } = await givenCallerWithClient();
      const otherClientId = (await givenClient(t, caller)).body.clientId as string;
      return { caller, body: { token: secret, client_id: otherClientId } };
    },
  ],
  ["an unknown API key", async () => ({ caller: await newCaller(t), body: { token: generateCredential("apiKey") } })],
  [
    "a revoked API key",
    async () => {
      const { caller, clientId } = await givenCallerWithClient();
      const issued = await givenApiKey(t, caller, clientId);
      expect((await revokeApiKey(t, caller.auth, clientId, issued.keyId)).status).toBe(204);
      return { caller, body: { token: issued.key } };
    },
  ],
  [
    "an API key of another workspace",
    async () => {
      const { caller, clientId } = await givenCallerWithClient();
      const issued = await givenApiKey(t, caller, clientId);
      return { caller: await newCaller(t), body: { token: issued.key } };
    },
  ],
  [
    "the secret of a client in another workspace",
    async () => {
      const { clientId, secret } = await givenCallerWithClient();
      return { caller: await newCaller(t), body: { token: secret, client_id: clientId } };
    },
  ],
  [
    "the secret of a deleted client",
    async () => {
      const { caller, clientId, secret } = await givenCallerWithClient();
      expect((await t.http().delete(clientPath(clientId)).set("Authorization", caller.auth)).status).toBe(204);
      return { caller, body: { token: secret, client_id: clientId } };
    },
  ],
  ["garbage", async () => ({ caller: await newCaller(t), body: { token: "not-a-credential", client_id: "x" } })],
  [
    "an API key with one character mistyped",
    async () => {
      const { caller, clientId } = await givenCallerWithClient();
      const { key } = await givenApiKey(t, caller, clientId);
      return { caller, body: { token: `${key.slice(0, 20)}${key[20] === "a" ? "b" : "a"}${key.slice(21)}` } };
    },
  ],
  ["an admin token", async () => ({ caller: await newCaller(t), body: { token: generateCredential("adminToken") } })],
];

describe("POST /api/v1/credentials/introspect", () => {
  describe.each([
    ["JSON", false],
    ["a form (RFC 7662 §2.1)", true],
  ])("sent as %s", (_format, form) => {
    it("describes a working API key", async () => {
      const { caller, clientId } = await givenCallerWithClient();
      const issued = await givenApiKey(t, caller, clientId, { scopes: ["clientapps:read", "workspace-manage-config:read"] });

      const response = await introspect(t, caller.auth, { token: issued.key, token_type_hint: "api_key" }, form);

      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.body).toEqual({
        active: true,
        token_type: "api_key",
        client_id: clientId,
        workspace_id: caller.workspaceId,
        scope: "clientapps:read workspace-manage-config:read",
        iat: epoch(issued.response.body.createdOn),
        credential_id: issued.keyId,
      });
    });

    it("describes a working client secret", async () => {
      const { caller, clientId, secret, secretId, secretCreatedOn } = await givenCallerWithClient();

      const response = await introspect(t, caller.auth, { token: secret, client_id: clientId }, form);

      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.body).toEqual({
        active: true,
        token_type: "client_secret",
        client_id: clientId,
        workspace_id: caller.workspaceId,
        scope: "read:organization read:projects",
        iat: epoch(secretCreatedOn),
        credential_id: secretId,
      });
    });

    it("answers 400 for a client secret without its client_id", async () => {
      const { caller, secret } = await givenCallerWithClient();

      expectProblem(await introspect(t, caller.auth, { token: secret }, form), 400, "client_id_required");
    });
  });

  it("names the expiry of an API key that expires, as exp", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const issued = await givenApiKey(t, caller, clientId, { expiresOn: "2030-06-01T00:00:00.000Z" });

    const response = await introspect(t, caller.auth, { token: issued.key });

    expect(response.body).toMatchObject({ active: true, exp: epoch("2030-06-01T00:00:00.000Z") });
  });

  it("lets a read-only credential introspect", async () => {
    const { caller, clientId, secret } = await givenCallerWithClient();
    const reader = await t.bearer(caller.workspaceId, ["clientapps:read"]);

    expect((await introspect(t, reader, { token: secret, client_id: clientId })).body.active).toBe(true);
  });

  it.each(inactiveCases)("answers exactly {active: false} for %s", async (_case, given) => {
    const { caller, body } = await given();

    const response = await introspect(t, caller.auth, body);

    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.body).toStrictEqual({ active: false });
  });

  it("answers 401 to a caller without a credential", async () => {
    const { clientId, secret } = await givenCallerWithClient();

    expectProblem(await t.http().post(introspectPath).send({ token: secret, client_id: clientId }), 401, "missing_credentials");
    expectProblem(
      await introspect(t, `Bearer ${generateCredential("adminToken")}`, { token: secret, client_id: clientId }),
      401,
      "invalid_token",
    );
  });
});
