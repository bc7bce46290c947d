import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confidentialClient, createClient, fieldsOf, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { expectRegistrationError, minimalMetadata, register } from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

/** Redirect URIs and names crafted to fool a person or a parser are refused over HTTP, in both APIs, naming the field. */

const hostileRedirectUris: readonly (readonly [string, string])[] = [
  ["a decimal IPv4 host", "http://2130706433/cb"],
  ["a hexadecimal IPv4 host", "http://0x7f000001/cb"],
  ["a shortened IPv4 host", "http://127.1/cb"],
  ["userinfo before the real host", "https://good.example.com@evil.example.com/cb"],
  ["a backslash before userinfo", "https://evil.example.com\\@good.example.com/cb"],
  ["NUL in the path", "https://app.example.com/c\u0000b"],
  ["U+0001 in the path", "https://app.example.com/c\u0001b"],
  ["U+202E in the path", "https://app.example.com/c\u202eb"],
  ["no slashes after the scheme", "https:example.com/cb"],
  ["an empty authority", "https:///example.com"],
  ["a wildcard host", "https://*.example.com/cb"],
];

const hostileNames: readonly (readonly [string, string])[] = [
  ["a C1 control", "Awork\u0085integration"],
  ["U+2028", "Awork\u2028integration"],
  ["U+2029", "Awork\u2029integration"],
  ...["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"].map(
    (bidi) => [`the bidi control U+${bidi.codePointAt(0)?.toString(16).toUpperCase()}`, `Awork${bidi}integration`] as const,
  ),
  ["a zero-width space", "Awork\u200bintegration"],
  ["a zero-width joiner", "Awork\u200dintegration"],
  ["a byte-order mark", "\ufeffAwork integration"],
  ["a lone high surrogate", "Awork \ud800 integration"],
  ["a lone low surrogate", "Awork \udc00 integration"],
];

describe("hostile inputs over HTTP", () => {
  let t: TestApi;
  let caller: Caller;
  beforeAll(async () => {
    t = await startTestApi();
    caller = await newCaller(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(hostileRedirectUris)("the admin API refuses a redirect URI with %s, naming redirectUris/0", async (_what, uri) => {
    const response = await createClient(t, caller.auth, confidentialClient({ redirectUris: [uri] }));

    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toEqual(["redirectUris/0"]);
  });

  it.each(hostileRedirectUris)("RFC 7591 registration refuses a redirect URI with %s as invalid_redirect_uri", async (_what, uri) => {
    const response = await register(t, caller.auth, minimalMetadata({ redirect_uris: [uri] }));

    expectRegistrationError(response, 400, "invalid_redirect_uri");
  });

  it.each(hostileNames)("the admin API refuses a displayName with %s, naming displayName", async (_what, name) => {
    const response = await createClient(t, caller.auth, confidentialClient({ displayName: name }));

    expectProblem(response, 400, "validation_failed");
    expect(fieldsOf(response)).toEqual(["displayName"]);
  });

  it.each(hostileNames)(
    "RFC 7591 registration refuses a client_name with %s as invalid_client_metadata naming client_name",
    async (_what, name) => {
      const response = await register(t, caller.auth, minimalMetadata({ client_name: name }));

      expectRegistrationError(response, 400, "invalid_client_metadata");
      expect(response.body.error_description).toContain("client_name");
    },
  );
});
