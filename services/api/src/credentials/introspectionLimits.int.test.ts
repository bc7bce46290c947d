import { generateCredential } from "@clientapps/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confidentialClient, givenClient, newCaller } from "../testing/clientApplicationRequests.js";
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

const givenCallerWithClient = async () => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller, confidentialClient());
  return { caller, clientId: created.body.clientId as string, secret: created.body.clientSecret as string };
};

const expectRetryAfterWithinAMinute = (response: Awaited<ReturnType<typeof introspect>>): void => {
  expectProblem(response, 429, "rate_limited");
  expect(Number(response.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers["retry-after"])).toBeLessThanOrEqual(60);
};

describe("introspection failure limits", () => {
  it("still answers active: true about a valid key after 25 garbage tokens from the same caller", async () => {
    const { caller, clientId } = await givenCallerWithClient();
    const { key } = await givenApiKey(t, caller, clientId);
    for (let attempt = 1; attempt <= 25; attempt++) {
      const garbage = attempt % 2 === 0 ? generateCredential("apiKey") : `not-a-credential-${attempt}`;
      expect((await introspect(t, caller.auth, { token: garbage })).body, `attempt ${attempt}`).toStrictEqual({ active: false });
    }

    expect((await introspect(t, caller.auth, { token: key })).body.active).toBe(true);
  });

  it("answers 429 with Retry-After to a credential that failed 20 times in a minute, whoever asks; takes it after the minute", async () => {
    const { caller, clientId, secret } = await givenCallerWithClient();
    const failing = { token: generateCredential("apiKey") };
    for (let attempt = 1; attempt <= 20; attempt++) {
      expect((await introspect(t, caller.auth, failing)).body, `attempt ${attempt}`).toStrictEqual({ active: false });
    }

    expectRetryAfterWithinAMinute(await introspect(t, caller.auth, failing));
    expectRetryAfterWithinAMinute(await introspect(t, await t.bearer(caller.workspaceId, ["clientapps:read"]), failing));
    expect((await introspect(t, caller.auth, { token: secret, client_id: clientId })).body.active).toBe(true);

    t.advance(61_000);
    expect((await introspect(t, caller.auth, failing)).body).toStrictEqual({ active: false });
  });

  it("refuses guessing one client's secret after 50 failures, and never refuses its real secret", async () => {
    const { caller, clientId, secret } = await givenCallerWithClient();
    for (let attempt = 1; attempt <= 50; attempt++) {
      const guess = { token: generateCredential("clientSecret"), client_id: clientId };
      expect((await introspect(t, caller.auth, guess)).body, `attempt ${attempt}`).toStrictEqual({ active: false });
    }

    expectRetryAfterWithinAMinute(await introspect(t, caller.auth, { token: generateCredential("clientSecret"), client_id: clientId }));
    expect((await introspect(t, caller.auth, { token: secret, client_id: clientId })).body.active).toBe(true);
    const other = await givenCallerWithClient();
    const guessOther = { token: generateCredential("clientSecret"), client_id: other.clientId };
    expect((await introspect(t, other.caller.auth, guessOther)).body).toStrictEqual({ active: false });
  });

  it("does not count successful introspections", async () => {
    const { caller, clientId, secret } = await givenCallerWithClient();
    const failing = { token: generateCredential("apiKey") };
    const valid = { token: secret, client_id: clientId };
    for (let attempt = 1; attempt <= 19; attempt++) expect((await introspect(t, caller.auth, failing)).status).toBe(200);
    for (let attempt = 1; attempt <= 25; attempt++) expect((await introspect(t, caller.auth, valid)).body.active).toBe(true);

    expect((await introspect(t, caller.auth, failing)).body).toStrictEqual({ active: false });
    expectProblem(await introspect(t, caller.auth, failing), 429, "rate_limited");
  });

  it("shares the count between two api instances on the same data", async () => {
    const second = await startTestApi({ dataDir: t.dataDir, pepper: t.pepper, now: t.now() });
    try {
      const { caller } = await givenCallerWithClient();
      const failing = { token: generateCredential("apiKey") };
      for (let attempt = 1; attempt <= 20; attempt++) {
        const instance = attempt % 2 === 0 ? t : second;
        expect((await introspect(instance, caller.auth, failing)).body, `attempt ${attempt}`).toStrictEqual({ active: false });
      }

      expectRetryAfterWithinAMinute(await introspect(second, caller.auth, failing));
      expectRetryAfterWithinAMinute(await introspect(t, caller.auth, failing));
    } finally {
      await second.close();
    }
  });
});
