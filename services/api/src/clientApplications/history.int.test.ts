import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, confidentialClient, getClient, givenClient, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { rotateSecret } from "../testing/credentialRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

const t0 = Date.parse("2026-04-01T08:00:00.000Z");
const minute = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
/** The steps happen one minute apart: created at T0, patched at T1, rotated at T2, deleted at T3. */
const step = (n: number): number => t0 + n * minute;

let t: TestApi;
let caller: Caller;
let clientId: string;
/** What GET answered (body and ETag) right after each step that left the client in place. */
const seen: { body: Record<string, unknown>; etag: string }[] = [];

const read = async (): Promise<void> => {
  const response = await getClient(t, caller.auth, clientId);
  expect(response.status).toBe(200);
  seen.push({ body: response.body as Record<string, unknown>, etag: response.headers.etag as string });
};

const history = (at: string | undefined, auth = caller.auth) => {
  const request = t
    .http()
    .get(`${clientPath(clientId)}/history`)
    .set("Authorization", auth);
  return at === undefined ? request : request.query({ at });
};

beforeAll(async () => {
  t = await startTestApi({ now: new Date(t0) });
  caller = await newCaller(t);
  clientId = (await givenClient(t, caller, confidentialClient({ description: "First" }))).body.clientId as string;
  await read();
  t.advance(minute);
  const patched = await t
    .http()
    .patch(clientPath(clientId))
    .set("Authorization", caller.auth)
    .send({ displayName: "Renamed", description: "Second" });
  expect(patched.status).toBe(200);
  await read();
  t.advance(minute);
  expect((await rotateSecret(t, caller.auth, clientId, { gracePeriodSeconds: 3600 })).status).toBe(200);
  await read();
  t.advance(minute);
  expect((await t.http().delete(clientPath(clientId)).set("Authorization", caller.auth)).status).toBe(204);
});
afterAll(async () => {
  await t.close();
});

describe("GET /api/v1/clientapplications/{clientId}/history?at=", () => {
  it("answers 404 for a moment before the client was created", async () => {
    expectProblem(await history(iso(t0 - 1)), 404, "client_not_found");
  });

  it.each([
    ["at its creation", step(0), 0],
    ["between creation and the patch", step(0) + 30_000, 0],
    ["at the patch", step(1), 1],
    ["between the patch and the rotation", step(1) + 59_999, 1],
    ["between the rotation and the deletion", step(2) + 1, 2],
  ])("shows the client as it was %s", async (_when, at, revision) => {
    const response = await history(iso(at));

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ at: iso(at), revision, status: "existing", clientApplication: seen[revision]!.body, deletedOn: null });
    expect(response.headers.etag).toBe(seen[revision]!.etag);
  });

  it("shows each step's own fields: names, description and secrets as they were then", async () => {
    const states = await Promise.all([step(0), step(1), step(2)].map(async (at) => (await history(iso(at))).body.clientApplication));

    expect(states.map((state) => [state.displayName, state.description, state.secrets.length])).toEqual([
      ["Awork integration", "First", 1],
      ["Renamed", "Second", 1],
      ["Renamed", "Second", 2],
    ]);
    expect(states[2].secrets[0]).toEqual({ ...states[0].secrets[0], expiresOn: iso(step(2) + 3_600_000) });
    expect(states[0].updatedOn).toBe(iso(step(0)));
    expect(states[1].updatedOn).toBe(iso(step(1)));
  });

  it("after the deletion, says it was deleted and when", async () => {
    for (const at of [step(3), step(3) + 86_400_000]) {
      const response = await history(iso(at));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ at: iso(at), revision: 3, status: "deleted", clientApplication: null, deletedOn: iso(step(3)) });
    }
    expectProblem(await getClient(t, caller.auth, clientId), 404, "client_not_found");
  });

  it("accepts a time with an offset", async () => {
    const response = await history("2026-04-01T10:01:30+02:00");
    expect(response.status).toBe(200);
    expect(response.body.revision).toBe(1);
  });

  it.each([
    ["missing", undefined],
    ["not a time", "yesterday"],
    ["a date without a time", "2026-04-01"],
    ["an impossible time", "2026-04-01T25:00:00Z"],
  ])("answers 400 when at is %s", async (_what, at) => {
    const problem = expectProblem(await history(at), 400, "validation_failed");
    expect(problem.errors?.map((error) => error.field)).toEqual(["at"]);
  });

  it("answers 400 to an unknown query parameter", async () => {
    const response = await t
      .http()
      .get(`${clientPath(clientId)}/history`)
      .query({ at: iso(step(1)), at2: "x" })
      .set("Authorization", caller.auth);
    expect(expectProblem(response, 400, "validation_failed").errors?.map((error) => error.field)).toEqual(["at2"]);
  });

  it("answers 404 to another workspace, at every moment", async () => {
    const stranger = await newCaller(t);
    for (const at of [step(0), step(2), step(3)]) expectProblem(await history(iso(at), stranger.auth), 404, "client_not_found");
  });

  it("is readable with the read scope", async () => {
    const reader = await t.bearer(caller.workspaceId, ["clientapps:read"]);
    expect((await history(iso(step(1)), reader)).status).toBe(200);
  });
});
