import type { Response, Test } from "supertest";
import { expect } from "vitest";
import { registrationPath } from "../registration/registrationRoutes.js";
import type { TestApi } from "./testApi.js";

/*
 * Request helpers for the HTTP tests of RFC 7591 registration and RFC 7592
 * management. Like clientApplicationRequests, they build requests and read
 * responses; the tests assert.
 */

export { registrationPath };

type Metadata = Record<string, unknown>;

/** A JWK Set with one public EC key (RFC 7517 §5). */
export const sampleJwks = {
  keys: [
    {
      kty: "EC",
      crv: "P-256",
      kid: "k1",
      use: "sig",
      x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
      y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    },
  ],
};

/** Every RFC 7591 §2 member, with values this server accepts. */
export const fullMetadata = (overrides: Metadata = {}): Metadata => ({
  client_name: "Awork integration",
  redirect_uris: ["https://app.example.com/callback", "http://127.0.0.1:8765/callback"],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_post",
  scope: "read:organization write:projects",
  client_uri: "https://app.example.com",
  logo_uri: "https://app.example.com/logo.png",
  tos_uri: "https://app.example.com/tos",
  policy_uri: "https://app.example.com/privacy",
  contacts: ["ops@example.com", "security@example.com"],
  jwks_uri: "https://app.example.com/jwks.json",
  software_id: "4NRB1-0XZABZI9E6-5SM3R",
  software_version: "2.1.0",
  ...overrides,
});

/** The least a confidential client must send: one redirect URI for the default authorization_code grant. */
export const minimalMetadata = (overrides: Metadata = {}): Metadata => ({
  redirect_uris: ["https://app.example.com/callback"],
  ...overrides,
});

/** POST /register; with `auth` undefined, no Authorization header is sent. */
export const register = (t: TestApi, auth: string | undefined, body: unknown): Test => {
  const request = t.http().post(registrationPath);
  if (auth !== undefined) request.set("Authorization", auth);
  return request.send(body as object);
};

export type Registered = Readonly<{
  response: Response;
  clientId: string;
  clientSecret: string | undefined;
  /** `Bearer <registration access token>`. */
  token: string;
  /** The path of registration_client_uri, for supertest. */
  path: string;
}>;

/** The path (for supertest) of an absolute registration_client_uri. */
export const pathOf = (registrationClientUri: string): string => new URL(registrationClientUri).pathname;

/**
 * Client information with registration_client_uri reduced to its path: supertest serves
 * every request on a new port, and the URI's origin is the one the request came to.
 */
export const comparable = (information: Record<string, unknown>): Record<string, unknown> => ({
  ...information,
  registration_client_uri: pathOf(information.registration_client_uri as string),
});

/** Registers a client and fails loudly when that does not work, for tests about something else. */
export const givenRegistration = async (t: TestApi, auth: string | undefined, body: Metadata = minimalMetadata()): Promise<Registered> => {
  const response = await register(t, auth, body);
  if (response.status !== 201) throw new Error(`registering a client failed: ${response.status} ${JSON.stringify(response.body)}`);
  return {
    response,
    clientId: response.body.client_id as string,
    clientSecret: response.body.client_secret as string | undefined,
    token: `Bearer ${response.body.registration_access_token as string}`,
    path: pathOf(response.body.registration_client_uri as string),
  };
};

/** GET, PUT or DELETE on a registration_client_uri path; with `auth` undefined, no Authorization header is sent. */
export const manage = (t: TestApi, method: "get" | "put" | "delete", path: string, auth: string | undefined, body?: Metadata): Test => {
  const request = t.http()[method](path);
  if (auth !== undefined) request.set("Authorization", auth);
  return body === undefined ? request : request.send(body);
};

/** Asserts an error in the RFC's own format (RFC 7591 §3.2.2): `{error, error_description}` and nothing else. */
export const expectRegistrationError = (response: Response, status: number, error: string): void => {
  expect({ status: response.status, error: response.body.error }, JSON.stringify(response.body)).toEqual({ status, error });
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  expect(response.body).toEqual({ error, error_description: expect.any(String) });
  expect(response.body.error_description).not.toBe("");
};

/** Asserts RFC 6750 §3: a 401 invalid_token with a Bearer challenge. */
export const expectInvalidToken = (response: Response): void => {
  expectRegistrationError(response, 401, "invalid_token");
  expect(response.headers["www-authenticate"]).toMatch(/^Bearer realm="clientapps"/);
};

/** A JWS compact serialisation of these parts, unsigned: well-formed, but nobody vouches for it. */
export const unsignedJwt = (header: object, payload: object): string =>
  `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`;
