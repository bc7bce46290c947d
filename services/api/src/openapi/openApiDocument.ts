import { z } from "zod";
// Loading the feature schemas registers their components (see componentSchemas).
import { ListClientApplicationsQuery } from "../clientApplications/schemas.js";

/** RFC 9457 problem details, as every error of this API is answered. */
export const ProblemDocument = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().meta({ description: "Stable, machine-readable error code." }),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });

type Schema = Record<string, unknown>;

/*
 * Every schema with a `.meta({ id })` is a component. Requests are documented as
 * accepted (zod "input": defaults make fields optional), everything else as sent.
 */

const isRequest = (name: string): boolean => name.endsWith("Request");

const componentSchemas = (): Record<string, Schema> => {
  const generate = (io: "input" | "output") =>
    z.toJSONSchema(z.globalRegistry, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
      uri: (id) => `#/components/schemas/${id}`,
    }).schemas as Record<string, Schema>;
  const [inputs, outputs] = [generate("input"), generate("output")];
  return Object.fromEntries(
    Object.keys(outputs).map((name) => {
      // `$id` would rebase every `$ref` inside the component onto itself.
      const { $schema: _schema, $id: _id, ...schema } = (isRequest(name) ? inputs : outputs)[name]!;
      return [name, schema];
    }),
  );
};

const toJsonSchema = (schema: z.ZodType): Schema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Schema;
  return rest;
};

type ComponentName =
  | "ClientApplication"
  | "CreatedClientApplication"
  | "CreateClientApplicationRequest"
  | "UpdateClientApplicationRequest"
  | "PatchClientApplicationRequest"
  | "Problem";

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: ComponentName) => ({ "application/json": { schema: ref(name) } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });

const commonErrors = {
  "401": problem("Missing or invalid credential (see WWW-Authenticate)"),
  "403": problem("The credential lacks the scope"),
  "503": problem("An engine is unavailable or the read model is behind; see Retry-After"),
};
const writeErrors = {
  "400": problem("Validation failed; `errors` names every offending field"),
  "413": problem("Body too large"),
  "415": problem("Body is not JSON"),
  ...commonErrors,
};

const clientIdParameter = { name: "clientId", in: "path", required: true, schema: { type: "string" } };
const ifMatch = { name: "If-Match", in: "header", required: false, schema: { type: "string" }, description: "ETag from a previous read; a stale one gets 412." };
const etagHeaders = {
  ETag: { schema: { type: "string" }, description: "The stream revision." },
  "X-Position": { schema: { type: "string" }, description: "Where the write landed; send as X-Min-Position to another api instance to read your write." },
};

const queryParameters = (): unknown[] => {
  const shape = toJsonSchema(ListClientApplicationsQuery) as { properties: Record<string, Schema> };
  return Object.entries(shape.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema }));
};

export const buildOpenApiDocument = (): Record<string, unknown> => ({
  openapi: "3.1.0",
  info: {
    title: "clientapps",
    version: "1.0.0",
    description: "Event-sourced OAuth 2.0 client-application registry. Every change is an event; reads follow a projection and wait for the caller's own writes.",
  },
  servers: [{ url: "/" }],
  tags: [
    { name: "Client applications", description: "Register and manage OAuth 2.0 client applications." },
    { name: "Operations", description: "Liveness and readiness." },
  ],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A credential bound to one workspace." } },
    schemas: componentSchemas(),
  },
  paths: {
    "/api/v1/clientapplications": {
      get: {
        operationId: "listClientApplications",
        tags: ["Client applications"],
        summary: "List the workspace's client applications",
        parameters: [...queryParameters(), { name: "X-Min-Position", in: "header", required: false, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "One page; the next one is in the Link header (rel=next)",
            headers: { Link: { schema: { type: "string" } } },
            content: { "application/json": { schema: { type: "array", items: ref("ClientApplication") } } },
          },
          "400": problem("Invalid query or cursor"),
          ...commonErrors,
        },
      },
      post: {
        operationId: "createClientApplication",
        tags: ["Client applications"],
        summary: "Register a client application",
        requestBody: { required: true, content: json("CreateClientApplicationRequest") },
        responses: {
          "201": {
            description: "Created; confidential clients get `clientSecret`, this once",
            headers: { Location: { schema: { type: "string" } }, ...etagHeaders },
            content: json("CreatedClientApplication"),
          },
          "409": problem("The client id exists (or existed) in this workspace"),
          ...writeErrors,
        },
      },
    },
    "/api/v1/clientapplications/{clientId}": {
      parameters: [clientIdParameter],
      get: {
        operationId: "getClientApplication",
        tags: ["Client applications"],
        summary: "Read one client application",
        parameters: [{ name: "If-None-Match", in: "header", required: false, schema: { type: "string" } }],
        responses: {
          "200": { description: "The client application", headers: { ETag: etagHeaders.ETag }, content: json("ClientApplication") },
          "304": { description: "Not modified since the ETag given" },
          "404": problem("Unknown in this workspace"),
          ...commonErrors,
        },
      },
      put: {
        operationId: "updateClientApplication",
        tags: ["Client applications"],
        summary: "Update the updatable fields present in the body",
        parameters: [ifMatch],
        requestBody: { required: true, content: json("UpdateClientApplicationRequest") },
        responses: {
          "200": { description: "Updated", headers: etagHeaders, content: json("ClientApplication") },
          "404": problem("Unknown in this workspace"),
          "412": problem("If-Match is stale"),
          ...writeErrors,
        },
      },
      patch: {
        operationId: "patchClientApplication",
        tags: ["Client applications"],
        summary: "Apply a JSON Merge Patch (RFC 7396)",
        parameters: [ifMatch],
        requestBody: {
          required: true,
          content: {
            "application/merge-patch+json": { schema: ref("PatchClientApplicationRequest") },
            "application/json": { schema: ref("PatchClientApplicationRequest") },
          },
        },
        responses: {
          "200": { description: "Patched", headers: etagHeaders, content: json("ClientApplication") },
          "404": problem("Unknown in this workspace"),
          "412": problem("If-Match is stale"),
          ...writeErrors,
        },
      },
      delete: {
        operationId: "deleteClientApplication",
        tags: ["Client applications"],
        summary: "Delete; its credentials stop working at once and its id is never reused",
        parameters: [ifMatch],
        responses: {
          "204": { description: "Deleted", headers: etagHeaders },
          "404": problem("Unknown in this workspace"),
          "412": problem("If-Match is stale"),
          ...commonErrors,
        },
      },
    },
    "/healthz": { get: { operationId: "healthz", tags: ["Operations"], summary: "Liveness", security: [], responses: { "200": { description: "Alive" } } } },
    "/readyz": {
      get: {
        operationId: "readyz", tags: ["Operations"],
        summary: "Readiness: engines reachable, projection lag",
        security: [],
        responses: { "200": { description: "Ready" }, "503": { description: "Not ready" } },
      },
    },
  },
});
