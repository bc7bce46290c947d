import type { EventStore } from "@clientapps/event-store";
import type { MessageBus } from "@clientapps/message-bus";
import type { ReadModelStore } from "@clientapps/read-models";
import { readiness } from "@clientapps/runtime";
import { z } from "zod";
import { defineRoute, type Route } from "../http/routes/defineRoute.js";
import { json, retryAfterHeaders } from "../http/routes/routeResponses.js";

const tags = ["Operations"];
const CheckResource = z.object({ status: z.enum(["up", "down"]), detail: z.string().optional() });
const Readiness = z.object({
  status: z.enum(["ready", "unavailable"]),
  eventStore: CheckResource,
  readModels: CheckResource,
  bus: CheckResource,
  headPosition: z.string().nullable(),
  projections: z.record(z.string(), z.object({ checkpoint: z.string().nullable(), caughtUp: z.boolean() })),
});

/**
 * `/healthz`: the process answers. `/readyz`: the engines answer too, with each
 * projection's checkpoint beside the head of the log, so lag is visible.
 */
export const healthRoutes = (
  deps: Readonly<{ eventStore: EventStore; readModels: ReadModelStore; bus: MessageBus; projections: readonly string[] }>,
): Route[] => [
  defineRoute({
    method: "get",
    path: "/healthz",
    operationId: "healthz",
    tags,
    summary: "Liveness",
    access: "none",
    responses: { 200: { description: "Alive", content: json(z.object({ status: z.literal("ok") })) } },
    handler: (_input, _request, response) => {
      response.json({ status: "ok" });
    },
  }),
  defineRoute({
    method: "get",
    path: "/readyz",
    operationId: "readyz",
    tags,
    summary: "Readiness: engines reachable, projection lag",
    access: "none",
    responses: {
      200: { description: "Ready", content: json(Readiness) },
      503: { description: "Not ready", headers: retryAfterHeaders, content: json(Readiness) },
    },
    handler: async (_input, _request, response) => {
      // The api writes and reads without the bus: a bus outage delays the audit trail, it does not stop the api.
      const ready = await readiness({ ...deps, checkpoints: deps.projections, required: ["eventStore", "readModels"] });
      response.status(ready.status).set(ready.headers).json(ready.body);
    },
  }),
];
