import type { EventStore } from "@clientapps/event-store";
import type { MessageBus } from "@clientapps/message-bus";
import type { ReadModelStore } from "@clientapps/read-models";
import { readiness } from "@clientapps/runtime";
import { Router } from "express";

/**
 * `/healthz`: the process answers. `/readyz`: the engines answer too, with each
 * projection's checkpoint beside the head of the log, so lag is visible.
 */
export const healthRoutes = (
  deps: Readonly<{ eventStore: EventStore; readModels: ReadModelStore; bus: MessageBus; projections: readonly string[] }>,
): Router => {
  const router = Router();
  router.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });
  router.get("/readyz", async (_request, response) => {
    // The api writes and reads without the bus: a bus outage delays the audit trail, it does not stop the api.
    const ready = await readiness({ ...deps, checkpoints: deps.projections, required: ["eventStore", "readModels"] });
    response.status(ready.status).set(ready.headers).json(ready.body);
  });
  return router;
};
