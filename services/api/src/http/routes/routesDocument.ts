import { z } from "zod";
import {
  createDocument,
  type ZodOpenApiObject,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from "zod-openapi";
import type { BodyDeclaration, ResponseDeclaration, Route } from "./defineRoute.js";
import { WwwAuthenticate } from "./routeHeaders.js";
import { problem, problemContent, retryAfterHeaders } from "./routeResponses.js";

type DocumentInfo = Omit<ZodOpenApiObject, "paths" | "openapi">;

const wwwAuthenticate = z.object({ "WWW-Authenticate": WwwAuthenticate });

/** What the router's own steps answer before or around the handler (see routesRouter). */
const stepResponses = (route: Route): Record<string, ResponseDeclaration> => {
  const content: Readonly<Record<string, z.ZodType>> = route.errorFormat
    ? { [route.errorFormat.contentType]: route.errorFormat.schema }
    : problemContent;
  const error = (description: string, headers?: z.ZodObject): ResponseDeclaration => ({
    description,
    content,
    ...(headers ? { headers } : {}),
  });
  const validated = route.params || route.query || route.headers || route.body || route.idempotent;
  const authenticated = route.authentication !== undefined || route.access !== "none";
  const responses: Record<string, ResponseDeclaration | undefined> = {
    ...(validated ? { 400: error("Validation failed; `errors` names every offending field") } : {}),
    ...(route.authentication
      ? Object.fromEntries(
          Object.entries(route.authentication.refusals).map(([status, description]) => [status, error(description, wwwAuthenticate)]),
        )
      : route.access === "none"
        ? {}
        : {
            401: error("Missing or invalid credential (see WWW-Authenticate)", wwwAuthenticate),
            403: error("The credential lacks the scope", wwwAuthenticate),
          }),
    // Engine outages are answered by the API's own error handler, as problems whatever the route's format.
    ...(authenticated ? { 503: problem("An engine is unavailable or the read model is behind; see Retry-After", retryAfterHeaders) } : {}),
    ...(route.body ? { 413: error("Body too large"), 415: error(`Body is not ${route.body.contentTypes.join(" or ")}`) } : {}),
    ...(route.idempotent
      ? {
          409: error("Conflict, or a request with the same Idempotency-Key is still in flight (see Retry-After)"),
          422: error("The Idempotency-Key was used before with another request"),
        }
      : {}),
  };
  return Object.fromEntries(Object.entries(responses).filter((entry): entry is [string, ResponseDeclaration] => entry[1] !== undefined));
};

const responseOf = (response: ResponseDeclaration): ZodOpenApiResponseObject => ({
  description: response.description,
  ...(response.headers ? { headers: response.headers } : {}),
  ...(response.content
    ? { content: Object.fromEntries(Object.entries(response.content).map(([type, schema]) => [type, { schema }])) }
    : {}),
});

const isStatus = (status: string): status is `${1 | 2 | 3 | 4 | 5}${string}` => /^[1-5]\d\d$/.test(status);

const responsesOf = (route: Route): ZodOpenApiResponsesObject => {
  const declared: Record<string, ResponseDeclaration> = { ...stepResponses(route), ...route.responses };
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, response] of Object.entries(declared)) if (isStatus(status)) responses[status] = responseOf(response);
  return responses;
};

const requestBodyOf = (body: BodyDeclaration<z.ZodType>) => ({
  required: body.required,
  content: Object.fromEntries(body.contentTypes.map((type) => [type, { schema: body.schema }])),
});

const operationOf = (route: Route): ZodOpenApiOperationObject => ({
  operationId: route.operationId,
  tags: [...route.tags],
  summary: route.summary,
  ...(route.description ? { description: route.description } : {}),
  ...(route.authentication
    ? {
        security: route.authentication.security.map((requirement) =>
          Object.fromEntries(Object.entries(requirement).map(([scheme, scopes]) => [scheme, [...scopes]])),
        ),
      }
    : route.access === "none"
      ? { security: [] }
      : {}),
  requestParams: {
    ...(route.params ? { path: route.params } : {}),
    ...(route.query ? { query: route.query } : {}),
    ...(route.headers ? { header: route.headers } : {}),
  },
  ...(route.body ? { requestBody: requestBodyOf(route.body) } : {}),
  responses: responsesOf(route),
});

/** The OpenAPI 3.1 document of the routes: the same declarations the router is built from. */
export const routesDocument = (routes: readonly Route[], info: DocumentInfo): Record<string, unknown> => {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) paths[route.path] = { ...paths[route.path], [route.method]: operationOf(route) };
  return { ...createDocument({ openapi: "3.1.0", ...info, paths }) };
};
