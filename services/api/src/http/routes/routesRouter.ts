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
 * The paths' segments as a tree, so that a request finds its path's router in as many steps as
 * its path has segments, instead of being matched against every declared path in turn. Literal
 * segments are tried before a template at each level, as OpenAPI matches concrete paths before
 * templated ones (`/clientapplications/register` before `/clientapplications/{clientId}`); a
 * literal branch that leads nowhere falls back to the template. Like express's own defaults,
 * literals compare case-insensitively and a trailing slash is optional.
 */
type PathNode = { literals: Map<string, PathNode>; template?: PathNode; router?: Router };

const newNode = (): PathNode => ({ literals: new Map() });

const segmentsOf = (path: string): string[] => {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.split("/").slice(1);
};

const isTemplate = (segment: string): boolean => segment.startsWith("{") && segment.endsWith("}");

const insertPath = (root: PathNode, path: string, router: Router): void => {
  let node = root;
  for (const segment of segmentsOf(path)) {
    if (isTemplate(segment)) node = node.template ??= newNode();
    else {
      const key = segment.toLowerCase();
      const next = node.literals.get(key) ?? newNode();
      node.literals.set(key, next);
      node = next;
    }
  }
  node.router = router;
};

/** The router of the declared path a request path matches; a template matches any non-empty segment. */
const findRouter = (node: PathNode, segments: readonly string[], index: number): Router | undefined => {
  if (index === segments.length) return node.router;
  const segment = segments[index] ?? "";
  const literal = node.literals.get(segment.toLowerCase());
  const found = literal && findRouter(literal, segments, index + 1);
  if (found) return found;
  return segment !== "" && node.template ? findRouter(node.template, segments, index + 1) : undefined;
};

/**
 * The express router of a list of route declarations. Each route runs, in order:
 * authentication and the access check, body parsing for its declared media types,
 * `Idempotency-Key`, then validation of its inputs and its handler. A known path
 * asked with another method is a 405 naming the allowed ones. Each path has a router
 * of its own, found through the tree above; a path no route declares goes on to `next`.
 */
export const routesRouter = (routes: readonly Route[], options: RoutesRouterOptions): RequestHandler => {
  const root = newNode();
  for (const path of new Set(routes.map((route) => route.path))) {
    const router = Router();
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
    insertPath(root, path, router);
  }
  return (request, response, next) => {
    const router = findRouter(root, segmentsOf(request.path), 0);
    if (router) router(request, response, next);
    else next();
  };
};
