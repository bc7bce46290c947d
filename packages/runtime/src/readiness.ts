import type { EventStore } from "@clientapps/event-store";
import type { MessageBus } from "@clientapps/message-bus";
import type { ReadModelStore } from "@clientapps/read-models";

export type EngineCheck = Readonly<{ status: "up" | "down"; detail?: string }>;

export type EngineName = "eventStore" | "readModels" | "bus";

export type CheckpointStatus = Readonly<{ checkpoint: string | null; caughtUp: boolean }>;

export type ReadinessBody = Readonly<{
  status: "ready" | "unavailable";
  eventStore: EngineCheck;
  readModels: EngineCheck;
  bus: EngineCheck;
  headPosition: string | null;
  projections: Readonly<Record<string, CheckpointStatus>>;
}>;

export type Readiness = Readonly<{ status: 200 | 503; headers: Readonly<Record<string, string>>; body: ReadinessBody }>;

export type ReadinessDependencies = Readonly<{
  eventStore: EventStore;
  readModels: ReadModelStore;
  bus: MessageBus;
  /** Checkpointed subscriptions whose position is shown beside the head of the log, so lag is visible. */
  checkpoints: readonly string[];
  /** The engines this process cannot make progress without; the others are reported but do not make it unready. */
  required: readonly EngineName[];
}>;

const probe = async (check: () => Promise<unknown>): Promise<EngineCheck> => {
  try {
    await check();
    return { status: "up" };
  } catch (error) {
    return { status: "down", detail: error instanceof Error ? error.message : "unreachable" };
  }
};

/**
 * What `/readyz` answers, for the api and for every process that serves only its
 * operations endpoints: each engine probed, each checkpoint beside the head of the
 * log, and 503 with Retry-After while a required engine is down.
 */
export const readiness = async (deps: ReadinessDependencies): Promise<Readiness> => {
  let head: string | undefined;
  const [eventStore, readModels, bus] = await Promise.all([
    probe(async () => {
      head = await deps.eventStore.headPosition();
    }),
    probe(() => deps.readModels.ping()),
    probe(() => deps.bus.ping()),
  ]);
  const projections: Record<string, CheckpointStatus> = {};
  if (readModels.status === "up") {
    for (const name of deps.checkpoints) {
      const checkpoint = (await deps.readModels.checkpoints.get(name)) ?? null;
      projections[name] = { checkpoint, caughtUp: head === undefined || (checkpoint !== null && checkpoint >= head) };
    }
  }
  const checks: Readonly<Record<EngineName, EngineCheck>> = { eventStore, readModels, bus };
  const ready = deps.required.every((engine) => checks[engine].status === "up");
  return {
    status: ready ? 200 : 503,
    headers: ready ? {} : { "Retry-After": "5" },
    body: { status: ready ? "ready" : "unavailable", eventStore, readModels, bus, headPosition: head ?? null, projections },
  };
};
