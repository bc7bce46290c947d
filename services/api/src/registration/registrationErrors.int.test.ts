import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCaller } from "../testing/clientApplicationRequests.js";
import {
  expectRegistrationError,
  minimalMetadata,
  register,
  registrationPath,
  sampleJwks,
  unsignedJwt,
} from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
let auth: string;
beforeAll(async () => {
  t = await startTestApi();
  auth = (await newCaller(t)).auth;
});
afterAll(async () => {
  await t.close();
});

describe("RFC 7591 registration errors (§3.2.2)", () => {
  it.each([
    ["a redirect URI with a fragment", { redirect_uris: ["https://app.example.com/callback#section"] }],
    ["a plain-http redirect URI off the loopback interface", { redirect_uris: ["http://app.example.com/callback"] }],
    ["http://localhost rather than the loopback IP literal", { redirect_uris: ["http://localhost:8080/callback"] }],
    ["a relative redirect URI", { redirect_uris: ["/callback"] }],
    ["a javascript: redirect URI", { redirect_uris: ["javascript:alert(1)"] }],
    ["the same redirect URI twice", { redirect_uris: ["https://app.example.com/cb", "https://app.example.com/cb"] }],
    ["no redirect URI for the default authorization_code grant", {}],
    ["no redirect URI for an explicit authorization_code grant", { grant_types: ["authorization_code"], response_types: ["code"] }],
    ["an empty redirect URI list", { redirect_uris: [] }],
    ["a public client without a redirect URI", { token_endpoint_auth_method: "none" }],
  ])("answers invalid_redirect_uri to %s", async (_case, metadata) => {
    expectRegistrationError(await register(t, auth, metadata), 400, "invalid_redirect_uri");
  });

  it.each([
    ["response_types token (the implicit flow)", { response_types: ["token"] }],
    ["response_types code token", { response_types: ["code", "token"] }],
    ["an unknown response type", { response_types: ["code", "id_token"] }],
    [
      "the code response type without the authorization_code grant",
      { grant_types: ["client_credentials"], response_types: ["code"], redirect_uris: undefined },
    ],
    ["the authorization_code grant without the code response type", { grant_types: ["authorization_code"], response_types: [] }],
    ["an unknown token_endpoint_auth_method", { token_endpoint_auth_method: "magic_link" }],
    ["the implicit grant", { grant_types: ["implicit"] }],
    ["the password grant", { grant_types: ["password", "authorization_code"] }],
    ["an unknown grant type", { grant_types: ["authorization_code", "urn:example:telepathy"] }],
    [
      "'none' together with the client_credentials grant",
      { token_endpoint_auth_method: "none", grant_types: ["client_credentials"], redirect_uris: ["com.example.app:/callback"] },
    ],
    ["a client_uri that is not https", { client_uri: "http://app.example.com" }],
    ["a logo_uri that is not absolute", { logo_uri: "/logo.png" }],
    ["a tos_uri that is not https", { tos_uri: "ftp://app.example.com/tos" }],
    ["a policy_uri that is not https", { policy_uri: "http://app.example.com/privacy" }],
    ["a jwks_uri that is not https", { jwks_uri: "http://app.example.com/jwks.json" }],
    ["jwks together with jwks_uri", { jwks: sampleJwks, jwks_uri: "https://app.example.com/jwks.json" }],
    ["jwks without keys", { jwks: { keys: [] } }],
    ["jwks that is not a JWK Set", { jwks: "https://app.example.com/jwks.json" }],
    ["redirect_uris as a string", { redirect_uris: "https://app.example.com/callback" }],
    ["grant_types as a string", { grant_types: "authorization_code" }],
    ["scope as an array", { scope: ["read", "write"] }],
    ["contacts as a string", { contacts: "ops@example.com" }],
    ["an empty contact", { contacts: [""] }],
    ["client_name as a number", { client_name: 42 }],
    ["an empty client_name", { client_name: "" }],
    ["a client_name of 101 characters", { client_name: "x".repeat(101) }],
    ["a scope that is not a scope token", { scope: 'read "everything"' }],
    ["the same scope twice", { scope: "read read" }],
    ["a software_id of 256 characters", { software_id: "x".repeat(256) }],
    ["a scope that is this API's own admin permission", { scope: "read admin" }],
    ["a scope that is this API's own write permission", { scope: "clientapps:write" }],
  ])("answers invalid_client_metadata to %s", async (_case, metadata) => {
    expectRegistrationError(await register(t, auth, { ...minimalMetadata(), ...metadata }), 400, "invalid_client_metadata");
  });

  it.each([
    ["registration_access_token", "ca_rat_whatever"],
    ["client_id_issued_at", 1_700_000_000],
    ["registration_client_uri", "https://example.com/register/x"],
    ["client_secret_expires_at", 0],
  ])("answers invalid_client_metadata to %s, which only the server issues", async (member, value) => {
    const response = await register(t, auth, { ...minimalMetadata(), [member]: value });

    expectRegistrationError(response, 400, "invalid_client_metadata");
    expect(response.body.error_description).toContain(member);
  });

  it("names the offending members in the RFC's own words", async () => {
    const response = await register(t, auth, { ...minimalMetadata(), client_uri: "http://app.example.com", response_types: ["token"] });

    expectRegistrationError(response, 400, "invalid_client_metadata");
    expect(response.body.error_description).toContain("client_uri");
    expect(response.body.error_description).toContain("response_types");
  });

  it.each([
    ["a value that is not a JWT", "not-a-jwt"],
    ["two parts", "eyJhbGciOiJub25lIn0.eyJzb2Z0d2FyZV9pZCI6IngifQ"],
    ["parts that are not JSON", "bm90IGpzb24.bm90IGpzb24.c2ln"],
    ["characters outside base64url", "eyJhbGciOiJub25lIn0.eyJ+IjoxfQ==.sig"],
  ])("answers invalid_software_statement to %s", async (_case, statement) => {
    expectRegistrationError(
      await register(t, auth, { ...minimalMetadata(), software_statement: statement }),
      400,
      "invalid_software_statement",
    );
  });

  it.each([
    ["an unsigned JWT", unsignedJwt({ alg: "none" }, { software_id: "x" })],
    [
      "a JWT signed by an issuer nobody trusts",
      `${unsignedJwt({ alg: "RS256", kid: "k" }, { iss: "https://evil.example", software_id: "x" })}c2lnbmF0dXJl`,
    ],
  ])("answers unapproved_software_statement to %s", async (_case, statement) => {
    expectRegistrationError(
      await register(t, auth, { ...minimalMetadata(), software_statement: statement }),
      400,
      "unapproved_software_statement",
    );
  });

  it("writes nothing for a refused registration", async () => {
    const head = await t.engines.eventStore.headPosition();

    expectRegistrationError(await register(t, auth, { redirect_uris: ["http://app.example.com/cb"] }), 400, "invalid_redirect_uri");

    expect(await t.engines.eventStore.headPosition()).toEqual(head);
  });

  it("answers a body that is not JSON in the RFC's format too", async () => {
    const malformed = await t
      .http()
      .post(registrationPath)
      .set("Authorization", auth)
      .set("Content-Type", "application/json")
      .send('{"redirect_uris": [');
    expectRegistrationError(malformed, 400, "invalid_client_metadata");

    const array = await register(t, auth, [minimalMetadata()]);
    expectRegistrationError(array, 400, "invalid_client_metadata");
  });

  it("answers a body of another media type in the RFC's format, with its status", async () => {
    const response = await t
      .http()
      .post(registrationPath)
      .set("Authorization", auth)
      .set("Content-Type", "text/plain")
      .send("redirect_uris=x");

    expectRegistrationError(response, 415, "invalid_request");
  });
});
