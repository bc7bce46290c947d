import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, confidentialClient, givenClient, listClients, newCaller } from "../testing/clientApplicationRequests.js";
import { eventTypesOf } from "../testing/credentialRequests.js";
import {
  fullMetadata,
  givenRegistration,
  minimalMetadata,
  register,
  registrationPath,
  sampleJwks,
} from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

const now = new Date("2026-03-02T08:30:15.750Z");
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now });
});
afterAll(async () => {
  await t.close();
});

describe("RFC 7591 registration", () => {
  it("registers a confidential client: 201 with its credentials, the RFC 7592 handle and every metadata value echoed", async () => {
    const { auth } = await newCaller(t);
    const metadata = fullMetadata();

    const response = await register(t, auth, metadata);

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers.pragma).toBe("no-cache");
    const clientId = response.body.client_id as string;
    const registrationClientUri = response.body.registration_client_uri as string;
    expect(response.body).toEqual({
      ...metadata,
      client_id: expect.any(String),
      client_secret: expect.stringMatching(/^ca_secret_/),
      client_id_issued_at: Math.floor(now.getTime() / 1000),
      client_secret_expires_at: 0,
      registration_access_token: expect.stringMatching(/^ca_rat_/),
      registration_client_uri: expect.any(String),
    });
    expect(clientId).not.toBe("");
    const uri = new URL(registrationClientUri);
    expect(uri.protocol).toBe("http:");
    expect(uri.pathname).toBe(`${registrationPath}/${clientId}`);
    expect(registrationClientUri.endsWith(`/register/${clientId}`)).toBe(true);
    expect(response.headers.location).toBe(registrationClientUri);
  });

  it("echoes a JWK Set given by value", async () => {
    const { auth } = await newCaller(t);
    const { jwks_uri: _jwksUri, ...metadata } = fullMetadata({ jwks: sampleJwks });

    const response = await register(t, auth, metadata);

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.jwks).toEqual(sampleJwks);
    expect(response.body).not.toHaveProperty("jwks_uri");
  });

  it("fills in the RFC 7591 §2 defaults for what the request leaves out", async () => {
    const { auth } = await newCaller(t);

    const response = await register(t, auth, minimalMetadata());

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: ["https://app.example.com/callback"],
      client_secret: expect.stringMatching(/^ca_secret_/),
      client_secret_expires_at: 0,
    });
    for (const absent of [
      "scope",
      "client_uri",
      "logo_uri",
      "tos_uri",
      "policy_uri",
      "contacts",
      "jwks_uri",
      "jwks",
      "software_id",
      "software_version",
    ]) {
      expect(response.body).not.toHaveProperty(absent);
    }
  });

  it("defaults response_types to none of its own for a client without the authorization_code grant", async () => {
    const { auth } = await newCaller(t);

    const response = await register(t, auth, { client_name: "Nightly export", grant_types: ["client_credentials"] });

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({
      grant_types: ["client_credentials"],
      response_types: [],
      token_endpoint_auth_method: "client_secret_basic",
    });
    expect(response.body.client_secret).toMatch(/^ca_secret_/);
  });

  it("ignores metadata members it does not understand (RFC 7591 §2)", async () => {
    const { auth } = await newCaller(t);

    const response = await register(t, auth, {
      ...minimalMetadata(),
      post_logout_redirect_uris: ["https://app.example.com/bye"],
      "client_name#ja-Jpan-JP": "クライアント名",
      frobnicate: { deeply: ["nested"] },
    });

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).not.toHaveProperty("post_logout_redirect_uris");
    expect(response.body).not.toHaveProperty("client_name#ja-Jpan-JP");
    expect(response.body).not.toHaveProperty("frobnicate");
  });

  it("makes a public client for token_endpoint_auth_method none: no secret, and isConfidential false in the API", async () => {
    const caller = await newCaller(t);

    const response = await register(t, caller.auth, {
      client_name: "Mobile app",
      redirect_uris: ["com.example.app:/callback"],
      token_endpoint_auth_method: "none",
    });

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({
      token_endpoint_auth_method: "none",
      registration_access_token: expect.stringMatching(/^ca_rat_/),
    });
    expect(response.body).not.toHaveProperty("client_secret");
    expect(response.body).not.toHaveProperty("client_secret_expires_at");
    const resource = await t
      .http()
      .get(clientPath(response.body.client_id as string))
      .set("Authorization", caller.auth);
    expect(resource.status).toBe(200);
    expect(resource.body).toMatchObject({
      clientId: response.body.client_id,
      displayName: "Mobile app",
      isConfidential: false,
      secrets: [],
    });
  });

  it("shows the client to the REST API as it was registered", async () => {
    const caller = await newCaller(t);
    const registered = await givenRegistration(t, caller.auth, fullMetadata());

    const resource = await t.http().get(clientPath(registered.clientId)).set("Authorization", caller.auth);

    expect(resource.status).toBe(200);
    expect(resource.body).toMatchObject({
      clientId: registered.clientId,
      workspaceId: caller.workspaceId,
      displayName: "Awork integration",
      redirectUris: ["https://app.example.com/callback", "http://127.0.0.1:8765/callback"],
      grantTypes: ["authorization_code", "refresh_token"],
      scopes: ["read:organization", "write:projects"],
      isConfidential: true,
      isActive: true,
      secrets: [
        { id: expect.any(String), fingerprint: `…${registered.clientSecret!.slice(-4)}`, expiresOn: null, createdOn: now.toISOString() },
      ],
    });
  });

  it("lists registered clients together with the ones made through the REST API", async () => {
    const caller = await newCaller(t);
    const made = (await givenClient(t, caller, confidentialClient())).body.clientId as string;
    const registered = await givenRegistration(t, caller.auth, minimalMetadata({ client_name: "Registered" }));

    const list = await listClients(t, caller.auth);

    expect(list.status).toBe(200);
    const ids = (list.body as { clientId: string }[]).map((item) => item.clientId);
    expect(ids.sort()).toEqual([made, registered.clientId].sort());
  });

  it("replays a registration retried with the same Idempotency-Key: same client, same secret, one event", async () => {
    const caller = await newCaller(t);
    const send = () => register(t, caller.auth, fullMetadata()).set("Idempotency-Key", "register-once");

    const first = await send();
    const headAfterFirst = await t.engines.eventStore.headPosition();
    const retried = await send();

    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(retried.status).toBe(201);
    expect(retried.headers["idempotent-replayed"]).toBe("true");
    expect(retried.headers["cache-control"]).toBe("no-store");
    expect(retried.headers.pragma, "a replayed credential is as uncacheable as the first").toBe("no-cache");
    expect(retried.body).toEqual(first.body);
    expect(retried.body.client_secret).toMatch(/^ca_secret_/);
    expect(await t.engines.eventStore.headPosition()).toEqual(headAfterFirst);
    expect(await eventTypesOf(t, caller.workspaceId, first.body.client_id as string)).toEqual(["ClientRegistered"]);
  });

  it("gives every registration its own client id, secret and access token", async () => {
    const { auth } = await newCaller(t);

    const [a, b] = await Promise.all([givenRegistration(t, auth), givenRegistration(t, auth)]);

    expect(a.clientId).not.toBe(b.clientId);
    expect(a.clientSecret).not.toBe(b.clientSecret);
    expect(a.token).not.toBe(b.token);
  });
});
