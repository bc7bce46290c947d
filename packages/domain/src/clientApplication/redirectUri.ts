import type { FieldViolation } from "../decider.js";
import { ClientApplicationLimits } from "./limits.js";

const loopbackHosts = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * Private-use URI schemes for native apps must be in reverse-domain form with
 * at least one dot (RFC 8252 §7.1), e.g. `com.example.app:/callback`.
 */
const privateUseScheme = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/;

/**
 * Checks one redirect URI against RFC 6749 §3.1.2 and RFC 8252.
 * Returns the reason it is refused, or undefined when it is acceptable.
 */
export const redirectUriProblem = (uri: string): Readonly<{ code: string; message: string }> | undefined => {
  if (uri.length === 0) return { code: "empty", message: "must not be empty" };
  if (uri.length > ClientApplicationLimits.redirectUriMaxLength) {
    return { code: "too_long", message: `must be at most ${ClientApplicationLimits.redirectUriMaxLength} characters` };
  }
  if (uri !== uri.trim() || /[\s]/.test(uri)) return { code: "whitespace", message: "must not contain whitespace" };
  if (uri.includes("#")) return { code: "fragment", message: "must not contain a fragment (RFC 6749 §3.1.2)" };

  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return { code: "not_absolute", message: "must be an absolute URI (RFC 6749 §3.1.2)" };
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme === "https") {
    if (parsed.hostname === "") return { code: "no_host", message: "https redirect URIs need a host" };
    return undefined;
  }
  if (scheme === "http") {
    // RFC 8252 §7.3 allows plain http only on the loopback interface. `localhost`
    // is refused (§8.3): it may resolve elsewhere, so the IP literal must be used.
    if (parsed.hostname === "localhost") {
      return { code: "localhost", message: "use the loopback IP literal 127.0.0.1 or [::1] instead of localhost (RFC 8252 §8.3)" };
    }
    if (loopbackHosts.has(parsed.hostname)) return undefined;
    return { code: "insecure_scheme", message: "http is allowed only for the loopback addresses 127.0.0.1 and [::1] (RFC 8252 §7.3)" };
  }
  if (["javascript", "data", "file", "vbscript", "blob", "about"].includes(scheme)) {
    return { code: "dangerous_scheme", message: `the ${scheme}: scheme is not allowed` };
  }
  if (!privateUseScheme.test(scheme)) {
    return {
      code: "invalid_scheme",
      message: "custom schemes must be private-use schemes in reverse-domain form, e.g. com.example.app:/callback (RFC 8252 §7.1)",
    };
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
