import { activityStreamCollection, type ActivityEntry } from "@clientapps/audit-trail";
import { z } from "zod";
import { callerOf } from "../../auth/authenticate.js";
import { defineRoute, type Route } from "../../http/routes/defineRoute.js";
import { json, notFound } from "../../http/routes/routeResponses.js";
import { awxScopeOf, tokenNumberOf, workingKeys } from "./awxApplication.js";
import type { AwxLookup } from "./awxLookup.js";
import { awxPageOf, findAll } from "./awxPaging.js";
import type { AwxRouteDependencies } from "./awxRoutes.js";
import { AwxItemParams, awxPage, awxTag, hiddenSecret } from "./awxSchemas.js";

const tags = [awxTag];
const item = "/api/v2/applications/{id}/";

const AwxToken = z.object({
  id: z.number().int(),
  type: z.literal("o_auth2_access_token"),
  description: z.string(),
  scope: z.enum(["read", "write"]),
  token: z.literal(hiddenSecret),
  application: z.number().int(),
  expires: z.string().nullable(),
  created: z.string(),
  modified: z.string(),
});

const AwxActivity = z.object({
  id: z.number().int(),
  type: z.literal("activity_stream"),
  timestamp: z.string(),
  operation: z.string(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  object1: z.literal("o_auth2_application"),
  object2: z.string(),
  object_association: z.string(),
  summary_fields: z.object({ actor: z.object({ type: z.string(), id: z.string() }), event_type: z.string() }),
});

const PagedQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(25),
});

/** An application's `related` links: its activity stream, and its API keys as AWX tokens. */
export const awxRelatedRoutes = async (deps: AwxRouteDependencies, { applicationOf }: AwxLookup): Promise<Route[]> => {
  const activity = await deps.readModels.collection<ActivityEntry>(activityStreamCollection);
  return [
    defineRoute({
      method: "get",
      path: `${item}activity_stream/`,
      operationId: "awxListApplicationActivity",
      tags,
      summary: "The application's activity stream, as AWX pages it",
      access: "read",
      params: AwxItemParams,
      query: PagedQuery,
      responses: { 200: { description: "One page", content: json(awxPage(AwxActivity)) }, 404: notFound() },
      handler: async ({ params, query }, request, response) => {
        const caller = callerOf(response);
        const { client } = await applicationOf(caller, request, params.id);
        const entries = await findAll(activity, {
          where: { workspaceId: caller.workspaceId, objectType: "clientApplication", objectId: client.clientId },
          orderBy: { field: "sequence", direction: "asc" },
        });
        const results = entries.map(({ document: entry }) => ({
          id: entry.sequence,
          type: "activity_stream" as const,
          timestamp: entry.occurredAt,
          operation: entry.operation,
          changes: entry.changes,
          object1: "o_auth2_application" as const,
          object2: "",
          object_association: "",
          summary_fields: { actor: { type: entry.actorType, id: entry.actorId }, event_type: entry.eventType },
        }));
        response.setHeader("Cache-Control", "private, no-cache");
        response.json(awxPageOf(request, results, query.page, query.page_size));
      },
    }),
    defineRoute({
      method: "get",
      path: `${item}tokens/`,
      operationId: "awxListApplicationTokens",
      tags,
      summary: "The application's working API keys, as AWX tokens (the key itself is never shown again)",
      access: "read",
      params: AwxItemParams,
      query: PagedQuery,
      responses: { 200: { description: "One page", content: json(awxPage(AwxToken)) }, 404: notFound() },
      handler: async ({ params, query }, request, response) => {
        const caller = callerOf(response);
        const { client } = await applicationOf(caller, request, params.id);
        const tokens = workingKeys(client, deps.clock()).map((key) => ({
          id: tokenNumberOf(client, key),
          type: "o_auth2_access_token" as const,
          description: key.name,
          scope: awxScopeOf(key),
          token: hiddenSecret,
          application: params.id,
          expires: key.expiresOn,
          created: key.createdOn,
          modified: key.createdOn,
        }));
        response.setHeader("Cache-Control", "private, no-cache");
        response.json(awxPageOf(request, tokens, query.page, query.page_size));
      },
    }),
  ];
};
