/*
 * Interoperability: a real OAuth client library, written by others, registers against the
 * running service (RFC 7591) and reads its registration back (RFC 7592).
 *
 * The library is openid-client 5.x (panva; OpenID-certified for Dynamic Client Registration).
 * It is chosen over the newer 6.x line because 6.x registers only after discovering
 * /.well-known metadata (which this service does not serve) and has no RFC 7592 read at all,
 * while 5.x offers both halves directly: an Issuer built from known metadata,
 * `Client.register(metadata, { initialAccessToken })` and `Client.fromUri(uri, token)`.
 * It sends plain http to a loopback issuer without any option, so the real app listens
 * on 127.0.0.1 on an ephemeral port, and the library talks to it over real sockets.
 */
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { errors, Issuer, type BaseClient } from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPath, confidentialClient, givenClient, newCaller } from "../testing/clientApplicationRequests.js";
import { givenApiKey, secretIsActive } from "../testing/credentialRequests.js";
import { fullMetadata, registrationPath } from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

const now = new Date("2026-05-20T07:45:00.000Z");
let t: TestApi;
let server: Server;
let base: string;
/** The issuer's Client class. Its typings (5.x) leave out the static register and fromUri it has, which BaseClient declares. */
let Client: typeof BaseClient;

beforeAll(async () => {
  t = await startTestApi({ now });
  server = t.api.app.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = new Issuer({ issuer: base, registration_endpoint: `${base}${registrationPath}` });
  Client = issuer.Client as unknown as typeof BaseClient;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  await t.close();
});

/** The bearer value of an `Authorization: Bearer …` header the test harness hands out. */
const tokenOf = (authorization: string): string => authorization.slice("Bearer ".length);

/** The metadata a registration returns that a read returns as well: no secret, no access token. */
const readableOf = (client: BaseClient): Record<string, unknown> => {
  const { client_secret: _secret, registration_access_token: _token, ...readable } = client.metadata;
  return readable;
};

const rejectionOf = async (promise: Promise<unknown>): Promise<errors.OPError> => {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(errors.OPError);
  return outcome as errors.OPError;
};

describe("openid-client against the running service", () => {
  it("registers a confidential client with an admin token as the initial access token, and reads it back", async () => {
    const caller = await newCaller(t);
    const metadata = fullMetadata();

    const client = await Client.register({ ...metadata }, { initialAccessToken: tokenOf(caller.auth) });

    const clientId = client.metadata.client_id;
    expect(clientId).toMatch(/^dcr_/);
    expect(client.metadata).toMatchObject({
      ...metadata,
      client_id: clientId,
      client_secret: expect.stringMatching(/^ca_secret_/),
      client_secret_expires_at: 0,
      client_id_issued_at: Math.floor(now.getTime() / 1000),
      registration_access_token: expect.stringMatching(/^ca_rat_/),
      registration_client_uri: `${base}${registrationPath}/${clientId}`,
    });
    expect(await secretIsActive(t, caller, clientId, client.metadata.client_secret!)).toBe(true);
    const resource = await t.http().get(clientPath(clientId)).set("Authorization", caller.auth);
    expect(resource.body).toMatchObject({
      clientId,
      displayName: metadata.client_name,
      isConfidential: true,
      workspaceId: caller.workspaceId,
    });

    const read = await Client.fromUri(
      client.metadata.registration_client_uri as string,
      client.metadata.registration_access_token as string,
    );

    expect(read.metadata).toEqual(readableOf(client));
    expect(read.metadata).not.toHaveProperty("client_secret");
  });

  it("registers a public client with a clientapps:register API key as the initial access token", async () => {
    const admin = await newCaller(t);
    const owner = (await givenClient(t, admin, confidentialClient())).body.clientId as string;
    const { key } = await givenApiKey(t, admin, owner, { name: "initial access token", scopes: ["clientapps:register"] });

    const client = await Client.register(
      {
        client_name: "Native app",
        redirect_uris: ["com.example.app:/callback", "http://127.0.0.1/callback"],
        token_endpoint_auth_method: "none",
      },
      { initialAccessToken: key },
    );

    expect(client.metadata).toMatchObject({
      client_name: "Native app",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: ["com.example.app:/callback", "http://127.0.0.1/callback"],
    });
    expect(client.metadata.client_secret).toBeUndefined();
    expect(client.metadata).not.toHaveProperty("client_secret_expires_at");
    const read = await Client.fromUri(
      client.metadata.registration_client_uri as string,
      client.metadata.registration_access_token as string,
    );
    expect(read.metadata).toEqual(readableOf(client));
  });

  it("hands the library our refusals in a form it understands", async () => {
    const { auth } = await newCaller(t);

    const badRedirect = await rejectionOf(
      Client.register({ redirect_uris: ["https://app.example.com/cb#fragment"] }, { initialAccessToken: tokenOf(auth) }),
    );
    expect(badRedirect.error).toBe("invalid_redirect_uri");
    expect(badRedirect.error_description).toContain("redirect_uris");

    const badMetadata = await rejectionOf(
      Client.register({ redirect_uris: ["https://app.example.com/cb"], response_types: ["token"] }, { initialAccessToken: tokenOf(auth) }),
    );
    expect(badMetadata.error).toBe("invalid_client_metadata");

    const unauthenticated = await rejectionOf(Client.register({ redirect_uris: ["https://app.example.com/cb"] }));
    expect(unauthenticated.error).toBe("invalid_token");
  });

  it("reads nothing back with a token that is not the client's", async () => {
    const { auth } = await newCaller(t);
    const mine = await Client.register({ redirect_uris: ["https://app.example.com/cb"] }, { initialAccessToken: tokenOf(auth) });
    const theirs = await Client.register({ redirect_uris: ["https://app.example.com/cb"] }, { initialAccessToken: tokenOf(auth) });

    const refused = await rejectionOf(
      Client.fromUri(mine.metadata.registration_client_uri as string, theirs.metadata.registration_access_token as string),
    );

    expect(refused.error).toBe("invalid_token");
  });
});
