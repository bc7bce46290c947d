import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientApplicationStreamName } from "@clientapps/domain";
import { clientPath, newCaller, positionOf } from "../testing/clientApplicationRequests.js";
import { eventTypesOf } from "../testing/credentialRequests.js";
import {
  comparable,
  expectInvalidToken,
  expectRegistrationError,
  fullMetadata,
  givenRegistration,
  manage,
  minimalMetadata,
  type Registered,
} from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

/** What the registration response said, less what only it carries. */
const informationOf = (registered: Registered): Record<string, unknown> => {
  const { client_secret: _secret, registration_access_token: _token, ...information } = registered.response.body as Record<string, unknown>;
  return comparable(information);
};

describe("RFC 7592 read (§2.1)", () => {
  it("answers the registration access token with the client's metadata, without its secret or token", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth, fullMetadata());

    const response = await manage(t, "get", registered.path, registered.token);

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers.pragma).toBe("no-cache");
    expect(comparable(response.body)).toEqual(informationOf(registered));
    expect(response.body).not.toHaveProperty("client_secret");
    expect(response.body).not.toHaveProperty("registration_access_token");
  });

  it("reads a public client back without secret members", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth, {
      redirect_uris: ["com.example.app:/callback"],
      token_endpoint_auth_method: "none",
    });

    const response = await manage(t, "get", registered.path, registered.token);

    expect(response.status).toBe(200);
    expect(comparable(response.body)).toEqual(informationOf(registered));
    expect(response.body).not.toHaveProperty("client_secret_expires_at");
  });
});

