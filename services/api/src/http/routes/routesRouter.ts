import express, { Router, type RequestHandler } from "express";
import { requireAccess } from "../../auth/authenticate.js";
import { jsonDepthLimit } from "../jsonDepth.js";
import { Problems } from "../problem.js";
import type { Route } from "./defineRoute.js";

export type RoutesRouterOptions = Readonly<{
  /** Bearer authentication, for routes whose access is not "none". */
  authenticate: RequestHandler;
  bodyLimitBytes: number;
  /** `Idempotency-Key` handling, for routes declared idempotent; after authentication, it keys by credential. */
  idempotency: RequestHandler;
}>;

/** `/a/{b}` → `/a/:b`. */
export const expressPath = (path: string): string => path.replaceAll(/\{([^}]+)\}/g, ":$1");

const hasBody = (request: express.Request): boolean =>
  request.headers["transfer-encoding"] !== undefined || Number(request.headers["content-length"] ?? 0) > 0;

/**
 * The declared media types only: another type is a 415 before the body is read, and a
 * body over the limit is a 413 from the parser, without being buffered whole.
 */
const bodyParsers = (route: Route, limit: number): RequestHandler[] => {
  if (!route.body) return [];
  const types = [...route.body.contentTypes];
  const accepted: RequestHandler = (request, _response, next) => {
    if (hasBody(request) && (!request.headers["content-type"] || request.is(types) === false)) {
      throw Problems.unsupportedMediaType(types.join(" or "), route.method === "patch" ? { "Accept-Patch": types.join(", ") } : {});
    }
    next();
  };
  const json = types.filter((type) => type.endsWith("json"));
  const forms = types.filter((type) => type === "application/x-www-form-urlencoded");
  return [
    accepted,
    ...(json.length > 0 ? [express.json({ limit, type: json, strict: true }), jsonDepthLimit] : []),
    ...(forms.length > 0 ? [express.urlencoded({ extended: false, limit, type: forms })] : []),
  ];
};

const methodNotAllowed =
  (allowed: readonly string[]): RequestHandler =>
  (request, response) => {
    const allow = [...allowed.filter((method) => method !== "OPTIONS"), ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
    if (request.method === "OPTIONS") return void response.status(204).set("Allow", allow).end();
    throw Problems.methodNotAllowed(request.method, allow);
  };

/**
 * The express router of a list of route declarations. Each route runs, in order:
 * authentication and the access check, body parsing for its declared media types,
 * `Idempotency-Key`, then validation of its inputs and its handler. A known path
 * asked with another method is a 405 naming the allowed ones.
 */
const templateCount = (path: string): number => path.split("{").length - 1;

/** Runs handlers one after the other, as express runs a route's, stopping at the first that answers or fails. */
const inSequence =
  (handlers: readonly RequestHandler[]): RequestHandler =>
  (request, response, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined) return next(error);
      const handler = handlers[index++];
      if (!handler) return next();
      Promise.resolve(handler(request, response, step)).catch(next);
    };
    step();
  };

/**
 * The express router of a list of route declarations. Each route runs, in order:
 * authentication and the access check, body parsing for its declared media types,
 * `Idempotency-Key`, then validation of its inputs and its handler. A known path
 * asked with another method is a 405 naming the allowed ones. Paths with fewer
 * templated segments are matched first, as OpenAPI matches concrete paths before
 * templated ones (`/clientapplications/register` before `/clientapplications/{clientId}`).
 */
export const routesRouter = (routes: readonly Route[], options: RoutesRouterOptions): Router => {
  const router = Router();
  const paths = [...new Set(routes.map((route) => route.path))].sort((a, b) => templateCount(a) - templateCount(b));
  for (const path of paths) {
    const declared = routes.filter((route) => route.path === path);
    for (const route of declared) {
      const standard: RequestHandler[] = route.access === "none" ? [] : [options.authenticate, requireAccess(route.access)];
      const custom = route.authentication;
      const access: RequestHandler[] = !custom
        ? standard
        : custom.anonymousOnly
          ? [
              (request, response, next) =>
                // A caller that sends a credential is that caller, with its workspace and scopes; only the others are anonymous.
                inSequence(request.header("authorization") === undefined ? [custom.handler] : standard)(request, response, next),
            ]
          : [custom.handler];
      const steps: RequestHandler[] = [
        ...access,
        ...bodyParsers(route, options.bodyLimitBytes),
        ...(route.idempotent ? [options.idempotency] : []),
        (request, response) => route.run(request, response),
      ];
      router[route.method](expressPath(path), ...steps, ...(route.errorFormat ? [route.errorFormat.handler] : []));
    }
    router.all(expressPath(path), methodNotAllowed(declared.map((route) => route.method.toUpperCase())));
  }
  return router;
};
