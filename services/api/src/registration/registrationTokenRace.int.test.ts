import { afterAll, beforeAll, expect, it } from "vitest";
import { newCaller } from "../testing/clientApplicationRequests.js";
import { givenRegistration, manage, minimalMetadata } from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

// Slowed stream reads make the two requests check the token before either writes, as on a busy server.
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ eventStoreLatencyMs: 30 });
});
afterAll(() => t.close());

it("lets one registration access token be used for one update: a second use racing the first fails", async () => {
  const caller = await newCaller(t);
  const registered = await givenRegistration(t, caller.auth);
  const update = (name: string) =>
    manage(t, "put", registered.path, registered.token, { ...minimalMetadata(), client_id: registered.clientId, client_name: name });

  const answers = await Promise.all([update("first"), update("second")]);
  const statuses = answers.map((answer) => answer.status).sort();
  expect(statuses, JSON.stringify(answers.map((answer) => answer.body))).toEqual([200, 409]);
  // Only the winner's new token works; the old one and the loser's hopes are gone.
  const winner = answers.find((answer) => answer.status === 200)!;
  expect((await manage(t, "get", registered.path, registered.token)).status).toBe(401);
  expect((await manage(t, "get", registered.path, `Bearer ${winner.body.registration_access_token as string}`)).status).toBe(200);
});

it("refuses the registration access token while its client is deactivated, like every other credential of it", async () => {
  const caller = await newCaller(t);
  const registered = await givenRegistration(t, caller.auth);
  expect(
    (await t.http().patch(`/api/v1/clientapplications/${registered.clientId}`).set("Authorization", caller.auth).send({ isActive: false }))
      .status,
  ).toBe(200);
  expect((await manage(t, "get", registered.path, registered.token)).status).toBe(401);
  expect(
    (await t.http().patch(`/api/v1/clientapplications/${registered.clientId}`).set("Authorization", caller.auth).send({ isActive: true }))
      .status,
  ).toBe(200);
  expect((await manage(t, "get", registered.path, registered.token)).status).toBe(200);
});
