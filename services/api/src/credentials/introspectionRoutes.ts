import { credentialKindOf, type SecretHasher } from "@clientapps/credentials";
import { z } from "zod";
import { callerOf, type Caller } from "../auth/authenticate.js";
import type { ClientCredentials } from "../auth/clientCredentials.js";
import { Problems } from "../http/problem.js";
import type { RateLimit, RateLimits } from "../rateLimits/readModelRateLimiter.js";
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

/** Failed introspections allowed per minute: per presented credential, per client id, and per caller as a coarse ceiling. */
export type IntrospectionLimits = Readonly<{ perCredential: number; perClient: number; perCaller: number }>;

export const defaultIntrospectionLimits: IntrospectionLimits = { perCredential: 20, perClient: 50, perCaller: 1000 };

type Dependencies = Readonly<{
  clientCredentials: ClientCredentials;
  clock: () => Date;
  hasher: SecretHasher;
  rateLimits: RateLimits;
  limits?: IntrospectionLimits;
}>;

/**
 * Counts failed checks only, and refuses only failed checks: an answer about a
 * working credential is never held back, so no flood of bad tokens can lock a
 * downstream service out of checking its good ones. Counters are shared by every
 * instance (they live in the read-model store). The credential is counted by its
 * keyed hash (what the credential index stores), never by the credential itself.
 */
const failureCounter = (deps: Dependencies) => {
  const limits = deps.limits ?? defaultIntrospectionLimits;
  const minute = 60;
  const perCredential = deps.rateLimits.limit({ name: "introspect:credential", points: limits.perCredential, durationSeconds: minute });
  const perClient = deps.rateLimits.limit({ name: "introspect:client", points: limits.perClient, durationSeconds: minute });
  const perCaller = deps.rateLimits.limit({ name: "introspect:caller", points: limits.perCaller, durationSeconds: minute });
  return async (caller: Caller, token: string, clientId: string | undefined): Promise<void> => {
    const counted: [RateLimit, string][] = [
      [perCredential, deps.hasher.hash(token)],
      [perCaller, caller.credentialId],
      ...(clientId === undefined ? [] : [[perClient, `${caller.workspaceId}:${clientId}`] satisfies [RateLimit, string]]),
    ];
    const waits = await Promise.all(counted.map(([limit, key]) => limit.consume(key)));
    const retryAfter = Math.max(0, ...waits.map((wait) => wait ?? 0));
    if (retryAfter > 0) throw Problems.tooManyRequests(`Too many failed introspections; retry in ${retryAfter} s.`, retryAfter);
  };
};

/**
 * `POST /credentials/introspect` (RFC 7662 shape) for downstream services: is
 * this API key, or this client id with this secret, working right now, and for
 * what. Answers only about the caller's own workspace; anything else, and any
 * failure, is plainly `{"active": false}`.
 */
export const introspectionRoutes = (deps: Dependencies): Route[] => {
  const countFailure = failureCounter(deps);
  return [
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
        429: problem(
          "This credential, client id or caller failed too often " +
            "(only failed checks count, and a working credential is always answered); see Retry-After",
          retryAfterHeaders,
        ),
      },
      handler: async ({ body }, _request, response) => {
        const caller = callerOf(response);
        const now = deps.clock();
        response.set({ "Cache-Control": "no-store", Pragma: "no-cache" });

        const inactive = async () => {
          await countFailure(caller, body.token, body.client_id);
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
};
