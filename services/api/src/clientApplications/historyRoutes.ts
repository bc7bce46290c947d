import { clientApplicationDecider, clientApplicationStreamName } from "@clientapps/domain";
import { foldStream, type EventStore } from "@clientapps/event-store";
import { Router } from "express";
import { z } from "zod";
import { callerOf, requireAccess } from "../auth/authenticate.js";
import { etagOf } from "../http/conditional.js";
import { Problems } from "../http/problem.js";
import { parseOrThrow } from "../http/validate.js";
import { toResource } from "./resource.js";
import { ClientApplicationResource } from "./schemas.js";

export const HistoryQuery = z.strictObject({
  at: z.iso.datetime({ offset: true }).meta({ description: "The moment to show the client application as it was." }),
});

export const HistoricalClientApplication = z
  .object({
    at: z.string(),
    revision: z.number().int().meta({ description: "The last event applied: the client's ETag at that time." }),
    status: z.enum(["existing", "deleted"]),
    clientApplication: ClientApplicationResource.nullable(),
    deletedOn: z.string().nullable(),
  })
  .meta({ id: "HistoricalClientApplication" });

/**
 * `GET /clientapplications/{clientId}/history?at=`: the client application as it
 * was at a moment, rebuilt by folding its own events up to then. The stream is
 * cut at the first event after `at`, so the answer is always a state that existed.
 */
export const historyRoutes = (deps: Readonly<{ eventStore: EventStore }>): Router => {
  const router = Router();
  router.get("/:clientId/history", requireAccess("read"), async (request, response) => {
    const { at } = parseOrThrow(HistoryQuery, request.query, "query");
    const clientId = String(request.params.clientId);
    const recorded = await deps.eventStore.readStream(clientApplicationStreamName(callerOf(response).workspaceId, clientId));
    const moment = Date.parse(at);
    const cut = recorded.findIndex((event) => Date.parse(String(event.metadata.occurredAt ?? event.recordedAt)) > moment);
    const applied = cut === -1 ? recorded : recorded.slice(0, cut);
    if (applied.length === 0) {
      throw Problems.notFound("client_not_found", `There was no client application '${clientId}' at ${at}.`);
    }
    const state = foldStream(applied, clientApplicationDecider);
    const revision = applied.at(-1)!.revision;
    response.setHeader("ETag", etagOf(revision));
    response.json({
      at,
      revision,
      status: state.status === "deleted" ? "deleted" : "existing",
      clientApplication: state.status === "registered" ? toResource(state.client) : null,
      deletedOn: state.status === "deleted" ? state.deletedOn : null,
    });
  });
  return router;
};
