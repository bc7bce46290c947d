import { credentialKindOf } from "@clientapps/credentials";
import { z } from "zod";
import { callerOf } from "../auth/authenticate.js";
import type { ClientCredentials } from "../auth/clientCredentials.js";
import type { FailureRateLimit } from "../http/failureRateLimit.js";
import { Problems } from "../http/problem.js";
import { defineRoute, type Route } from "../http/routes/defineRoute.js";
import { json, problem, retryAfterHeaders } from "../http/routes/routeResponses.js";

export const IntrospectionRequest = z
  .object({
    token: z.string().min(1).max(200),
    token_type_hint: z.enum(["api_key", "client_secret"]).optional(),
    client_id: z.string().min(1).max(64).optional().meta({ description: "Required when the token is a client secret." }),
  })
  .meta({ id: "IntrospectionRequest" });

export const IntrospectionResponse = z
  .object({
    active: z.boolean(),
    token_type: z.enum(["api_key", "client_secret"]).optional(),
    client_id: z.string().optional(),
    workspace_id: z.string().optional(),
    scope: z.string().optional(),
    iat: z.number().int().optional(),
    exp: z.number().int().optional().meta({ description: "When it stops working: an API key's expiry, a superseded secret's grace end." }),
    credential_id: z.string().optional(),
  })
  .meta({ id: "IntrospectionResponse" });

const epoch = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

type Dependencies = Readonly<{ clientCredentials: ClientCredentials; clock: () => Date; failures: FailureRateLimit }>;

/**
 * `POST /credentials/introspect` (RFC 7662 shape) for downstream services: is
 * this API key, or this client id with this secret, working right now, and for
 * what. Answers only about the caller's own workspace; anything else, and any
 * failure, is plainly `{"active": false}`.
 */
export const introspectionRoutes = (deps: Dependencies): Route[] => [
  defineRoute({
    method: "post",
    path: "/api/v1/credentials/introspect",
    operationId: "introspectCredential",
    tags: ["Credentials"],
    summary: "Is this API key, or this client id with this secret, working now, and for what (RFC 7662 shape)",
    access: "read",
    // RFC 7662 §2.1 sends a form; JSON is accepted too.
    body: { schema: IntrospectionRequest, contentTypes: ["application/x-www-form-urlencoded", "application/json"], required: true },
    responses: {
      200: { description: '`{"active": false}` for anything that does not work in your workspace', content: json(IntrospectionResponse) },
      429: problem("Too many failed introspections; see Retry-After", retryAfterHeaders),
    },
    handler: async ({ body }, request, response) => {
      const caller = callerOf(response);
      const limitKey = `${caller.credentialId}|${request.ip ?? ""}`;
      deps.failures.assertAllowed(limitKey);
      const now = deps.clock();
      response.set({ "Cache-Control": "no-store", Pragma: "no-cache" });

      const inactive = () => {
        deps.failures.recordFailure(limitKey);
        response.json({ active: false });
      };
      switch (credentialKindOf(body.token)) {
        case "apiKey": {
          const verified = await deps.clientCredentials.apiKey(body.token, now);
          if (!verified || verified.client.workspaceId !== caller.workspaceId) return inactive();
          return void response.json({
            active: true,
            token_type: "api_key",
            client_id: verified.client.clientId,
            workspace_id: verified.client.workspaceId,
            scope: verified.key.scopes.join(" "),
            iat: epoch(verified.key.createdOn),
            ...(verified.key.expiresOn ? { exp: epoch(verified.key.expiresOn) } : {}),
            credential_id: verified.key.keyId,
          });
        }
        case "clientSecret": {
          if (!body.client_id)
            throw Problems.badRequest("client_id_required", "Introspecting a client secret needs the client_id it belongs to.");
          const verified = await deps.clientCredentials.clientSecret(caller.workspaceId, body.client_id, body.token, now);
          if (!verified) return inactive();
          return void response.json({
            active: true,
            token_type: "client_secret",
            client_id: verified.client.clientId,
            workspace_id: verified.client.workspaceId,
            scope: verified.client.scopes.join(" "),
            iat: epoch(verified.secret.createdOn),
            ...(verified.secret.expiresOn ? { exp: epoch(verified.secret.expiresOn) } : {}),
            credential_id: verified.secret.secretId,
          });
        }
        default:
          return inactive();
      }
    },
  }),
];
