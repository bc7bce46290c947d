import type { FieldViolation } from "@clientapps/domain";

/**
 * An error the API answers with an RFC 9457 problem document. `code` is
 * stable and documented; `detail` is for people and never holds a secret.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly FieldViolation[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = "HttpProblem";
  }
}

export const problemType = (code: string): string => `urn:clientapps:problem:${code}`;

const realm = 'Bearer realm="clientapps"';

/** A value for a quoted string of a WWW-Authenticate parameter (RFC 6750 §3 allows no `"` or `\\` there). */
const quotable = (value: string): string => value.replace(/["\\]/g, "'").replace(/[^\x20-\x7E]/g, "?");

export const Problems = {
  validation: (errors: readonly FieldViolation[], detail = "The request is not valid.") =>
    new HttpProblem(400, "validation_failed", "Validation failed", detail, errors),
  badRequest: (code: string, detail: string) => new HttpProblem(400, code, "Bad request", detail),
  unauthorized: (detail: string, invalidToken: boolean) =>
    new HttpProblem(401, invalidToken ? "invalid_token" : "missing_credentials", "Unauthorized", detail, [], {
      "WWW-Authenticate": invalidToken ? `${realm}, error="invalid_token", error_description="${quotable(detail)}"` : realm,
    }),
  forbidden: (scope: string) =>
    new HttpProblem(403, "insufficient_scope", "Forbidden", `This operation needs the scope ${scope}.`, [], {
      "WWW-Authenticate": `${realm}, error="insufficient_scope", scope="${quotable(scope)}"`,
    }),
  notFound: (code: string, detail: string) => new HttpProblem(404, code, "Not found", detail),
  conflict: (code: string, detail: string) => new HttpProblem(409, code, "Conflict", detail),
  preconditionFailed: (detail: string) => new HttpProblem(412, "precondition_failed", "Precondition failed", detail),
  methodNotAllowed: (method: string, allow: string) =>
    new HttpProblem(405, "method_not_allowed", "Method not allowed", `${method} is not allowed here; use ${allow}.`, [], { Allow: allow }),
  payloadTooLarge: (limit: number) =>
    new HttpProblem(413, "payload_too_large", "Payload too large", `The request body exceeds ${limit} bytes.`),
  unsupportedMediaType: (expected: string, headers: Readonly<Record<string, string>> = {}) =>
    new HttpProblem(415, "unsupported_media_type", "Unsupported media type", `The request body must be ${expected}.`, [], headers),
  tooManyRequests: (detail: string, retryAfterSeconds: number, code = "rate_limited") =>
    new HttpProblem(429, code, "Too many requests", detail, [], { "Retry-After": String(retryAfterSeconds) }),
  unavailable: (code: string, detail: string, retryAfterSeconds = 1) =>
    new HttpProblem(503, code, "Service unavailable", detail, [], { "Retry-After": String(retryAfterSeconds) }),
};
