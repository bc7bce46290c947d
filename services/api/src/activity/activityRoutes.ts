import {
  activityAnchorsCollection,
  actorOfEntry,
  activityStreamCollection,
  activityVerificationCollection,
  verifyActivityChainFromCheckpoint,
  type ActivityEntry,
  type ChainAnchor,
} from "@clientapps/audit-trail";
import { actorLimits, actorTypes } from "@clientapps/domain";
import type { FindQuery, ReadModelStore } from "@clientapps/read-models";
import { once } from "node:events";
import type { Request, Response } from "express";
import { z } from "zod";
import { callerOf } from "../auth/authenticate.js";
import { ClientIdParams } from "../clientApplications/clientApplicationRoutes.js";
import { Problems } from "../http/problem.js";
import { defineRoute, type ResponseDeclaration, type Route } from "../http/routes/defineRoute.js";
import { Cursor, LastEventId } from "../http/routes/routeHeaders.js";
import { json } from "../http/routes/routeResponses.js";
import { lastEventId, streamServerSentEvents } from "../http/serverSentEvents.js";
import { streamRefusals, type StreamSlots } from "../http/streamSlots.js";
import { createTailWaker } from "./activityTailWaker.js";

const timestamp = z.iso.datetime({ offset: true });

export const ActivityStreamQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  cursor: Cursor.optional(),
  clientId: z.string().min(1).max(64).optional(),
  actorType: z
    .enum(actorTypes)
    .optional()
    .meta({ description: "Entries made by actors of this type: `user` (single sign-on), `apiKey`, `adminToken`, …" }),
  actorId: z
    .string()
    .min(1)
    .max(actorLimits.id)
    .optional()
    .meta({ description: "Entries made by this actor: a user's subject (`sub`), a credential's id, a system component." }),
  actor: z
    .string()
    .min(1)
    .max(actorLimits.id)
    .optional()
    .meta({ description: "The same as actorId, under its older name; when both are given they must agree." }),
  type: z.string().min(1).max(100).optional().meta({ description: "Event type, e.g. SecretRotated." }),
  from: timestamp.optional().meta({ description: "Entries that occurred at or after this time." }),
  to: timestamp.optional().meta({ description: "Entries that occurred before this time." }),
  lastEventId: z.string().optional().meta({ description: "For event-stream clients that cannot send Last-Event-ID." }),
});

export const ActorResource = z
  .object({
    type: z.enum(actorTypes),
    id: z.string().meta({ description: "A user's subject (`sub`), a credential's public id, or a system component." }),
    name: z.string().nullable().optional().meta({ description: "A user's display name, as their token carried it then." }),
    email: z.string().nullable().optional().meta({ description: "A user's e-mail, as their token carried it then." }),
  })
  .meta({ id: "Actor", description: "Who made the change, as recorded at the time; never a token or a hash." });

export const ActivityEntryResource = z
  .object({
    sequence: z.number().int(),
    eventId: z.string(),
    time: z.string(),
    actor: ActorResource,
    operation: z.string(),
    eventType: z.string(),
    object: z.object({ type: z.string(), id: z.string() }),
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
    requestId: z.string().nullable(),
    correlationId: z.string().nullable(),
    sourceIp: z.string().nullable(),
    userAgent: z.string().nullable(),
    previousHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: "ActivityEntry" });

export const ChainVerificationResource = z
  .object({
    valid: z.boolean(),
    entriesChecked: z.number().int(),
    firstBroken: z
      .object({
        sequence: z.number().int(),
        eventId: z.string().nullable(),
        reason: z.enum(["missing", "previous_hash_mismatch", "content_altered", "anchor_mismatch"]),
      })
      .nullable(),
  })
  .meta({ id: "ChainVerification" });

