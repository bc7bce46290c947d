import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { z } from "zod";
import { parseOrThrow } from "../validate.js";
import { headerProblemOf } from "./routeHeaders.js";

export type Method = "get" | "post" | "put" | "patch" | "delete" | "options";

/** What a caller must hold: a Bearer credential with this access (see requireAccess), or nothing. */
export type Access = "read" | "write" | "register" | "platform" | "workspace" | "none";

export type ResponseDeclaration = Readonly<{
  description: string;
  /** Media type → schema of the body; absent for a response without one. */
  content?: Readonly<Record<string, z.ZodType>>;
  headers?: z.ZodObject;
}>;

export type BodyDeclaration<Body extends z.ZodType> = Readonly<{
  schema: Body;
  /** The media types the body is accepted in; anything else is a 415. */
  contentTypes: readonly string[];
  /** An absent body is validated as `{}` when it is optional. */
  required: boolean;
}>;

/** How errors of a route are answered when not as RFC 9457 problems (RFC 7591 has its own format). */
export type ErrorFormat = Readonly<{ contentType: string; schema: z.ZodType; handler: ErrorRequestHandler }>;

/** Authentication other than the API's Bearer credentials (RFC 7592's registration access token, open registration). */
export type CustomAuthentication = Readonly<{
  handler: RequestHandler;
  /** OpenAPI security requirements; `[]` means anonymous. */
  security: readonly Readonly<Record<string, readonly string[]>>[];
  /** What the handler answers when it refuses, documented on the operation. */
  refusals: Readonly<Record<number, string>>;
  /**
   * The handler is for callers without a credential only: a request that sends an
   * `Authorization` header is authenticated, and access-checked, as on any other route.
   */
  anonymousOnly?: boolean;
}>;

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

export type RouteInput<Params, Query, Headers, Body> = Readonly<{
  params: Parsed<Params>;
  query: Parsed<Query>;
  headers: Parsed<Headers>;
  body: Parsed<Body>;
}>;

export type RouteDeclaration<
  Params extends z.ZodObject | undefined,
  Query extends z.ZodObject | undefined,
  Headers extends z.ZodObject | undefined,
  Body extends z.ZodType | undefined,
> = Readonly<{
  method: Method;
  /** An OpenAPI path template: `/api/v1/clientapplications/{clientId}`. */
  path: string;
  operationId: string;
  tags: readonly string[];
  summary: string;
  description?: string;
  access: Access;
  authentication?: CustomAuthentication;
  /** POSTs that honour `Idempotency-Key`. */
  idempotent?: boolean;
  params?: Params;
  query?: Query;
  /** Header names as sent (`If-Match`); validated case-insensitively. */
  headers?: Headers;
  body?: Body extends z.ZodType ? BodyDeclaration<Body> : undefined;
  /** Every answer of the handler; the router adds what its own steps answer (400, 401, 403, 413, 415, …). */
  responses: Readonly<Record<number, ResponseDeclaration>>;
  errorFormat?: ErrorFormat;
  handler: (input: RouteInput<Params, Query, Headers, Body>, request: Request, response: Response) => Promise<void> | void;
}>;

/** A declaration with its input types erased: what the router and the document builder take. */
export type Route = Omit<
  RouteDeclaration<z.ZodObject | undefined, z.ZodObject | undefined, z.ZodObject | undefined, z.ZodType | undefined>,
  "handler" | "body"
> &
  Readonly<{ body?: BodyDeclaration<z.ZodType>; run: (request: Request, response: Response) => Promise<void> }>;

/** The declared headers, by their declared names; one whose format has its own problem is refused with it. */
const headersOf =
  (request: Request) =>
  (schema: z.ZodType): Record<string, string | undefined> => {
    const shape: Readonly<Record<string, z.ZodType>> = schema instanceof z.ZodObject ? schema.shape : {};
    const values = Object.fromEntries(Object.keys(shape).map((name) => [name, request.header(name)]));
    for (const [name, field] of Object.entries(shape)) {
      const problem = headerProblemOf(field);
      if (problem && !field.safeParse(values[name]).success) throw problem();
    }
    return values;
  };

/**
 * A part parsed by its schema, or undefined for a part the route does not declare.
 * TypeScript cannot narrow a generic by checking a value, hence the one cast.
 */
const parse = <Schema extends z.ZodType | undefined>(
  schema: Schema | undefined,
  value: (schema: z.ZodType) => unknown,
  what: string,
): Parsed<Schema> => (schema === undefined ? undefined : parseOrThrow(schema, value(schema), what)) as Parsed<Schema>;

/**
 * Declares an endpoint once. The handler receives params, query, headers and
 * body parsed by their schemas; a part that fails is a 400 naming its fields.
 */
export const defineRoute = <
  Params extends z.ZodObject | undefined = undefined,
  Query extends z.ZodObject | undefined = undefined,
  Headers extends z.ZodObject | undefined = undefined,
  Body extends z.ZodType | undefined = undefined,
>(
  declaration: RouteDeclaration<Params, Query, Headers, Body>,
): Route => {
  const { handler, body, ...rest } = declaration;
  return {
    ...rest,
    ...(body ? { body } : {}),
    run: async (request, response) => {
      const input: RouteInput<Params, Query, Headers, Body> = {
        params: parse<Params>(declaration.params, () => request.params, "path"),
        query: parse<Query>(declaration.query, () => request.query, "query"),
        headers: parse<Headers>(declaration.headers, headersOf(request), "headers"),
        body: parse<Body>(body?.schema as Body | undefined, () => request.body ?? (body?.required ? undefined : {}), "request body"),
      };
      await handler(input, request, response);
    },
  };
};
