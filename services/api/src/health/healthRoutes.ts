import type { EventStore } from "@clientapps/event-store";
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
export const healthRoutes = (deps: Readonly<{ eventStore: EventStore; readModels: ReadModelStore; projections: readonly string[] }>): Router => {
  const router = Router();
  router.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });
  router.get("/readyz", async (_request, response) => {
    let head: string | undefined;
    const [eventStore, readModels] = await Promise.all([
      check(async () => {
        head = await deps.eventStore.headPosition();
      }),
      check(() => deps.readModels.ping()),
    ]);
    const projections: Record<string, { checkpoint: string | null; caughtUp: boolean }> = {};
    if (readModels.status === "up") {
      for (const name of deps.projections) {
        const checkpoint = (await deps.readModels.checkpoints.get(name)) ?? null;
        projections[name] = { checkpoint, caughtUp: head === undefined || (checkpoint !== null && checkpoint >= head) };
      }
    }
    const ready = eventStore.status === "up" && readModels.status === "up";
    response
      .status(ready ? 200 : 503)
      .set(ready ? {} : { "Retry-After": "5" })
      .json({ status: ready ? "ready" : "unavailable", eventStore, readModels, headPosition: head ?? null, projections });
  });
  return router;
};
