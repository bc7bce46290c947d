import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedEntries } from "../testing/activityRequests.js";
import { clientPath, givenClient, newCaller } from "../testing/clientApplicationRequests.js";
import { givenApiKey, introspect } from "../testing/credentialRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

/** An admin, a client with a key, deactivated. */
const givenDeactivatedClient = async () => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller);
  const clientId = created.body.clientId as string;
  const key = await givenApiKey(t, caller, clientId);
  const deactivated = await t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ isActive: false });
  expect(deactivated.status, JSON.stringify(deactivated.body)).toBe(200);
  const [secret] = created.body.secrets as [{ id: string; fingerprint: string }];
  return { caller, clientId, key, secret };
};

describe("reactivating a client", () => {
  it.each(["put", "patch"] as const)("refuses reactivation by %s to a clientapps:write caller (403 insufficient_scope)", async (method) => {
    const { caller, clientId, key } = await givenDeactivatedClient();
    const writer = await t.bearer(caller.workspaceId, ["clientapps:write"]);

    expectProblem(
      await t.http()[method](clientPath(clientId)).set("Authorization", writer).send({ isActive: true }),
      403,
      "insufficient_scope",
    );
    expect((await introspect(t, caller.auth, { token: key.key })).body).toStrictEqual({ active: false });
  });

  it("by an admin makes the old credentials work again, and the feed says so with client_reactivated and what became valid", async () => {
    const { caller, clientId, key, secret } = await givenDeactivatedClient();

    const reactivated = await t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ isActive: true });

    expect(reactivated.status, JSON.stringify(reactivated.body)).toBe(200);
    expect((await introspect(t, caller.auth, { token: key.key })).body.active).toBe(true);
    const entries = await feedEntries(t, caller.auth, 2);
    expect(entries.map((entry) => entry.reason)).toEqual(["client_deactivated", "client_reactivated"]);
    expect(entries[1]).toMatchObject({
      clientId,
      credential: { type: "client", id: clientId, fingerprint: null },
      revokeFrom: expect.any(String),
      reinstated: {
        secrets: [{ id: secret.id, fingerprint: secret.fingerprint }],
        apiKeys: [{ id: key.keyId, fingerprint: `…${key.key.slice(-4)}` }],
        registrationToken: false,
      },
    });
  });
});
