import { z } from "zod";
import { activityPaths } from "../activity/activityOpenApi.js";
import { clientApplicationPaths } from "../clientApplications/clientApplicationsOpenApi.js";
import { credentialPaths } from "../credentials/credentialsOpenApi.js";
import { registrationPaths } from "../registration/registrationOpenApi.js";
import type { Schema } from "./openApiParts.js";
// Loading the feature schemas registers their components (see componentSchemas).
import "../clientApplications/schemas.js";
import "../credentials/credentialSchemas.js";
import "../credentials/introspectionRoutes.js";
import "../registration/registrationSchemas.js";

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
    { name: "Credentials", description: "Secret rotation with a grace period, API keys, introspection." },
    { name: "Dynamic registration", description: "RFC 7591 registration and RFC 7592 management, in the RFCs' snake_case." },
    { name: "Audit", description: "The hash-chained activity stream, the token-revocation feed and point-in-time history." },
    { name: "Operations", description: "Liveness, readiness and metrics." },
  ],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "An admin token or API key, bound to one workspace." },
      registrationAccessToken: { type: "http", scheme: "bearer", description: "The registration access token of one client (RFC 7592)." },
    },
    schemas: componentSchemas(),
  },
  paths: {
    ...clientApplicationPaths,
    ...credentialPaths,
    ...registrationPaths,
    ...activityPaths,
    "/healthz": { get: { operationId: "healthz", tags: ["Operations"], summary: "Liveness", security: [], responses: { "200": { description: "Alive" } } } },
    "/readyz": {
      get: {
        operationId: "readyz",
        tags: ["Operations"],
        summary: "Readiness: engines reachable, projection lag",
        security: [],
        responses: { "200": { description: "Ready" }, "503": { description: "Not ready" } },
      },
    },
  },
});
