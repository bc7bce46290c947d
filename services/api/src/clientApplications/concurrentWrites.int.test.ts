import type { Response } from "supertest";
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
  problemOf,
  type Caller,
} from "../testing/clientApplicationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

// Slow stream reads make concurrent commands all read the stream before any of them appends,
// as they would against a networked event store; without it SQLite would serialise them.
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ eventStoreLatencyMs: 20 });
});
afterAll(async () => {
  await t.close();
});

const outcomes = (responses: readonly Response[]): string[] =>
  responses.map((response) => (response.status < 300 ? String(response.status) : `${response.status} ${problemOf(response).code}`)).sort();

const givenClientId = async (caller: Caller): Promise<string> => (await givenClient(t, caller)).body.clientId as string;

describe("concurrent writes", () => {
  it("lets exactly one of ten concurrent registrations of one client id win; the others get 409", async () => {
    const caller = await newCaller(t);
    const clientId = newClientId("race");

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        createClient(t, caller.auth, confidentialClient({ clientId, displayName: `Racer ${index}` })),
      ),
    );

    expect(outcomes(responses)).toEqual(["201", ...Array.from({ length: 9 }, () => "409 client_already_exists")]);
    const winner = responses.find((response) => response.status === 201);
    const stored = await getClient(t, caller.auth, clientId);
    expect(stored.headers.etag).toBe('"0"');
    expect(stored.body.displayName).toBe(winner?.body.displayName);
    expect(stored.body.secrets).toEqual(winner?.body.secrets);
    expect((await listClients(t, caller.auth)).body).toHaveLength(1);
  });

  it("lets exactly one of several PUTs with the same If-Match win; the others get 412", async () => {
    const caller = await newCaller(t);
    const clientId = await givenClientId(caller);

    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        t
          .http()
          .put(clientPath(clientId))
          .set("Authorization", caller.auth)
          .set("If-Match", '"0"')
          .send({ displayName: `Writer ${index}` }),
      ),
    );

    expect(outcomes(responses)).toEqual(["200", ...Array.from({ length: 5 }, () => "412 precondition_failed")]);
    const winner = responses.find((response) => response.status === 200);
    const stored = await getClient(t, caller.auth, clientId);
    expect([stored.headers.etag, stored.body.displayName]).toEqual(['"1"', winner?.body.displayName]);
  });

  it("loses none of several concurrent patches of different members sent without If-Match", async () => {
    const caller = await newCaller(t);
    const clientId = await givenClientId(caller);
    const before = (await getClient(t, caller.auth, clientId)).body as Record<string, unknown>;
    const patches = [
      { displayName: "Concurrent" },
      { description: "Patched concurrently" },
      { scopes: ["c"] },
      { skipAuthorization: true },
      { redirectUris: ["https://concurrent.example.com/cb"] },
    ];

    const responses = await Promise.all(
      patches.map((patch) => t.http().patch(clientPath(clientId)).set("Authorization", caller.auth).send(patch)),
    );

    expect(outcomes(responses)).toEqual(patches.map(() => "200"));
    const stored = await getClient(t, caller.auth, clientId);
    expect(stored.headers.etag).toBe(`"${patches.length}"`);
    expect(stored.body).toEqual({ ...before, ...Object.assign({}, ...patches) });
  });

  it("deletes a client once when several DELETEs race; the others get 404", async () => {
    const caller = await newCaller(t);
    const clientId = await givenClientId(caller);

    const responses = await Promise.all(
      Array.from({ length: 4 }, () => t.http().delete(clientPath(clientId)).set("Authorization", caller.auth)),
    );

    expect(outcomes(responses)).toEqual(["204", ...Array.from({ length: 3 }, () => "404 client_deleted")]);
    expect((await getClient(t, caller.auth, clientId)).status).toBe(404);
  });
});
