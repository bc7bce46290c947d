import { revocationFeedCollection, type RevocationEntry } from "@clientapps/audit-trail";
import type { ReadModelStore } from "@clientapps/read-models";
import { sleep } from "@clientapps/runtime";
import { z } from "zod";
import { callerOf } from "../auth/authenticate.js";
import { defineRoute, type Route } from "../http/routes/defineRoute.js";
import { LastEventId } from "../http/routes/routeHeaders.js";
import { lastEventId, streamServerSentEvents } from "../http/serverSentEvents.js";
import { streamRefusals, type StreamSlots } from "../http/streamSlots.js";

export const TokenFeedQuery = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,15}$/, "must be a cursor from an earlier answer")
    .default("0")
    .meta({ description: "The cursor of the last answer; entries after it are returned. 0 is the beginning." }),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(60)
    .default(0)
    .meta({ description: "Long poll: seconds to wait for an entry when there is none yet." }),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
  clientId: z.string().min(1).max(64).optional(),
  lastEventId: z.string().optional(),
});

export const RevocationResource = z
  .object({
    sequence: z.number().int(),
    eventId: z.string(),
    clientId: z
      .string()
      .nullable()
      .meta({ description: "The client application; null for an entry about the whole workspace or an admin token." }),
    reason: z.enum([
      "secret_rotated",
      "secret_retired",
      "api_key_revoked",
      "api_key_revoked_with_issuer",
      "api_key_expired",
      "client_deactivated",
      "client_reactivated",
      "client_deleted",
      "workspace_suspended",
      "workspace_resumed",
      "workspace_deleted",
      "admin_token_revoked",
    ]),
    credential: z.object({
      type: z.enum(["client_secret", "api_key", "client", "workspace", "admin_token"]),
      id: z.string(),
      fingerprint: z.string().nullable(),
    }),
    revokeFrom: z.string().meta({
      description:
        "Tokens minted with this credential (or, for `client`, by this client; for `workspace`, by any credential of the workspace) " +
        "are invalid from this time on. For `workspace_resumed`, the end of the workspace's suspension. " +
        "For `client_reactivated`, the end of the client's revocation: the credentials in `reinstated` are valid again from this time on.",
    }),
    reinstated: z
      .object({
        secrets: z.array(z.object({ id: z.string(), fingerprint: z.string() })),
        apiKeys: z.array(z.object({ id: z.string(), fingerprint: z.string() })),
        registrationToken: z.boolean(),
      })
      .optional()
      .meta({ description: "For `client_reactivated`: the client's credentials that work again." }),
    occurredAt: z.string(),
  })
  .meta({ id: "Revocation" });

export const TokenFeedPage = z
  .object({ entries: z.array(RevocationResource), cursor: z.string().meta({ description: "Pass as `after` to get what comes next." }) })
  .meta({ id: "TokenFeedPage" });

const toResource = (entry: RevocationEntry): z.infer<typeof RevocationResource> => ({
  sequence: entry.sequence,
  eventId: entry.eventId,
  clientId: entry.clientId,
  reason: entry.reason,
  credential: { type: entry.credentialType, id: entry.credentialId, fingerprint: entry.fingerprint },
  revokeFrom: entry.revokeFrom,
  ...(entry.reinstated === undefined
    ? {}
    : {
        reinstated: {
          secrets: entry.reinstated.secrets.map((secret) => ({ id: secret.secretId, fingerprint: secret.fingerprint })),
          apiKeys: entry.reinstated.apiKeys.map((key) => ({ id: key.keyId, fingerprint: key.fingerprint })),
          registrationToken: entry.reinstated.registrationToken,
        },
      }),
  occurredAt: entry.occurredAt,
});

/**
 * `GET /tokens/feed`: what downstream services must revoke, in order, for the
 * caller's workspace. Plain pages with a cursor, a long poll (`wait`), or SSE.
 */
export const tokenFeedRoutes = async (
  deps: Readonly<{ readModels: ReadModelStore; pollIntervalMs: number; slots: StreamSlots }>,
): Promise<Route[]> => {
  const feed = await deps.readModels.collection<RevocationEntry>(revocationFeedCollection);
  return [
    defineRoute({
      method: "get",
      path: "/api/v1/tokens/feed",
      operationId: "tokenRevocationFeed",
      tags: ["Audit"],
      summary: "What downstream services must revoke, in order: by cursor, long poll (wait) or SSE",
      access: "read",
      query: TokenFeedQuery,
      headers: z.object({ "Last-Event-ID": LastEventId.optional() }),
      responses: {
        200: {
          description: "Entries after the cursor",
          content: {
            "application/json": TokenFeedPage,
            "text/event-stream": z.string().meta({ description: "`event: revocation`, `id: <sequence>`, `data: <Revocation>`." }),
          },
        },
        ...streamRefusals,
      },
      handler: async ({ query }, request, response) => {
        const { workspaceId } = callerOf(response);
        const gone = new AbortController();
        request.on("close", () => gone.abort());
        const after = async (sequence: number, limit: number) =>
          (
            await feed.find({
              where: { workspaceId, ...(query.clientId ? { clientId: query.clientId } : {}) },
              range: { field: "sequence", from: sequence + 1 },
              orderBy: { field: "sequence", direction: "asc" },
              limit,
            })
          ).items.map((item) => item.document);

        if (request.accepts(["application/json", "text/event-stream"]) === "text/event-stream") {
          return streamServerSentEvents(request, response, {
            event: "revocation",
            pollIntervalMs: deps.pollIntervalMs,
            slots: deps.slots,
            watch: feed.watch,
            startAfter: lastEventId(request) ?? Number(query.after),
            fetch: async (sequence) => (await after(sequence, 100)).map((entry) => ({ id: entry.sequence, data: toResource(entry) })),
          });
        }
        const from = Number(query.after);
        const deadline = Date.now() + query.wait * 1000;
        let entries = await after(from, query.pageSize);
        while (entries.length === 0 && Date.now() < deadline && !gone.signal.aborted) {
          await sleep(deps.pollIntervalMs, gone.signal);
          entries = await after(from, query.pageSize);
        }
        response.setHeader("Cache-Control", "no-store");
        response.json({ entries: entries.map(toResource), cursor: String(entries.at(-1)?.sequence ?? from) });
      },
    }),
  ];
};
