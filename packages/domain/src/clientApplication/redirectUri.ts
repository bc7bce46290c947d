import type { FieldViolation } from "../decider.js";
import { ClientApplicationLimits } from "./limits.js";
import { hasDeceptiveCharacters } from "./text.js";

type Problem = Readonly<{ code: string; message: string }>;

/** The loopback literals RFC 8252 §7.3 allows plain http on, written exactly so. */
const loopbackHosts = new Set(["127.0.0.1", "[::1]"]);

/**
 * Private-use URI schemes for native apps must be in reverse-domain form with
 * at least one dot (RFC 8252 §7.1), e.g. `com.example.app:/callback`.
 */
const privateUseScheme = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/;

const dangerousSchemes = new Set(["javascript", "data", "file", "vbscript", "blob", "about"]);

/** A DNS name as it is written: lowercase letters, digits and hyphens in dot-separated labels (IDNs in punycode). */
const dnsName = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const dottedQuad = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const ipv6Literal = /^\[[0-9a-f:.]+\]$/;

/**
 * The authority of an http(s) URI exactly as written: between `//` and the path.
 * WHATWG URL parsing repairs what it is given (`https:example.com`, extra slashes,
 * `\` for `/`, `127.1` and `0x7f000001` for 127.0.0.1), so the checks below read the
 * text itself, and the parsed URL only confirms it.
 */
const writtenAuthority = (uri: string): string | undefined => /^https?:\/\/([^/?#]*)/i.exec(uri)?.[1];

const hostProblem = (authority: string, scheme: "http" | "https"): Problem | undefined => {
  if (authority.includes("@")) return { code: "userinfo", message: "must not contain user information (user@host)" };
  const host = authority.replace(/:(\d{1,5})$/, "");
  if (host === "") return { code: "no_host", message: "needs a host after //" };
  if (scheme === "http") {
    if (host.toLowerCase() === "localhost") {
      return { code: "localhost", message: "use the loopback IP literal 127.0.0.1 or [::1] instead of localhost (RFC 8252 §8.3)" };
    }
    if (loopbackHosts.has(host)) return undefined;
    return { code: "insecure_scheme", message: "http is allowed only on the loopback literals 127.0.0.1 and [::1] (RFC 8252 §7.3)" };
  }
  if (host.includes("*")) return { code: "wildcard_host", message: "must name one host: wildcards are not allowed" };
  if (dnsName.test(host) && !/^[\d.]+$/.test(host)) return undefined;
  if (dottedQuad.test(host) || ipv6Literal.test(host)) return undefined;
  return {
    code: "invalid_host",
    message: "the host must be a lowercase DNS name (internationalised names in punycode) or an IP address in its usual form",
  };
};

/**
 * Checks one redirect URI against RFC 6749 §3.1.2, RFC 8252 and what an
 * authorization server compares it with: the exact string. So only URIs already in
 * their normal form are taken, and each refusal names what is wrong.
 * Returns the reason it is refused, or undefined when it is acceptable.
 */
export const redirectUriProblem = (uri: string): Problem | undefined => {
  if (uri.length === 0) return { code: "empty", message: "must not be empty" };
  if (uri.length > ClientApplicationLimits.redirectUriMaxLength) {
    return { code: "too_long", message: `must be at most ${ClientApplicationLimits.redirectUriMaxLength} characters` };
  }
  if (uri !== uri.trim() || /\s/.test(uri)) return { code: "whitespace", message: "must not contain whitespace" };
  if (hasDeceptiveCharacters(uri)) {
    return { code: "invalid_characters", message: "must not contain control, bidirectional or zero-width characters" };
  }
  if (uri.includes("\\")) return { code: "backslash", message: "must not contain a backslash" };
  if (uri.includes("#")) return { code: "fragment", message: "must not contain a fragment (RFC 6749 §3.1.2)" };

  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return { code: "not_absolute", message: "must be an absolute URI (RFC 6749 §3.1.2)" };
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme === "http" || scheme === "https") {
    const authority = writtenAuthority(uri);
    if (authority === undefined) return { code: "no_authority", message: `must be written ${scheme}://host/…` };
    const problem = hostProblem(authority, scheme);
    if (problem) return problem;
  } else if (dangerousSchemes.has(scheme)) {
    return { code: "dangerous_scheme", message: `the ${scheme}: scheme is not allowed` };
  } else if (!privateUseScheme.test(scheme)) {
    return {
      code: "invalid_scheme",
      message: "custom schemes must be private-use schemes in reverse-domain form, e.g. com.example.app:/callback (RFC 8252 §7.1)",
    };
  }
  // What is left to tell apart is the form: case of scheme and host, a default port, dot segments, characters to escape.
  if (parsed.href !== uri && parsed.href !== `${uri}/`) {
    return { code: "not_normalized", message: `must be written in its normal form, ${parsed.href}, which is what clients must send` };
  }
  return undefined;
};

export const redirectUriViolations = (uris: readonly string[], field = "redirectUris"): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  if (uris.length > ClientApplicationLimits.redirectUrisMaxCount) {
    violations.push({ field, code: "too_many", message: `at most ${ClientApplicationLimits.redirectUrisMaxCount} redirect URIs` });
  }
  const seen = new Set<string>();
  uris.forEach((uri, index) => {
    const problem = redirectUriProblem(uri);
    if (problem) violations.push({ field: `${field}/${index}`, ...problem });
    else if (seen.has(uri)) violations.push({ field: `${field}/${index}`, code: "duplicate", message: "is listed twice" });
    seen.add(uri);
  });
  return violations;
};
