import {
  clientIdParameter,
  commonErrors,
  etagHeaders,
  idempotencyKey,
  idempotentPostErrors,
  ifMatch,
  json,
  problem,
  queryParameters,
  ref,
  writeErrors,
} from "../openapi/openApiParts.js";
import { ListClientApplicationsQuery } from "./schemas.js";

/** OpenAPI paths of the client-application endpoints. */
export const clientApplicationPaths = {
  "/api/v1/clientapplications": {
    get: {
      operationId: "listClientApplications",
      tags: ["Client applications"],
      summary: "List the workspace's client applications",
      parameters: [...queryParameters(ListClientApplicationsQuery), { name: "X-Min-Position", in: "header", required: false, schema: { type: "string" } }],
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
      parameters: [idempotencyKey],
      requestBody: { required: true, content: json("CreateClientApplicationRequest") },
      responses: {
        "201": {
          description: "Created; confidential clients get `clientSecret`, this once",
          headers: { Location: { schema: { type: "string" } }, ...etagHeaders },
          content: json("CreatedClientApplication"),
        },
        ...idempotentPostErrors,
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
};