describe("RFC 7592 update (§2.2)", () => {
  it("replaces the registration: omitted members return to their defaults, and the access token rotates", async () => {
    const caller = await newCaller(t);
    const registered = await givenRegistration(t, caller.auth, fullMetadata());

    const response = await manage(t, "put", registered.path, registered.token, {
      client_id: registered.clientId,
      redirect_uris: ["https://new.example.com/callback"],
    });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(comparable(response.body)).toEqual({
      client_id: registered.clientId,
      client_id_issued_at: registered.response.body.client_id_issued_at,
      client_secret_expires_at: 0,
      registration_access_token: expect.stringMatching(/^ca_rat_/),
      registration_client_uri: registered.path,
      redirect_uris: ["https://new.example.com/callback"],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      client_name: registered.clientId,
    });
    expect(response.body.registration_access_token).not.toBe(registered.response.body.registration_access_token);
    expect(await eventTypesOf(t, caller.workspaceId, registered.clientId)).toEqual([
      "ClientRegistered",
      "ClientUpdated",
      "RegistrationMetadataReplaced",
      "RegistrationTokenRotated",
    ]);
  });

  it("takes every member back, and shows the replacement on the next read", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth, minimalMetadata());
    const replacement = fullMetadata({
      client_name: "Renamed",
      token_endpoint_auth_method: "client_secret_basic",
      software_version: "3.0.0",
    });

    const updated = await manage(t, "put", registered.path, registered.token, { ...replacement, client_id: registered.clientId });

    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject(replacement);
    const read = await manage(t, "get", registered.path, `Bearer ${updated.body.registration_access_token as string}`);
    expect(read.status).toBe(200);
    const { registration_access_token: _token, ...information } = updated.body as Record<string, unknown>;
    expect(comparable(read.body)).toEqual(comparable(information));
  });

  it("refuses the old access token after an update and takes the new one", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);
    const updated = await manage(t, "put", registered.path, registered.token, { ...minimalMetadata(), client_id: registered.clientId });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    const newToken = `Bearer ${updated.body.registration_access_token as string}`;

    expectInvalidToken(await manage(t, "get", registered.path, registered.token));
    expectInvalidToken(await manage(t, "put", registered.path, registered.token, { ...minimalMetadata(), client_id: registered.clientId }));
    expect((await manage(t, "get", registered.path, newToken)).status).toBe(200);
  });

  it("lets the client switch between the secret-based authentication methods", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);

    const response = await manage(t, "put", registered.path, registered.token, {
      ...minimalMetadata(),
      client_id: registered.clientId,
      token_endpoint_auth_method: "client_secret_post",
    });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.token_endpoint_auth_method).toBe("client_secret_post");
  });

  it("accepts the client's current secret in the request, and refuses any other", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);
    const body = { ...minimalMetadata(), client_id: registered.clientId };

    const wrong = await manage(t, "put", registered.path, registered.token, { ...body, client_secret: "ca_secret_not-the-one" });
    expectRegistrationError(wrong, 400, "invalid_client_metadata");
    expect(wrong.body.error_description).toContain("client_secret");

    const right = await manage(t, "put", registered.path, registered.token, { ...body, client_secret: registered.clientSecret });
    expect(right.status, JSON.stringify(right.body)).toBe(200);
    expect(right.body).not.toHaveProperty("client_secret");
  });

  it.each([
    ["without client_id", (_clientId: string) => ({})],
    ["with another client's id", (_clientId: string) => ({ client_id: "dcr_someoneelse" })],
    ["with an empty client_id", (_clientId: string) => ({ client_id: "" })],
    ["with registration_access_token", (clientId: string) => ({ client_id: clientId, registration_access_token: "ca_rat_x" })],
    ["with client_id_issued_at", (clientId: string) => ({ client_id: clientId, client_id_issued_at: 1 })],
    ["with registration_client_uri", (clientId: string) => ({ client_id: clientId, registration_client_uri: "https://example.com" })],
    ["with client_secret_expires_at", (clientId: string) => ({ client_id: clientId, client_secret_expires_at: 0 })],
    ["moving a confidential client to 'none'", (clientId: string) => ({ client_id: clientId, token_endpoint_auth_method: "none" })],
    ["with invalid metadata", (clientId: string) => ({ client_id: clientId, client_uri: "http://app.example.com" })],
  ])("answers 400 invalid_client_metadata to an update %s, and changes nothing", async (_case, bodyFor) => {
    const caller = await newCaller(t);
    const registered = await givenRegistration(t, caller.auth, minimalMetadata({ client_name: "Before" }));

    const response = await manage(t, "put", registered.path, registered.token, { ...minimalMetadata(), ...bodyFor(registered.clientId) });

    expectRegistrationError(response, 400, "invalid_client_metadata");
    const read = await manage(t, "get", registered.path, registered.token);
    expect(read.status).toBe(200);
    expect(comparable(read.body)).toEqual(informationOf(registered));
    expect(await eventTypesOf(t, caller.workspaceId, registered.clientId)).toEqual(["ClientRegistered"]);
  });

  it("refuses to make a public client confidential", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth, {
      redirect_uris: ["com.example.app:/callback"],
      token_endpoint_auth_method: "none",
    });

    const response = await manage(t, "put", registered.path, registered.token, {
      client_id: registered.clientId,
      redirect_uris: ["com.example.app:/callback"],
      token_endpoint_auth_method: "client_secret_basic",
    });

    expectRegistrationError(response, 400, "invalid_client_metadata");
  });

  it("answers invalid_redirect_uri to an update that drops every redirect URI of an authorization_code client", async () => {
    const registered = await givenRegistration(t, (await newCaller(t)).auth);

    const response = await manage(t, "put", registered.path, registered.token, { client_id: registered.clientId });

    expectRegistrationError(response, 400, "invalid_redirect_uri");
    expect((await manage(t, "get", registered.path, registered.token)).status).toBe(200);
  });

  it("shows an update to the REST API", async () => {
    const caller = await newCaller(t);
    const registered = await givenRegistration(t, caller.auth);

    const updated = await manage(t, "put", registered.path, registered.token, {
      client_id: registered.clientId,
      client_name: "Renamed",
      redirect_uris: ["https://new.example.com/callback"],
      scope: "read:organization",
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);

    const resource = await t
      .http()
      .get(clientPath(registered.clientId))
      .set("Authorization", caller.auth)
      .set("X-Min-Position", positionOf(updated));
    expect(resource.status).toBe(200);
    expect(resource.body).toMatchObject({
      displayName: "Renamed",
      redirectUris: ["https://new.example.com/callback"],
      scopes: ["read:organization"],
      isConfidential: true,
    });
  });
});

describe("who RFC 7592 management is recorded as", () => {
  it("records the client managing itself as a registrationToken actor, and the registering credential as an adminToken", async () => {
    const caller = await newCaller(t);
    const registered = await givenRegistration(t, caller.auth);
    const updated = await manage(t, "put", registered.path, registered.token, { ...minimalMetadata(), client_id: registered.clientId });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);

    const events = await t.engines.eventStore.readStream(clientApplicationStreamName(caller.workspaceId, registered.clientId));
    const actors = events.map((event) => event.metadata.actor as { type: string; id: string });
    expect(actors[0]).toMatchObject({ type: "adminToken", id: expect.stringMatching(/^adm_/) });
    expect(actors.slice(1)).toEqual(actors.slice(1).map(() => ({ type: "registrationToken", id: registered.clientId })));
    expect(actors.length).toBeGreaterThan(1);
  });
});
