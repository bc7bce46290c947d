import { createServer, type Server } from "node:http";
import type { Engines } from "./engines.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";

export type OpsServer = Readonly<{ port: number; close: () => Promise<void> }>;

type Check = Readonly<{ status: "up" | "down"; detail?: string }>;

const probe = async (check: () => Promise<unknown>): Promise<Check> => {
  try {
    await check();
    return { status: "up" };
  } catch (error) {
    return { status: "down", detail: error instanceof Error ? error.message : "unreachable" };
  }
};

/**
 * `/healthz`, `/readyz` and `/metrics` for a process that serves no API of its
 * own (projector, relay, audit, scheduler), so an orchestrator can watch it.
 */
export const startOpsServer = async (
  deps: Readonly<{ host: string; port: number; engines: Engines; metrics: Metrics; logger: Logger }>,
): Promise<OpsServer> => {
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: string, type = "application/json") => {
      response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      response.end(body);
    };
    void (async () => {
      switch (request.url) {
        case "/healthz":
          return send(200, JSON.stringify({ status: "ok" }));
        case "/readyz": {
          const [eventStore, readModels, bus] = await Promise.all([
            probe(() => deps.engines.eventStore.headPosition()),
            probe(() => deps.engines.readModels.ping()),
            probe(() => deps.engines.bus.ping()),
          ]);
          // Each of these services needs all three engines to make progress.
          const ready = [eventStore, readModels, bus].every((check) => check.status === "up");
          return send(ready ? 200 : 503, JSON.stringify({ status: ready ? "ready" : "unavailable", eventStore, readModels, bus }));
        }
        case "/metrics":
          return send(200, await deps.metrics.registry.metrics(), deps.metrics.registry.contentType);
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