export const toActivityResource = (entry: ActivityEntry): z.infer<typeof ActivityEntryResource> => ({
  sequence: entry.sequence,
  eventId: entry.eventId,
  time: entry.occurredAt,
  actor: actorOfEntry(entry),
  operation: entry.operation,
  eventType: entry.eventType,
  object: { type: entry.objectType, id: entry.objectId },
  changes: entry.changes,
  requestId: entry.requestId,
  correlationId: entry.correlationId,
  sourceIp: entry.sourceIp,
  userAgent: entry.userAgent,
  previousHash: entry.previousHash,
  hash: entry.hash,
});

type Query = z.infer<typeof ActivityStreamQuery>;

const findQuery = (workspaceId: string, query: Query, clientId: string | undefined): FindQuery<ActivityEntry> => ({
  where: {
    workspaceId,
    ...(clientId ? { objectType: "clientApplication", objectId: clientId } : {}),
    ...(query.actorType ? { actorType: query.actorType } : {}),
    ...((query.actorId ?? query.actor) ? { actorId: query.actorId ?? query.actor } : {}),
    ...(query.type ? { eventType: query.type } : {}),
  },
  range: query.from || query.to ? { field: "occurredAt", from: query.from, to: query.to } : undefined,
  orderBy: { field: "sequence", direction: "asc" },
  limit: query.pageSize,
  cursor: query.cursor,
});

const tags = ["Audit"];
const tailHeaders = z.object({ "Last-Event-ID": LastEventId.optional() });
const activityResponse: ResponseDeclaration = {
  description: "Entries in chain order; the next page in the Link header (rel=next)",
  headers: z.object({ Link: z.string().optional() }),
  content: {
    "application/json": z.array(ActivityEntryResource),
    // One ActivityEntry per line: the schema of each line, since OpenAPI 3.1 cannot say "lines of".
    "application/x-ndjson": ActivityEntryResource,
    "text/event-stream": z.string().meta({ description: "A live tail: `event: activity`, `id: <sequence>`, `data: <ActivityEntry>`." }),
  },
};

export type ActivityRouteDependencies = Readonly<{ readModels: ReadModelStore; pollIntervalMs: number; slots: StreamSlots }>;

export const VerifyQuery = z.strictObject({
  full: z
    .enum(["true", "false"])
    .default("false")
    .meta({ description: "true: walk the whole chain from its first entry. false: walk on from the last verified entry." }),
});

/**
 * The activity stream of the caller's workspace, as pages (JSON), as an export
 * (NDJSON, every matching entry) or as a live tail (SSE, resumable), plus the
 * verification of its hash chain.
 */
