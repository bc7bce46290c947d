import type { EventStore } from "@clientapps/event-store";
import type { MessageBus } from "@clientapps/message-bus";
import type { ReadModelStore } from "@clientapps/read-models";
import { Router } from "express";

type Check = Readonly<{ status: "up" | "down"; detail?: string }>;

const check = async (probe: () => Promise<unknown>): Promise<Check> => {
  try {
    await probe();
    return { status: "up" };
  } catch (error) {
    return { status: "down", detail: error instanceof Error ? error.message : "unreachable" };
  }
};

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
    let head: string | undefined;
    const [eventStore, readModels, bus] = await Promise.all([
      check(async () => {
        head = await deps.eventStore.headPosition();
      }),
      check(() => deps.readModels.ping()),
      check(() => deps.bus.ping()),
    ]);
    const projections: Record<string, { checkpoint: string | null; caughtUp: boolean }> = {};
    if (readModels.status === "up") {
      for (const name of deps.projections) {
        const checkpoint = (await deps.readModels.checkpoints.get(name)) ?? null;
        projections[name] = { checkpoint, caughtUp: head === undefined || (checkpoint !== null && checkpoint >= head) };
      }
    }
    // The api writes and reads without the bus: a bus outage delays the audit trail, it does not stop the api.
    const ready = eventStore.status === "up" && readModels.status === "up";
    response
      .status(ready ? 200 : 503)
      .set(ready ? {} : { "Retry-After": "5" })
      .json({ status: ready ? "ready" : "unavailable", eventStore, readModels, bus, headPosition: head ?? null, projections });
  });
  return router;
};
