import { redactCredentials } from "@clientapps/credentials";
import { ConcurrencyError, EventStoreUnavailableError, UnreadableStreamError } from "@clientapps/event-store";
import { InvalidCursorError, ReadModelUnavailableError } from "@clientapps/read-models";
import type { Logger } from "@clientapps/runtime";
import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { HttpProblem, Problems, problemType } from "./problem.js";
import { requestIdOf } from "./requestId.js";

type ParserError = { type?: unknown; limit?: unknown; status?: unknown; expose?: unknown; code?: unknown };

/** Errors raised by express' body parser carry a `type`; those of its inflation (zlib) and of path decoding only a 4xx status. */
const bodyParserProblem = (error: ParserError): HttpProblem | undefined => {
  switch (error.type) {
    case "entity.too.large":
      return Problems.payloadTooLarge(Number(error.limit));
    case "entity.parse.failed":
      return Problems.badRequest("malformed_json", "The request body is not valid JSON.");
    case "encoding.unsupported":
    case "charset.unsupported":
      return Problems.unsupportedMediaType("UTF-8 encoded JSON");
    default:
      break;
  }
  if (error instanceof URIError && error.status === 400) {
    return Problems.badRequest("malformed_path", "The request path holds an invalid percent-encoding.");
  }
  if (typeof error.status !== "number" || error.status < 400 || error.status >= 500 || error.expose !== true) return undefined;
  if (typeof error.code === "string" && error.code.startsWith("Z_")) {
    return Problems.badRequest("malformed_body", "The request body could not be decoded in the Content-Encoding it declares.");
  }
  // Whatever else a parser refuses is the client's mistake too: its status, never a 500.
  return new HttpProblem(error.status, "bad_request", "Bad request", "The request could not be read.");
};

/** The problem an error stands for, or undefined when it is unexpected (a 500); whatever it echoes of the request is redacted. */
export const toProblem = (error: unknown, request: Request): HttpProblem | undefined => {
  const problem = problemOf(error, request);
  return problem && redacted(problem);
};

/** A problem whose detail and field violations hold no credential, whatever the caller put where (path, member names, values). */
const redacted = (problem: HttpProblem): HttpProblem => {
  const detail = redactCredentials(problem.detail);
  const errors = problem.errors.map((violation) => ({
    ...violation,
    field: redactCredentials(violation.field),
    message: redactCredentials(violation.message),
  }));
  // Subclasses (RegistrationError) keep their class: the copy is made from their own prototype.
  return Object.assign(Object.create(Object.getPrototypeOf(problem) as object) as HttpProblem, problem, {
    detail,
    errors,
    message: detail,
  });
};

const problemOf = (error: unknown, request: Request): HttpProblem | undefined => {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ConcurrencyError) {
    return request.headers["if-match"]
      ? Problems.preconditionFailed("The resource has changed since the revision given in If-Match.")
      : Problems.conflict("concurrent_modification", "The resource was changed concurrently; retry the request.");
  }
  if (error instanceof InvalidCursorError) return Problems.badRequest("invalid_cursor", error.message);
  if (error instanceof EventStoreUnavailableError)
    return Problems.unavailable("event_store_unavailable", "The event store is unavailable.");
  // A newer build wrote to the stream: this instance must not decide on it, and one that can read it may answer.
  if (error instanceof UnreadableStreamError) {
    return Problems.unavailable("stream_unreadable", "This server cannot read the resource's history yet; retry, or upgrade it.", 30);
  }
  if (error instanceof ReadModelUnavailableError)
    return Problems.unavailable("read_model_unavailable", "The read-model store is unavailable.");
  if (typeof error === "object" && error !== null) return bodyParserProblem(error);
  return undefined;
};

export const sendProblem = (problem: HttpProblem, request: Request, response: Parameters<RequestHandler>[1]): void => {
  response
    .status(problem.status)
    .set(problem.headers)
    .type("application/problem+json")
    .json({
      type: problemType(problem.code),
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance: redactCredentials(request.originalUrl),
      code: problem.code,
      requestId: requestIdOf(response),
      ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
    });
};

export const notFoundHandler: RequestHandler = (request) => {
  throw Problems.notFound("route_not_found", `No route for ${request.method} ${request.path}.`);
};

/** The one place errors become responses. A 5xx says nothing about its cause; the log does. */
export const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error: unknown, request, response, next) => {
    if (response.headersSent) return next(error);
    const problem = toProblem(error, request);
    if (problem) {
      if (problem.status >= 500) logger.warn({ err: error, requestId: requestIdOf(response) }, problem.detail);
      return sendProblem(problem, request, response);
    }
    logger.error({ err: error, requestId: requestIdOf(response) }, "unhandled error");
    sendProblem(
      new HttpProblem(500, "internal_error", "Internal server error", "The server failed to handle the request."),
      request,
      response,
    );
  };
