import { clientIdParameter, commonErrors, etagHeaders, idempotencyKey, idempotentPostErrors, ifMatch, json, problem, ref, writeErrors } from "../openapi/openApiParts.js";

const noStore = { "Cache-Control": { schema: { type: "string" }, description: "no-store: the body carries a credential." } };

/** OpenAPI paths of secret rotation, API keys and introspection. */
export const credentialPaths = {
  "/api/v1/clientapplications/{clientId}/secret": {
    parameters: [clientIdParameter],
    post: {
      operationId: "rotateClientSecret",
      tags: ["Credentials"],
      summary: "Rotate the client secret; the current ones keep working for the grace period, then the server retires them",
      parameters: [ifMatch, idempotencyKey],
      requestBody: { required: false, content: json("RotateSecretRequest") },
      responses: {
        "200": { description: "The client with its new secret, shown this once", headers: { ...etagHeaders, ...noStore }, content: json("RotatedSecret") },
        "404": problem("Unknown in this workspace"),
        ...idempotentPostErrors,
        "409": problem("A public client has no secret, or too many secrets are in their grace period"),
        "412": problem("If-Match is stale"),
        ...writeErrors,
      },
    },
  },
  "/api/v1/clientapplications/{clientId}/apikeys": {
    parameters: [clientIdParameter],
    get: {
      operationId: "listApiKeys",
      tags: ["Credentials"],
      summary: "The client's API keys, metadata only",
      responses: {
        "200": { description: "Keys, newest last", content: { "application/json": { schema: { type: "array", items: ref("ApiKey") } } } },
        "404": problem("Unknown in this workspace"),
        ...commonErrors,
      },
    },
    post: {
      operationId: "issueApiKey",
      tags: ["Credentials"],
      summary: "Issue an API key; it authenticates calls to this API with its scopes, in this workspace",
      parameters: [idempotencyKey],
      requestBody: { required: true, content: json("IssueApiKeyRequest") },
      responses: {
        "201": { description: "The key, shown this once", headers: { Location: { schema: { type: "string" } }, ...noStore }, content: json("IssuedApiKey") },
        "404": problem("Unknown in this workspace"),
        ...idempotentPostErrors,
        "409": problem("The client is inactive or has too many keys"),
        ...writeErrors,
      },
    },
  },
  "/api/v1/clientapplications/{clientId}/apikeys/{keyId}": {
    parameters: [clientIdParameter, { name: "keyId", in: "path", required: true, schema: { type: "string" } }],
    delete: {
      operationId: "revokeApiKey",
      tags: ["Credentials"],
      summary: "Revoke an API key; it stops working at once",
      responses: { "204": { description: "Revoked (or already)" }, "404": problem("Unknown key or client"), ...commonErrors },
    },
  },
  "/api/v1/credentials/introspect": {
    post: {
      operationId: "introspectCredential",
      tags: ["Credentials"],
      summary: "Is this API key, or this client id with this secret, working now, and for what (RFC 7662 shape)",
      requestBody: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": { schema: ref("IntrospectionRequest") },
          "application/json": { schema: ref("IntrospectionRequest") },
        },
      },
      responses: {
        "200": { description: "`{\"active\": false}` for anything that does not work in your workspace", content: json("IntrospectionResponse") },
        "400": problem("Malformed request"),
        "429": problem("Too many failed introspections; see Retry-After"),
        ...commonErrors,
      },
    },
  },
};
