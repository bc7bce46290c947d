import { clientApplicationDecider, clientApplicationStreamName } from "@clientapps/domain";
import { foldStream, type EventStore, type RecordedEvent } from "@clientapps/event-store";
import { z } from "zod";
import { callerOf } from "../auth/authenticate.js";
import { etagOf } from "../http/conditional.js";
import { Problems } from "../http/problem.js";
import { defineRoute, type Route } from "../http/routes/defineRoute.js";
import { ETagHeader } from "../http/routes/routeHeaders.js";
import { json, notFound } from "../http/routes/routeResponses.js";
import { ClientIdParams } from "./clientApplicationRoutes.js";
import { toResource } from "./resource.js";
import { ClientApplicationResource } from "./schemas.js";

/** When the change was made, as the writer recorded it; when the store recorded it, for an event without. */
const occurredAt = (event: RecordedEvent): string => {
  const recorded = event.metadata.occurredAt;
  return typeof recorded === "string" && !Number.isNaN(Date.parse(recorded)) ? recorded : event.recordedAt;
};

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
export const historyRoutes = (deps: Readonly<{ eventStore: EventStore }>): Route[] => [
  defineRoute({
    method: "get",
    path: "/api/v1/clientapplications/{clientId}/history",
    operationId: "getClientHistory",
    tags: ["Audit"],
    summary: "The client application as it was at a moment, rebuilt from its events",
    description: "Readable after the client is deleted: a moment after the deletion shows status `deleted`.",
    access: "read",
    params: ClientIdParams,
    query: HistoryQuery,
    responses: {
      200: { description: "Its state then", headers: z.object({ ETag: ETagHeader }), content: json(HistoricalClientApplication) },
      404: notFound("It did not exist then"),
    },
    handler: async ({ params: { clientId }, query: { at } }, _request, response) => {
      const recorded = await deps.eventStore.readStream(clientApplicationStreamName(callerOf(response).workspaceId, clientId));
      const moment = Date.parse(at);
      const cut = recorded.findIndex((event) => Date.parse(occurredAt(event)) > moment);
      const applied = cut === -1 ? recorded : recorded.slice(0, cut);
      const last = applied.at(-1);
      if (!last) throw Problems.notFound("client_not_found", `There was no client application '${clientId}' at ${at}.`);
      const state = foldStream(applied, clientApplicationDecider);
      response.setHeader("ETag", etagOf(last.revision));
      response.json({
        at,
        revision: last.revision,
        status: state.status === "deleted" ? "deleted" : "existing",
        clientApplication: state.status === "registered" ? toResource(state.client) : null,
        deletedOn: state.status === "deleted" ? state.deletedOn : null,
      });
    },
  }),
];
