import {
  activityAnchorsCollection,
  activityStreamCollection,
  verifyActivityChain,
  type ActivityEntry,
  type ChainAnchor,
} from "@clientapps/audit-trail";
import type { FindQuery, ReadModelStore } from "@clientapps/read-models";
import { once } from "node:events";
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { callerOf, requireAccess } from "../auth/authenticate.js";
import { lastEventId, streamServerSentEvents } from "../http/serverSentEvents.js";
import { parseOrThrow } from "../http/validate.js";

const timestamp = z.iso.datetime({ offset: true });

export const ActivityStreamQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(1000).optional(),
  clientId: z.string().min(1).max(64).optional(),
  actor: z.string().min(1).max(200).optional().meta({ description: "The actor's id: a credential, API key or system component." }),
  type: z.string().min(1).max(100).optional().meta({ description: "Event type, e.g. SecretRotated." }),
  from: timestamp.optional().meta({ description: "Entries that occurred at or after this time." }),
  to: timestamp.optional().meta({ description: "Entries that occurred before this time." }),
  lastEventId: z.string().optional().meta({ description: "For event-stream clients that cannot send Last-Event-ID." }),
});

export const ActivityEntryResource = z
  .object({
    sequence: z.number().int(),
    eventId: z.string(),
    time: z.string(),
    actor: z.object({ type: z.string(), id: z.string() }),
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
  actor: { type: entry.actorType, id: entry.actorId },
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
    ...(clientId ? { objectId: clientId } : {}),
    ...(query.actor ? { actorId: query.actor } : {}),
    ...(query.type ? { eventType: query.type } : {}),
  },
  range: query.from || query.to ? { field: "occurredAt", from: query.from, to: query.to } : undefined,
  orderBy: { field: "sequence", direction: "asc" },
  limit: query.pageSize,
  cursor: query.cursor,
});

export type ActivityRouteDependencies = Readonly<{ readModels: ReadModelStore; pollIntervalMs: number }>;

/**
 * The activity stream of the caller's workspace, as pages (JSON), as an export
 * (NDJSON, every matching entry) or as a live tail (SSE, resumable), plus the
 * verification of its hash chain.
 */
export const activityRoutes = async (
  deps: ActivityRouteDependencies,
): Promise<Readonly<{ workspace: Router; clientApplication: Router }>> => {
  const entries = await deps.readModels.collection<ActivityEntry>(activityStreamCollection);
  const anchors = await deps.readModels.collection<ChainAnchor>(activityAnchorsCollection);

  const serve = async (request: Request, response: Response, clientId: string | undefined, basePath: string) => {
    const query = parseOrThrow(ActivityStreamQuery, request.query, "query");
    const { workspaceId } = callerOf(response);
    const find = findQuery(workspaceId, query, clientId ?? query.clientId);
    switch (request.accepts(["application/json", "application/x-ndjson", "text/event-stream"])) {
      case "text/event-stream": {
        // Without Last-Event-ID a tail starts at the end: it shows what happens from now on.
        const head = await entries.find({ where: { workspaceId }, orderBy: { field: "sequence", direction: "desc" }, limit: 1 });
        return streamServerSentEvents(request, response, {
          event: "activity",
          pollIntervalMs: deps.pollIntervalMs,
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
          const next = new URLSearchParams(request.query as Record<string, string>);
          next.set("cursor", page.nextCursor);
          response.setHeader("Link", `<${basePath}?${next.toString()}>; rel="next"`);
        }
        response.setHeader("Cache-Control", "private, no-cache");
        return void response.json(page.items.map((item) => toActivityResource(item.document)));
      }
    }
  };

  // Mounted at /api/v1/activity_stream.
  const workspace = Router();
  workspace.get("/", requireAccess("read"), (request, response) => serve(request, response, undefined, "/api/v1/activity_stream"));
  workspace.get("/verify", requireAccess("read"), async (_request, response) => {
    const { workspaceId } = callerOf(response);
    response.setHeader("Cache-Control", "no-store");
    response.json(await verifyActivityChain(entries, anchors, workspaceId));
  });

  // Mounted with the other client-application routes.
  const clientApplication = Router();
  clientApplication.get("/:clientId/activity_stream", requireAccess("read"), (request, response) => {
    const clientId = String(request.params.clientId);
    return serve(request, response, clientId, `/api/v1/clientapplications/${encodeURIComponent(clientId)}/activity_stream`);
  });
  return { workspace, clientApplication };
};
