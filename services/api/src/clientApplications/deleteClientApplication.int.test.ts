import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, getClient, givenClient, listClients, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

const remove = (caller: Caller, clientId: string) => t.http().delete(clientPath(clientId)).set("Authorization", caller.auth);

describe("DELETE /api/v1/clientapplications/{clientId}", () => {
  it("answers 204; the client is then gone from GET and the list", async () => {
    const caller = await newCaller(t);
    const kept = (await givenClient(t, caller)).body.clientId as string;
    const clientId = (await givenClient(t, caller)).body.clientId as string;

    const response = await remove(caller, clientId);

    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers["x-position"]).toMatch(/^[0-9a-f]{32}$/);
    expectProblem(await getClient(t, caller.auth, clientId), 404, "client_not_found");
    expect((await listClients(t, caller.auth)).body.map((client: { clientId: string }) => client.clientId)).toEqual([kept]);
  });

  it("answers 404 to every later write on the deleted client", async () => {
    const caller = await newCaller(t);
    const clientId = (await givenClient(t, caller)).body.clientId as string;
    expect((await remove(caller, clientId)).status).toBe(204);

    const again = await remove(caller, clientId);
    const put = await t.http().put(clientPath(clientId)).set("Authorization", caller.auth).send({ displayName: "Revived" });
    const patch = await t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ isActive: true });

    // Writes name the reason; a GET does not tell a deleted client from one that never was.
    for (const response of [again, put, patch]) expectProblem(response, 404, "client_deleted");
    expectProblem(await getClient(t, caller.auth, clientId), 404, "client_not_found");
  });

  it("honours If-Match: a stale ETag gets 412 and deletes nothing, the current one deletes", async () => {
    const caller = await newCaller(t);
    const clientId = (await givenClient(t, caller)).body.clientId as string;
    await t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send({ description: "now at revision 1" });

    expectProblem(await remove(caller, clientId).set("If-Match", '"0"'), 412, "precondition_failed");
    const still = await getClient(t, caller.auth, clientId);
    expect([still.status, still.headers.etag]).toEqual([200, '"1"']);

    expect((await remove(caller, clientId).set("If-Match", '"1"')).status).toBe(204);
    expect((await getClient(t, caller.auth, clientId)).status).toBe(404);
  });

  it("answers 404 client_not_found for an unknown client", async () => {
    const caller = await newCaller(t);

    expectProblem(await remove(caller, "nobody"), 404, "client_not_found");
  });

  it("cannot delete another workspace's client", async () => {
    const owner = await newCaller(t);
    const stranger = await newCaller(t);
    const clientId = (await givenClient(t, owner)).body.clientId as string;

    expectProblem(await remove(stranger, clientId), 404, "client_not_found");
    expect((await getClient(t, owner.auth, clientId)).status).toBe(200);
  });
});
