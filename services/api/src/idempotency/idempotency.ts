import { createHash } from "node:crypto";
import { assertNever } from "@clientapps/domain";
import type { Logger } from "@clientapps/runtime";
import type { Request, RequestHandler, Response } from "express";
import { callerOf } from "../auth/authenticate.js";
import { HttpProblem, Problems } from "../http/problem.js";
import { replayedHeaders, type Claim, type IdempotencyKeys, type KeptResponse } from "./idempotencyKeys.js";

export type IdempotencyDependencies = Readonly<{ store: IdempotencyKeys; clock: () => Date; logger: Logger }>;

/** 1..255 printable ASCII characters; a quoted sf-string (as the draft writes it) is taken as it is sent. */
const acceptableKey = /^[\x20-\x7e]{1,255}$/;

const idempotencyKeyOf = (request: Request): string | undefined => {
  const values = request.headersDistinct["idempotency-key"];
  if (values === undefined) return undefined;
  const [key] = values;
  if (values.length !== 1 || key === undefined || !acceptableKey.test(key)) {
    throw Problems.badRequest("invalid_idempotency_key", "Idempotency-Key must be one value of 1 to 255 printable ASCII characters.");
  }
  return key;
};

const sortedKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((name) => [name, sortedKeys(object[name])]),
  );
};

/** The same request is the same method, target and JSON value, however its members are ordered or spaced. */
const requestHashOf = (request: Request): string =>
  createHash("sha256")
    .update(JSON.stringify([request.method, request.originalUrl, sortedKeys(request.body ?? null)]), "utf8")
    .digest("hex");

const problemCodeOf = (response: KeptResponse): string | undefined => {
  if (!response.headers["Content-Type"]?.startsWith("application/problem+json")) return undefined;
  try {
    const { code } = JSON.parse(response.body.toString("utf8")) as { code?: unknown };
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
};

/**
 * A failure a retry may cure is not kept: the next attempt runs the request again.
 * Everything else (success, validation, conflict) is the answer to this request.
 */
const worthRetrying = (response: KeptResponse): boolean =>
  response.status >= 500 ||
  response.status === 429 ||
  response.status === 408 ||
  (response.status === 409 && problemCodeOf(response) === "concurrent_modification");

const keyReused = (): HttpProblem =>
  new HttpProblem(422, "idempotency_key_reused", "Idempotency key reused", "This Idempotency-Key was used for a different request.");

const inProgress = (): HttpProblem =>
  new HttpProblem(409, "idempotency_request_in_progress", "Conflict", "A request with this Idempotency-Key is still being processed.", [], {
    "Retry-After": "1",
  });

const replay = (response: Response, kept: KeptResponse): void => {
  response.status(kept.status);
  for (const [name, value] of Object.entries(kept.headers)) response.setHeader(name, value);
  response.setHeader("Idempotent-Replayed", "true");
  if (kept.status !== 204 && kept.status !== 304) response.setHeader("Content-Length", kept.body.length);
  response.end(kept.body);
};

const bodyOf = ([chunk, encoding]: unknown[]): Buffer | undefined => {
  if (chunk === undefined || chunk === null || typeof chunk === "function") return Buffer.alloc(0);
  if (typeof chunk === "string") return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return undefined;
};

const keptHeadersOf = (response: Response): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const name of replayedHeaders) {
    const value = response.getHeader(name);
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return headers;
};

/**
 * Holds back the response until `keep` has recorded it, so a retry that follows
 * the answer always finds it. `end` is the one place every express answer
 * (json, send, an error handler's problem) passes; a streamed body (`write`)
 * cannot be replayed and is given up instead. Once the response is being kept, a
 * later answer (an error thrown after replying) is dropped: the first one stands,
 * with the status and headers it had.
 */
const holdUntilKept = (response: Response, keep: (kept: KeptResponse | undefined) => Promise<void>): void => {
  // Kept unbound on purpose: each is called back with `.apply(this, …)` on the response it came from.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const end = response.end;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const write = response.write;
  let streamed = false;
  let ending = false;
  response.write = function (this: Response, ...args: unknown[]) {
    streamed = true;
    return (write as (...args: unknown[]) => boolean).apply(this, args);
  } as Response["write"];
  response.end = function (this: Response, ...args: unknown[]) {
    if (ending) return this;
    ending = true;
    const status = this.statusCode;
    const headers = this.getHeaders();
    const body = streamed ? undefined : bodyOf(args);
    void keep(body && { status, headers: keptHeadersOf(this), body }).finally(() => {
      if (!this.headersSent) {
        this.statusCode = status;
        for (const name of this.getHeaderNames()) if (!(name in headers)) this.removeHeader(name);
        for (const [name, value] of Object.entries(headers)) if (value !== undefined) this.setHeader(name, value);
      }
      (end as (...args: unknown[]) => Response).apply(this, args);
    });
    return this;
  } as Response["end"];
};

/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header): the first
 * request with a key runs; a retry with the same key and request gets the first
 * answer again, marked `Idempotent-Replayed: true`, and writes nothing. Mount it
 * after authentication and body parsing: keys belong to the caller's credential.
 */
export const idempotency =
  (deps: IdempotencyDependencies): RequestHandler =>
  async (request, response, next) => {
    if (request.method !== "POST") return next();
    const key = idempotencyKeyOf(request);
    if (key === undefined) return next();
    const begun = await deps.store.begin({ credentialId: callerOf(response).credentialId, key }, requestHashOf(request), deps.clock());
    switch (begun.outcome) {
      case "replay":
        return replay(response, begun.response);
      case "reused":
        throw keyReused();
      case "in_progress":
        throw inProgress();
      case "claimed":
        holdUntilKept(response, (kept) => settle(deps, begun.claim, kept));
        return next();
      default:
        return assertNever(begun);
    }
  };

const settle = async (deps: IdempotencyDependencies, claim: Claim, kept: KeptResponse | undefined): Promise<void> => {
  try {
    if (kept && !worthRetrying(kept)) await deps.store.complete(claim, kept);
    else await deps.store.release(claim, deps.clock());
  } catch (error) {
    // The answer still goes out; the key stays pending until its lease ends, then runs anew.
    deps.logger.warn({ err: error }, "could not record the outcome of an idempotent request");
  }
  // Erasing expired bodies is housekeeping: one that fails is done by a later request.
  deps.store
    .clearExpired(deps.clock())
    .catch((error: unknown) => deps.logger.warn({ err: error }, "could not clear expired idempotency keys"));
};
