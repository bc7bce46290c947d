import { createServer, type Server } from "node:http";
import type { EventStore } from "@clientapps/event-store";
import type { MessageBus } from "@clientapps/message-bus";
import type { ReadModelStore } from "@clientapps/read-models";
import type { Logger } from "./logger.js";
import { measureProjectionLag, type Metrics } from "./metrics.js";
import { readiness } from "./readiness.js";

export type OpsServer = Readonly<{ port: number; close: () => Promise<void> }>;

export type OpsServerDependencies = Readonly<{
  host: string;
  port: number;
  eventStore: EventStore;
  readModels: ReadModelStore;
  bus: MessageBus;
  /** The checkpointed subscriptions this process runs, whose lag /readyz shows. */
  checkpoints?: readonly string[];
  metrics: Metrics;
  logger: Logger;
}>;

/**
 * `/healthz`, `/readyz` and `/metrics` for an orchestrator and a scraper: the only
 * endpoints of a process that serves no API of its own (projector, relay, audit,
 * scheduler), and where the api's metrics are served unless CLIENTAPPS_METRICS_TOKEN
 * puts them on the API port. Meant for an internal network: it asks for no credential.
 */
export const startOpsServer = async (deps: OpsServerDependencies): Promise<OpsServer> => {
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: string, headers: Readonly<Record<string, string>> = {}, type = "application/json") => {
      response.writeHead(status, { ...headers, "Content-Type": type, "Cache-Control": "no-store" });
      response.end(body);
    };
    void (async () => {
      switch (request.url) {
        case "/healthz":
          return send(200, JSON.stringify({ status: "ok" }));
        case "/readyz": {
          // Each of these services needs all three engines to make progress.
          const ready = await readiness({ ...deps, checkpoints: deps.checkpoints ?? [], required: ["eventStore", "readModels", "bus"] });
          return send(ready.status, JSON.stringify(ready.body), ready.headers);
        }
        case "/metrics":
          await measureProjectionLag({ ...deps, projections: deps.checkpoints ?? [] });
          return send(200, await deps.metrics.registry.metrics(), {}, deps.metrics.registry.contentType);
        default:
          return send(404, JSON.stringify({ status: 404 }));
      }
    })().catch(() => send(500, JSON.stringify({ status: 500 })));
  });
  await new Promise<void>((resolve) => server.listen(deps.port, deps.host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : deps.port;
  deps.logger.info({ host: deps.host, port }, "operations endpoints listening");
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};
