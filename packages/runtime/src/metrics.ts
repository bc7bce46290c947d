import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { Position, type EventStore } from "@clientapps/event-store";
import type { ReadModelStore } from "@clientapps/read-models";

/**
 * The process's Prometheus metrics. One registry per process: in the embedded
 * mode api, projector, relay and audit all report into it; apart, each process
 * has its own.
 */
export type Metrics = Readonly<{
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  /** Seconds from an event's write to its activity-stream entry. */
  activityLag: Histogram;
  activityLastLag: Gauge;
  /** How far each projection's checkpoint is behind the head of the log, in store positions. */
  projectionLag: Gauge<"projection">;
  /** Events a projection (or the relay) skipped because this build does not know their type. */
  unknownEvents: Counter<"projection" | "type">;
  /** Bus messages the audit skipped because it could not read them. */
  unreadableMessages: Counter<"topic">;
  /** The counting a projection runner is told to do: pass as its `onUnknownEvent`. */
  countUnknownEvent: (projection: string, eventType: string) => void;
  /** Transactions of the embedded event store, and the appends they carried (more appends than commits: group commit at work). */
  eventStoreCommits: Counter;
  eventStoreAppends: Counter<"outcome">;
  /** The counting the embedded event store is told to do: pass as its `onCommit`. */
  countEventStoreCommit: (commit: Readonly<{ appends: number; failed: number }>) => void;
}>;

export const createMetrics = (): Metrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "clientapps_" });
  const unknownEvents = new Counter({
    name: "clientapps_projection_unknown_events_total",
    help: "Events skipped by a projection or the relay because this build does not know their type (a newer writer appended them).",
    labelNames: ["projection", "type"] as const,
    registers: [registry],
  });
  const eventStoreCommits = new Counter({
    name: "clientapps_event_store_commits_total",
    help: "Transactions (each one fsync) the embedded event store committed; appends that arrive together share one.",
    registers: [registry],
  });
  const eventStoreAppends = new Counter({
    name: "clientapps_event_store_appends_total",
    help: "Appends the embedded event store's commits carried, by outcome (a conflict fails its append alone).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  return {
    registry,
    unknownEvents,
    eventStoreCommits,
    eventStoreAppends,
    countEventStoreCommit: ({ appends, failed }) => {
      eventStoreCommits.inc();
      eventStoreAppends.inc({ outcome: "appended" }, appends - failed);
      if (failed > 0) eventStoreAppends.inc({ outcome: "failed" }, failed);
    },
    // The type comes from the log, not from a caller; the cut only keeps a malformed one from bloating the label.
    countUnknownEvent: (projection, eventType) => unknownEvents.inc({ projection, type: eventType.slice(0, 100) }),
    unreadableMessages: new Counter({
      name: "clientapps_audit_unreadable_messages_total",
      help: "Bus messages the audit skipped because they failed the event-message schema.",
      labelNames: ["topic"],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: "clientapps_http_requests_total",
      help: "HTTP requests answered, by method, route template and status.",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "clientapps_http_request_duration_seconds",
      help: "Time to answer HTTP requests, by method and route template.",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    activityLag: new Histogram({
      name: "clientapps_activity_lag_seconds",
      help: "Time from an event's write to its entry in the activity stream.",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    activityLastLag: new Gauge({
      name: "clientapps_activity_last_lag_seconds",
      help: "The lag of the most recent activity-stream entry.",
      registers: [registry],
    }),
    projectionLag: new Gauge({
      name: "clientapps_projection_lag_positions",
      help: "How far a projection's checkpoint is behind the head of the event log (0 when caught up).",
      labelNames: ["projection"],
      registers: [registry],
    }),
  };
};

/** Records the lag of each activity-stream entry the audit writes, in both of its metrics. */
export const activityLagObserver =
  (metrics: Metrics) =>
  (seconds: number): void => {
    metrics.activityLag.observe(seconds);
    metrics.activityLastLag.set(seconds);
  };

/** Sets the lag gauge of each checkpointed subscription from the event store's head, at scrape time, wherever /metrics is served. */
export const measureProjectionLag = async (
  deps: Readonly<{ metrics: Metrics; eventStore: EventStore; readModels: ReadModelStore; projections: readonly string[] }>,
): Promise<void> => {
  const head = await deps.eventStore.headPosition().catch(() => undefined);
  for (const projection of deps.projections) {
    const checkpoint = await deps.readModels.checkpoints.get(projection).catch(() => undefined);
    const at = checkpoint === undefined ? undefined : Position.parse(checkpoint);
    const lag = head === undefined ? 0n : Position.commit(head) - (at === undefined ? 0n : Position.commit(at));
    deps.metrics.projectionLag.set({ projection }, Number(lag > 0n ? lag : 0n));
  }
};
