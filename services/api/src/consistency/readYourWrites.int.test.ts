import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientPath,
  confidentialClient,
  createClient,
  getClient,
  givenClient,
  listClients,
  newCaller,
  newClientId,
  positionOf,
} from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

// The projector lags on purpose: a read that did not wait for it would see the state before the write.
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ projectionLagMs: 40 });
});
afterAll(async () => {
  await t.close();
});

const displayNames = (response: { body: unknown }): string[] =>
  (response.body as { displayName: string }[]).map((client) => client.displayName);

describe("read-your-writes", () => {
  it("shows a caller its own POST, PUT, PATCH and DELETE in the very next GET and list", async () => {
    const caller = await newCaller(t);
    for (let round = 0; round < 3; round++) {
      const clientId = newClientId();
      expect((await createClient(t, caller.auth, confidentialClient({ clientId, displayName: "Created" }))).status).toBe(201);
      expect((await getClient(t, caller.auth, clientId)).body.displayName).toBe("Created");
      expect(displayNames(await listClients(t, caller.auth))).toContain("Created");

      expect((await t.http().put(clientPath(clientId)).set("Authorization", caller.auth).send({ displayName: "Put" })).status).toBe(200);
      const afterPut = await getClient(t, caller.auth, clientId);
      expect([afterPut.headers.etag, afterPut.body.displayName]).toEqual(['"1"', "Put"]);
      expect(displayNames(await listClients(t, caller.auth))).toContain("Put");

      expect((await t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ isActive: false })).status).toBe(200);
      const afterPatch = await getClient(t, caller.auth, clientId);
      expect([afterPatch.headers.etag, afterPatch.body.isActive]).toEqual(['"2"', false]);
      expect((await listClients(t, caller.auth, { isActive: "false" })).body).toHaveLength(1);

      expect((await t.http().delete(clientPath(clientId)).set("Authorization", caller.auth)).status).toBe(204);
      expectProblem(await getClient(t, caller.auth, clientId), 404, "client_not_found");
      expect((await listClients(t, caller.auth)).body).toEqual([]);
    }
  });

  it("lets another credential read a write by sending its X-Position as X-Min-Position", async () => {
    const caller = await newCaller(t);
    const reader = await t.bearer(caller.workspaceId, ["clientapps:read"]);
    const created = await givenClient(t, caller);

    const one = await getClient(t, reader, created.body.clientId).set("X-Min-Position", positionOf(created));
    const list = await listClients(t, reader).set("X-Min-Position", positionOf(created));

    expect(one.status).toBe(200);
    expect(one.body.clientId).toBe(created.body.clientId);
    expect(list.body).toEqual([one.body]);
  });

  it("refuses an X-Min-Position that is not a position with 400", async () => {
    const caller = await newCaller(t);

    expectProblem(await getClient(t, caller.auth, "any").set("X-Min-Position", "yesterday"), 400, "invalid_position");
    expectProblem(await listClients(t, caller.auth).set("X-Min-Position", "1"), 400, "invalid_position");
  });
});
