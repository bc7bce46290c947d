import { Position, type EventStore } from "@clientapps/event-store";
import type { ReadModelStore } from "@clientapps/read-models";
import type { Metrics } from "@clientapps/runtime";
import type { RequestHandler } from "express";
import { z } from "zod";
import { defineRoute, type Route } from "../http/routes/defineRoute.js";

/** Counts and times every request by its route template (never by raw path: ids would explode the series). */
export const requestMetrics =
  (metrics: Metrics): RequestHandler =>
  (request, response, next) => {
    const started = process.hrtime.bigint();
    // Taken when a route matches: once an error leaves a mounted router, Express has restored baseUrl to the mount's parent.
    let route = "unmatched";
    let matched: unknown;
    Object.defineProperty(request, "route", {
      configurable: true,
      enumerable: true,
      get: () => matched,
      set: (value: { path: unknown }) => {
        matched = value;
        route = `${request.baseUrl}${String(value.path)}`;
      },
    });
    response.on("finish", () => {
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
      metrics.httpDuration.observe({ method: request.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

/** `GET /metrics` in the Prometheus text format; projection lag is measured at scrape time. */
export const metricsRoutes = (
  deps: Readonly<{ metrics: Metrics; eventStore: EventStore; readModels: ReadModelStore; projections: readonly string[] }>,
): Route[] => [
  defineRoute({
    method: "get",
    path: "/metrics",
    operationId: "metrics",
    tags: ["Operations"],
    summary: "Prometheus metrics: requests, projection lag, activity-stream lag",
    access: "none",
    responses: { 200: { description: "Prometheus text format", content: { "text/plain": z.string() } } },
    handler: async (_input, _request, response) => {
      const head = await deps.eventStore.headPosition().catch(() => undefined);
      for (const projection of deps.projections) {
        const checkpoint = await deps.readModels.checkpoints.get(projection).catch(() => undefined);
        const at = checkpoint === undefined ? undefined : Position.parse(checkpoint);
        const lag = head === undefined ? 0n : Position.commit(head) - (at === undefined ? 0n : Position.commit(at));
        deps.metrics.projectionLag.set({ projection }, Number(lag > 0n ? lag : 0n));
      }
      response.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },
  }),
];
