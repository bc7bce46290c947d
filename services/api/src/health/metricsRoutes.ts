import { createHash, timingSafeEqual } from "node:crypto";
import type { EventStore } from "@clientapps/event-store";
import type { ReadModelStore } from "@clientapps/read-models";
import { measureProjectionLag, type Metrics } from "@clientapps/runtime";
import type { RequestHandler } from "express";
import { z } from "zod";
import { Problems } from "../http/problem.js";
import { defineRoute, type CustomAuthentication, type Route } from "../http/routes/defineRoute.js";

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

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/** `Authorization: Bearer <CLIENTAPPS_METRICS_TOKEN>`, compared in constant time. */
const scrapeToken = (token: string): CustomAuthentication => {
  const expected = digest(token);
  return {
    handler: (request, _response, next) => {
      const header = request.header("authorization");
      if (header === undefined) throw Problems.unauthorized("/metrics needs the metrics token.", false);
      const presented = /^Bearer (\S+)$/.exec(header)?.[1];
      if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
        throw Problems.unauthorized("The metrics token is not valid.", true);
      }
      next();
    },
    security: [{ metricsToken: [] }],
    refusals: { 401: "Without the metrics token, or with another" },
  };
};

/**
 * `GET /metrics` in the Prometheus text format, behind the metrics token: its request
 * counts span every workspace. Projection lag is measured at scrape time.
 */
export const metricsRoutes = (
  deps: Readonly<{ metrics: Metrics; eventStore: EventStore; readModels: ReadModelStore; projections: readonly string[]; token: string }>,
): Route[] => [
  defineRoute({
    method: "get",
    path: "/metrics",
    operationId: "metrics",
    tags: ["Operations"],
    summary: "Prometheus metrics: requests, projection lag, activity-stream lag",
    description: "Served here only when CLIENTAPPS_METRICS_TOKEN is set, to the scraper presenting it; otherwise on the ops port.",
    access: "none",
    authentication: scrapeToken(deps.token),
    responses: { 200: { description: "Prometheus text format", content: { "text/plain": z.string() } } },
    handler: async (_input, _request, response) => {
      await measureProjectionLag(deps);
      response.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },
  }),
];
