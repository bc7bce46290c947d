import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsPath } from "../testing/clientApplicationRequests.js";
import { expectRegistrationError, givenRegistration, minimalMetadata, register } from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

const workspaceId = "public-ws";

describe("open registration: anonymous callers", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ registration: { mode: "open", workspaceId } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses Idempotency-Key from anonymous callers (400): a second caller from one address never gets the first's secret", async () => {
    const body = minimalMetadata({ client_name: "Shared address" });
    const first = await register(t, undefined, body).set("Idempotency-Key", "same-key");
    const second = await register(t, undefined, body).set("Idempotency-Key", "same-key");

    for (const response of [first, second]) {
      expectRegistrationError(response, 400, "invalid_request");
      expect(response.body.error_description).toMatch(/Idempotency-Key/);
      expect(JSON.stringify(response.body)).not.toMatch(/ca_secret_|ca_reg_/);
    }
    const admin = await t.bearer(workspaceId);
    const listed = await t.http().get(clientsPath).set("Authorization", admin);
    expect((listed.body as { displayName: string }[]).filter((client) => client.displayName === "Shared address")).toEqual([]);
  });

  it("takes a caller that sends a credential as that caller: its own workspace, and Idempotency-Key as on every POST", async () => {
    const auth = await t.bearer("own-ws", ["clientapps:register"]);
    const body = minimalMetadata({ client_name: "Registered with a credential" });
    const first = await register(t, auth, body).set("Idempotency-Key", "own-key");
    const retried = await register(t, auth, body).set("Idempotency-Key", "own-key");

    expect([first.status, retried.status]).toEqual([201, 201]);
    expect(retried.body.client_id).toBe(first.body.client_id);
    const admin = await t.bearer("own-ws");
    expect(
      (
        await t
          .http()
          .get(`${clientsPath}/${String(first.body.client_id)}`)
          .set("Authorization", admin)
      ).status,
    ).toBe(200);
  });

  it("refuses a credential that is not one, rather than registering its caller anonymously", async () => {
    expect((await register(t, "Bearer ca_key_notarealkey", minimalMetadata())).status).toBe(401);
  });

  it("still registers anonymous callers without Idempotency-Key", async () => {
    expect((await givenRegistration(t, undefined)).clientSecret).toMatch(/^ca_secret_/);
  });
});

describe("open registration: the per-address limit", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ registration: { mode: "open", workspaceId, registrationsPerMinute: 3 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("answers 429 with Retry-After once an address registered its limit in a minute, and registers again after it", async () => {
    for (let attempt = 1; attempt <= 3; attempt++) await givenRegistration(t, undefined);

    const limited = await register(t, undefined, minimalMetadata());
    expectRegistrationError(limited, 429, "invalid_request");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);

    t.advance(61_000);
    expect((await register(t, undefined, minimalMetadata())).status).toBe(201);
  });
});