export const activityRoutes = async (deps: ActivityRouteDependencies): Promise<Route[]> => {
  const entries = await deps.readModels.collection<ActivityEntry>(activityStreamCollection);
  const anchors = await deps.readModels.collection<ChainAnchor>(activityAnchorsCollection);
  const checkpoints = await deps.readModels.collection<ChainAnchor>(activityVerificationCollection);
  const waker = createTailWaker(anchors);

  const serve = async (query: Query, request: Request, response: Response, clientId: string | undefined, basePath: string) => {
    const { workspaceId } = callerOf(response);
    if (query.actor !== undefined && query.actorId !== undefined && query.actor !== query.actorId) {
      throw Problems.validation([{ field: "actor", code: "conflicting", message: "must be the same as actorId when both are given" }]);
    }
    const find = findQuery(workspaceId, query, clientId ?? query.clientId);
    switch (request.accepts(["application/json", "application/x-ndjson", "text/event-stream"])) {
      case "text/event-stream": {
        // Without Last-Event-ID a tail starts at the end: it shows what happens from now on.
        const head = await entries.find({ where: { workspaceId }, orderBy: { field: "sequence", direction: "desc" }, limit: 1 });
        return streamServerSentEvents(request, response, {
          event: "activity",
          pollIntervalMs: deps.pollIntervalMs,
          slots: deps.slots,
          // Entries this process records at once; those another process records (the audit service) within a look.
          watch: (listener) => {
            const stops = [entries.watch?.(listener), waker.watch(workspaceId, listener)];
            return () => {
              for (const stop of stops) stop?.();
            };
          },
          startAfter: lastEventId(request) ?? head.items[0]?.document.sequence ?? 0,
          fetch: async (after) => {
            const page = await entries.find({ ...find, range: { field: "sequence", from: after + 1 }, limit: 100, cursor: undefined });
            return page.items.map((item) => ({ id: item.document.sequence, data: toActivityResource(item.document) }));
          },
        });
      }
      case "application/x-ndjson": {
        response.status(200).set({ "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" });
        const gone = new AbortController();
        request.on("close", () => gone.abort());
        for (let cursor: string | undefined = query.cursor, first = true; (first || cursor) && !gone.signal.aborted; first = false) {
          const page = await entries.find({ ...find, limit: 500, cursor });
          for (const item of page.items) {
            // Written at the pace the client reads, so an export of any size needs little memory.
            if (!response.write(`${JSON.stringify(toActivityResource(item.document))}\n`) && !gone.signal.aborted) {
              await Promise.race([once(response, "drain"), once(request, "close")]);
            }
          }
          cursor = page.nextCursor;
        }
        return void response.end();
      }
      default: {
        const page = await entries.find(find);
        if (page.nextCursor) {
          const next = new URLSearchParams(request.url.split("?")[1] ?? "");
          next.set("cursor", page.nextCursor);
          response.setHeader("Link", `<${basePath}?${next.toString()}>; rel="next"`);
        }
        response.setHeader("Cache-Control", "private, no-cache");
        return void response.json(page.items.map((item) => toActivityResource(item.document)));
      }
    }
  };

  return [
    defineRoute({
      method: "get",
      path: "/api/v1/activity_stream",
      operationId: "listActivity",
      tags,
      summary: "The workspace's activity stream: who changed what, when, from where; hash-chained",
      access: "read",
      query: ActivityStreamQuery,
      headers: tailHeaders,
      responses: { 200: activityResponse, ...streamRefusals },
      handler: ({ query }, request, response) => serve(query, request, response, undefined, "/api/v1/activity_stream"),
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/activity_stream/verify",
      operationId: "verifyActivity",
      tags,
      summary: "Recompute the hash chain and name the first broken entry",
      description: [
        "Incremental (the default): the entries up to the last verified one (the checkpoint, kept per workspace) are taken as sound;",
        "the checkpoint's own entry and every entry after it are recomputed. It finds an entry appended, edited, removed or",
        "reordered after the checkpoint, a change to the checkpoint's entry and entries cut off the end, but not an edit of an",
        "entry before the checkpoint; `entriesChecked` counts the entries after it. `full=true` recomputes the whole chain from",
        "its first entry and finds any of these anywhere. " +
          "A chain that holds moves the checkpoint to its last entry; a broken one leaves it.",
      ].join(" "),
      access: "read",
      query: VerifyQuery,
      responses: { 200: { description: "Whether the chain holds", content: json(ChainVerificationResource) } },
      handler: async ({ query }, _request, response) => {
        const { workspaceId } = callerOf(response);
        response.setHeader("Cache-Control", "no-store");
        response.json(
          await verifyActivityChainFromCheckpoint({ entries, anchors, checkpoints }, workspaceId, { full: query.full === "true" }),
        );
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/clientapplications/{clientId}/activity_stream",
      operationId: "listClientActivity",
      tags,
      summary: "The activity of one client application",
      description: "Readable after the client is deleted: the audit trail outlives it.",
      access: "read",
      params: ClientIdParams,
      query: ActivityStreamQuery,
      headers: tailHeaders,
      responses: { 200: activityResponse, ...streamRefusals },
      handler: ({ params: { clientId }, query }, request, response) =>
        serve(query, request, response, clientId, `/api/v1/clientapplications/${encodeURIComponent(clientId)}/activity_stream`),
    }),
  ];
};
