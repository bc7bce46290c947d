import { generateCredential } from "@clientapps/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, listClients, newCaller, positionOf } from "../testing/clientApplicationRequests.js";
import { eventTypesOf } from "../testing/credentialRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { expectInvalidToken, givenRegistration, manage, minimalMetadata, registrationPath } from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

const methods = ["get", "put", "delete"] as const;

/** A body a PUT would accept from the right caller, so only the token decides. */
const updateFor = (clientId: string) => ({ ...minimalMetadata(), client_id: clientId });

describe("RFC 7592 delete (§2.3)", () => {
  it("deletes the client: 204, then its token is refused and the REST API no longer finds it", async () => {
    const caller = await newCaller(t);
    const registered = await givenRegistration(t, caller.auth);

    const response = await manage(t, "delete", registered.path, registered.token);

    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    expectInvalidToken(await manage(t, "get", registered.path, registered.token));
    expectInvalidToken(await manage(t, "delete", registered.path, registered.token));
    const resource = await t
      .http()
      .get(clientPath(registered.clientId))
      .set("Authorization", caller.auth)
      .set("X-Min-Position", positionOf(response));
    expectProblem(resource, 404, "client_not_found");
    const list = await listClients(t, caller.auth).set("X-Min-Position", positionOf(response));
    expect(list.body).toEqual([]);
    expect(await eventTypesOf(t, caller.workspaceId, registered.clientId)).toEqual(["ClientRegistered", "ClientDeleted"]);
  });

  it("refuses the token of a client an admin deleted through the REST API", async () => {
    const caller = await newCaller(t);
    const registered = await givenRegistration(t, caller.auth);

    expect((await t.http().delete(clientPath(registered.clientId)).set("Authorization", caller.auth)).status).toBe(204);

    expectInvalidToken(await manage(t, "get", registered.path, registered.token));
  });
});

describe("RFC 7592 authentication (§2, RFC 6750 §3)", () => {
  it.each(methods)("answers %s without a token with 401 invalid_token", async (method) => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);

    expectInvalidToken(await manage(t, method, registered.path, undefined, method === "put" ? updateFor(registered.clientId) : undefined));
  });

  it.each(methods)("answers %s with a malformed or unknown token with 401 invalid_token", async (method) => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);
    const body = method === "put" ? updateFor(registered.clientId) : undefined;

    for (const token of [
      "Bearer not-a-token",
      `Bearer ${generateCredential("registrationAccessToken")}`,
      `Basic ${registered.token.slice(7)}`,
      "Bearer",
    ]) {
      expectInvalidToken(await manage(t, method, registered.path, token, body));
    }
  });

  it.each(methods)("answers %s with another client's token with 401 invalid_token, and leaves the client alone", async (method) => {
    const caller = await newCaller(t);
    const mine = await givenRegistration(t, caller.auth);
    const theirs = await givenRegistration(t, caller.auth);

    expectInvalidToken(await manage(t, method, mine.path, theirs.token, method === "put" ? updateFor(mine.clientId) : undefined));

    expect((await manage(t, "get", mine.path, mine.token)).status).toBe(200);
    expect(await eventTypesOf(t, caller.workspaceId, mine.clientId)).toEqual(["ClientRegistered"]);
  });

  it.each(methods)("answers %s on an unknown client id with 401 invalid_token, whatever the token", async (method) => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);
    const unknown = `${registrationPath}/dcr_000000000000000000000000`;

    expectInvalidToken(
      await manage(t, method, unknown, registered.token, method === "put" ? updateFor("dcr_000000000000000000000000") : undefined),
    );
  });

  it.each(methods)("does not take an admin token for %s: only the registration access token manages a registration", async (method) => {
    const caller = await newCaller(t);
    const registered = await givenRegistration(t, caller.auth);

    expectInvalidToken(
      await manage(t, method, registered.path, caller.auth, method === "put" ? updateFor(registered.clientId) : undefined),
    );

    expect(await eventTypesOf(t, caller.workspaceId, registered.clientId)).toEqual(["ClientRegistered"]);
  });

  it("does not take the client's own secret as a registration access token", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);

    expectInvalidToken(await manage(t, "get", registered.path, `Bearer ${registered.clientSecret!}`));
  });

  it("does not take a registration access token for the REST API", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);

    expectProblem(await t.http().get(clientPath(registered.clientId)).set("Authorization", registered.token), 401, "invalid_token");
  });

  it("says why in the challenge, with the error code", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);

    const response = await manage(t, "get", registered.path, `Bearer ${generateCredential("registrationAccessToken")}`);

    expectInvalidToken(response);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="clientapps", error="invalid_token"');
    expect(response.headers["cache-control"]).toBe("no-store");
  });
});
