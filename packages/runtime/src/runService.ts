import type { DependencyContainer } from "tsyringe";
import { loadConfig } from "./config.js";
import { connectEngines } from "./engines.js";
import { runMain, stopOnSignals } from "./lifecycle.js";
import { createMetrics } from "./metrics.js";
import { startOpsServer } from "./opsServer.js";
import { createRuntimeContainer } from "./runtimeContainer.js";
import type { Logger } from "./logger.js";
import { backoffDelay, sleep } from "./retry.js";
import { Tokens, type Component, type Running } from "./tokens.js";
import { startTracing } from "./tracing.js";

export type ServiceOptions = Readonly<{
  /** Serve /healthz, /readyz and /metrics on OPS_PORT (every process but a test's; the api's metrics live there unless a token is set). */
  opsServer?: boolean;
}>;

/** The ports' errors for an engine that cannot be reached now (each port's `…UnavailableError`). */
const unavailableCodes = new Set(["event_store_unavailable", "read_model_unavailable", "message_bus_unavailable"]);

const isUnavailable = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" && unavailableCodes.has(error.code);

/**
 * Starts a component, and starts it again with backoff for as long as its start fails because
 * an engine cannot be reached (a MongoDB-protocol server still starting, say): a service waits
 * for its engines rather than exit. Any other failure is the start's own, and ends the process.
 */
const startWhenReachable = async (component: Component, logger: Logger): Promise<Running | void> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await component.start();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      const retryInMs = backoffDelay(attempt, 200, 5_000);
      logger.warn({ err: error, component: component.name, retryInMs }, "an engine cannot be reached yet; starting again");
      await sleep(retryInMs);
    }
  }
};

const stopAll = async (running: readonly Running[]): Promise<void> => {
  for (const part of [...running].reverse()) await part.stop();
};

/**
 * The one way a process starts: configuration from the environment, the engines
 * it names, the runtime's container completed by the service's `compose` (its
 * container.ts), then each registered component started in order. SIGTERM/SIGINT
 * stop them in reverse order and close the engines last. A component whose start finds an
 * engine unreachable is started again with backoff; any other failed start stops what had
 * started and exits 1.
 */
export const runService = (name: string, compose: (container: DependencyContainer) => void, options: ServiceOptions = {}): void =>
  runMain(async () => {
    const config = loadConfig();
    // Before the engines, so that their appends are traced; off (and not even loaded) unless an OTLP endpoint is set.
    const tracing = await startTracing(name);
    const metrics = createMetrics();
    const engines = await connectEngines({ ...config, onEventStoreCommit: metrics.countEventStoreCommit });
    const running: Running[] = [];
    const stop = async () => {
      try {
        await stopAll(running);
      } finally {
        await engines.close();
        await tracing?.shutdown();
      }
    };
    const container = createRuntimeContainer(config, engines, name, metrics);
    try {
      compose(container);
      const logger = container.resolve(Tokens.Logger);
      for (const component of container.resolveAll(Tokens.Component)) {
        const started = await startWhenReachable(component, logger);
        if (started) running.push(started);
      }
      if (options.opsServer) {
        const ops = await startOpsServer({
          host: config.host,
          port: config.opsPort,
          eventStore: engines.eventStore,
          readModels: engines.servedReadModels,
          bus: engines.bus,
          checkpoints: container.isRegistered(Tokens.Checkpoints, true) ? container.resolve(Tokens.Checkpoints) : [],
          metrics: container.resolve(Tokens.Metrics),
          logger,
        });
        running.push({ stop: ops.close });
      }
      stopOnSignals(async () => {
        await stop();
        logger.info("stopped");
      }, logger);
    } catch (error) {
      await stop().catch(() => undefined);
      throw error;
    }
  });
