import { clientIdParameter, commonErrors, json, problem, queryParameters, ref } from "../openapi/openApiParts.js";
import { TokenFeedQuery } from "../tokens/tokenFeedRoutes.js";
import { ActivityStreamQuery } from "./activityRoutes.js";
import { HistoryQuery } from "../clientApplications/historyRoutes.js";

const lastEventIdHeader = {
  name: "Last-Event-ID",
  in: "header",
  required: false,
  schema: { type: "string" },
  description: "With Accept: text/event-stream, resume after this entry (the SSE id last received).",
};

const activityContent = {
  "application/json": { schema: { type: "array", items: ref("ActivityEntry") } },
  "application/x-ndjson": { schema: ref("ActivityEntry"), description: "Every matching entry, one JSON object per line." },
  "text/event-stream": { schema: { type: "string" }, description: "A live tail: `event: activity`, `id: <sequence>`, `data: <ActivityEntry>`." },
};

const activityResponses = {
  "200": { description: "Entries in chain order; the next page in the Link header (rel=next)", content: activityContent },
  "400": problem("Invalid filter or cursor"),
  ...commonErrors,
};

/** OpenAPI paths of the activity stream, its verification, the revocation feed and history. */
export const activityPaths = {
  "/api/v1/activity_stream": {
    get: {
      operationId: "listActivity",
      tags: ["Audit"],
      summary: "The workspace's activity stream: who changed what, when, from where; hash-chained",
      parameters: [...queryParameters(ActivityStreamQuery), lastEventIdHeader],
      responses: activityResponses,
    },
  },
  "/api/v1/activity_stream/verify": {
    get: {
      operationId: "verifyActivity",
      tags: ["Audit"],
      summary: "Recompute the hash chain and name the first broken entry",
      responses: { "200": { description: "Whether the chain holds", content: json("ChainVerification") }, ...commonErrors },
    },
  },
  "/api/v1/clientapplications/{clientId}/activity_stream": {
    parameters: [clientIdParameter],
    get: {
      operationId: "listClientActivity",
      tags: ["Audit"],
      summary: "The activity of one client application",
      parameters: [...queryParameters(ActivityStreamQuery), lastEventIdHeader],
      responses: activityResponses,
    },
  },
  "/api/v1/clientapplications/{clientId}/history": {
    parameters: [clientIdParameter],
    get: {
      operationId: "getClientHistory",
      tags: ["Audit"],
      summary: "The client application as it was at a moment, rebuilt from its events",
      parameters: queryParameters(HistoryQuery).map((parameter) => ({ ...(parameter as object), required: true })),
      responses: { "200": { description: "Its state then", content: json("HistoricalClientApplication") }, "404": problem("It did not exist then"), ...commonErrors },
    },
  },
  "/api/v1/tokens/feed": {
    get: {
      operationId: "tokenRevocationFeed",
      tags: ["Audit"],
      summary: "What downstream services must revoke, in order: by cursor, long poll (wait) or SSE",
      parameters: [...queryParameters(TokenFeedQuery), lastEventIdHeader],
      responses: {
        "200": {
          description: "Entries after the cursor",
          content: {
            "application/json": { schema: ref("TokenFeedPage") },
            "text/event-stream": { schema: { type: "string" }, description: "`event: revocation`, `id: <sequence>`, `data: <Revocation>`." },
          },
        },
        "400": problem("Invalid cursor"),
        ...commonErrors,
      },
    },
  },
  "/metrics": {
    get: {
      operationId: "metrics",
      tags: ["Operations"],
      summary: "Prometheus metrics: requests, projection lag, activity-stream lag",
      security: [],
      responses: { "200": { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } } },
    },
  },
};
