import { describe, expect, it } from "vitest";
import { ClientApplicationLimits } from "./limits.js";
import { redirectUriProblem, redirectUriViolations } from "./redirectUri.js";

/** An https URI exactly `length` characters long. */
const httpsUriOfLength = (length: number): string => {
  const start = "https://app.example.com/";
  return start + "a".repeat(length - start.length);
};

describe("redirectUriProblem", () => {
  it.each([
    ["https with a path", "https://app.example.com/callback"],
    ["https with a query and a port", "https://app.example.com:8443/cb?tenant=1"],
    ["https without a path", "https://app.example.com"],
    ["https on an IPv4 address", "https://203.0.113.7/cb"],
    ["https on an internationalised name in punycode", "https://xn--bcher-kva.example/cb"],
    ["http on 127.0.0.1 with a port", "http://127.0.0.1:8080/cb"],
    ["http on 127.0.0.1 without a port", "http://127.0.0.1/cb"],
    ["http on 127.0.0.1 with the highest port", "http://127.0.0.1:65535/cb"],
    ["http on [::1]", "http://[::1]/cb"],
    ["http on [::1] with a port", "http://[::1]:51004/cb"],
    ["a reverse-domain private-use scheme", "com.example.app:/callback"],
    ["a reverse-domain private-use scheme with an authority", "com.example.app://oauth/callback"],
    ["a private-use scheme with digits and dashes", "io.my-app2.ios:/cb"],
    [`a URI of ${ClientApplicationLimits.redirectUriMaxLength} characters`, httpsUriOfLength(ClientApplicationLimits.redirectUriMaxLength)],
  ])("accepts %s: %s", (_, uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });

  it.each([
    ["", "empty"],
    [httpsUriOfLength(ClientApplicationLimits.redirectUriMaxLength + 1), "too_long"],
    [" https://app.example.com/cb", "whitespace"],
    ["https://app.example.com/cb ", "whitespace"],
    ["https://app.example.com/c b", "whitespace"],
    ["https://app.example.com/c\tb", "whitespace"],
    ["https://app.example.com/cb\n", "whitespace"],
    ["https://app.example.com/cb#section", "fragment"],
    ["https://app.example.com/cb#", "fragment"],
    ["com.example.app:/cb#x", "fragment"],
    ["/callback", "not_absolute"],
    ["callback", "not_absolute"],
    ["//app.example.com/callback", "not_absolute"],
    ["https://", "not_absolute"],
    ["http://localhost/cb", "localhost"],
    ["http://localhost:3000/cb", "localhost"],
    ["http://LOCALHOST:3000/cb", "localhost"],
    ["http://example.com/cb", "insecure_scheme"],
    ["http://127.0.0.1.example.com/cb", "insecure_scheme"],
    ["http://192.168.1.10/cb", "insecure_scheme"],
    ["http://0.0.0.0/cb", "insecure_scheme"],
    ["myapp://cb", "invalid_scheme"],
    ["myapp:/cb", "invalid_scheme"],
    ["ftp://files.example.com/cb", "invalid_scheme"],
    ["urn:ietf:wg:oauth:2.0:oob", "invalid_scheme"],
    ["javascript:alert(1)", "dangerous_scheme"],
    ["JavaScript:alert(1)", "dangerous_scheme"],
    ["javascript://app.example.com/%0Aalert(1)", "dangerous_scheme"],
    ["data:text/html,<script>alert(1)</script>", "dangerous_scheme"],
    ["file:///etc/passwd", "dangerous_scheme"],
    ["vbscript:msgbox(1)", "dangerous_scheme"],
  ])("refuses %j with %s", (uri, code) => {
    expect(redirectUriProblem(uri)?.code).toBe(code);
  });

  // Each of these was accepted before: loopback in disguise, hosts that are not what
  // they look like, and characters that hide what the URI is.
  it.each([
    ["http://2130706433/cb", "insecure_scheme", "127.0.0.1 as one decimal number"],
    ["http://0x7f000001/cb", "insecure_scheme", "127.0.0.1 in hexadecimal"],
    ["http://127.1/cb", "insecure_scheme", "127.0.0.1 shortened"],
    ["http://0177.0.0.1/cb", "insecure_scheme", "127.0.0.1 in octal"],
    ["https://good.example.com@evil.example.com/cb", "userinfo", "user information that reads like the host"],
    ["https://@evil.example.com/cb", "userinfo", "empty user information"],
    ["https://evil.example.com\\@good.example.com/cb", "backslash", "a backslash that parsers read as a slash"],
    ["https://app.example.com/c\u0000b", "invalid_characters", "a NUL in the path"],
    ["https://app.example.com/c\u0001b", "invalid_characters", "U+0001 in the path"],
    ["https://app.example.com/\u202Ebc", "invalid_characters", "a right-to-left override in the path"],
    ["https://app.example.com/c\u200Bb", "invalid_characters", "a zero-width space"],
    ["https:example.com/cb", "no_authority", "no authority"],
    ["https:///example.com", "no_host", "an empty authority"],
    ["https://*.example.com/cb", "wildcard_host", "a wildcard host"],
    ["https://APP.EXAMPLE.COM/cb", "invalid_host", "a host in capitals"],
    ["HTTPS://app.example.com/cb", "not_normalized", "a scheme in capitals"],
    ["https://app.example.com:443/cb", "not_normalized", "the default port"],
    ["https://app.example.com/a/../cb", "not_normalized", "dot segments"],
    ["https://app.example.com/caf\u00e9", "not_normalized", "a character that must be percent-encoded"],
    ["https://b\u00fccher.example/cb", "invalid_host", "an internationalised name not in punycode"],
    ["https://%65vil.example.com/cb", "invalid_host", "a percent-encoded host"],
    ["https://2130706433/cb", "invalid_host", "an IPv4 address as one number"],
  ])("refuses %j with %s: %s", (uri, code) => {
    expect(redirectUriProblem(uri)?.code).toBe(code);
  });

  it("names the normal form to write instead", () => {
    expect(redirectUriProblem("https://app.example.com:443/cb")?.message).toContain("https://app.example.com/cb");
  });

  it("explains a refusal in words", () => {
    expect(redirectUriProblem("http://localhost/cb")?.message).toMatch(/127\.0\.0\.1/);
  });
});

describe("redirectUriViolations", () => {
  it("names each offending URI by its position", () => {
    expect(
      redirectUriViolations(["https://a.example/cb", "http://a.example/cb", "https://a.example/cb", "https://a.example/x#y"]).map(
        ({ field, code }) => ({ field, code }),
      ),
    ).toEqual([
      { field: "redirectUris/1", code: "insecure_scheme" },
      { field: "redirectUris/2", code: "duplicate" },
      { field: "redirectUris/3", code: "fragment" },
    ]);
  });

  it("compares URIs as exact strings: a path in another case is another URI", () => {
    expect(redirectUriViolations(["https://a.example/cb", "https://a.example/CB"])).toEqual([]);
  });

  it(`refuses more than ${ClientApplicationLimits.redirectUrisMaxCount} URIs`, () => {
    const uris = Array.from({ length: ClientApplicationLimits.redirectUrisMaxCount + 1 }, (_, i) => `https://a.example/${i}`);
    expect(redirectUriViolations(uris).map(({ field, code }) => ({ field, code }))).toEqual([{ field: "redirectUris", code: "too_many" }]);
  });
});
