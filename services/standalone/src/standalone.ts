import type { Server } from "node:http";
import { bootstrapAdmin, createApi } from "@clientapps/api";
import { startAudit } from "@clientapps/audit";
import { projections, resetProjection, startProjection, type ProjectionRunner } from "@clientapps/projector";
import { relayProjection } from "@clientapps/relay";
import { startCredentialScheduler } from "@clientapps/scheduler";
import type { DependencyContainer } from "tsyringe";
import { Tokens } from "./container.js";

export type Standalone = Readonly<{ port: number; stop: () => Promise<void> }>;

export type StartOptions = Readonly<{
  /** Empty the read models and rebuild them from the events before serving. */
  rebuildReadModels?: boolean;
  /** Where the one-time bootstrap admin token is shown. */
  announceAdminToken: (token: string, workspaceId: string) => void;
}>;

/** Starts the projector and the api on the container's engines, and listens. */
export const startStandalone = async (container: DependencyContainer, options: StartOptions): Promise<Standalone> => {
  const config = container.resolve(Tokens.Config);
  const logger = container.resolve(Tokens.Logger);
  const clock = container.resolve(Tokens.Clock);
  const engines = container.resolve(Tokens.Engines);
  const hasher = container.resolve(Tokens.SecretHasher);
  const metrics = container.resolve(Tokens.Metrics);
  const pepper = container.resolve(Tokens.Pepper);

  if (options.rebuildReadModels) {
    for (const projection of projections) await resetProjection(engines.readModels, projection);
    logger.info("read models emptied; rebuilding from the events");
  }
  const runners: ProjectionRunner[] = [];
  for (const projection of projections) runners.push(await startProjection({ ...engines, logger }, projection));
  const relay = relayProjection(engines.bus);
  runners.push(await startProjection({ ...engines, logger }, relay));
  const audit = await startAudit({
    ...engines,
    logger,
    clock,
    observeLag: (seconds) => {
      metrics.activityLag.observe(seconds);
      metrics.activityLastLag.set(seconds);
    },
  });

  const { app, credentials } = await createApi({
    ...engines,
    hasher,
    pepper,
    logger,
    metrics,
    clock,
    settings: {
      extraCheckpoints: [relay.name],
      bodyLimitBytes: config.bodyLimitBytes,
      readYourWritesTimeoutMs: config.readYourWritesTimeoutMs,
      registration: config.registration,
      trustProxy: config.trustProxy,
    },
  });
  const scheduler = await startCredentialScheduler({ ...engines, clock, logger }, { intervalMs: config.schedulerIntervalMs });
  await bootstrapAdmin(credentials, {
    configuredToken: config.adminToken,
    workspaceId: config.adminWorkspace,
    now: clock(),
    announce: (token) => options.announceAdminToken(token, config.adminWorkspace),
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  logger.info({ host: config.host, port, dataDir: config.dataDir }, "listening");

  return {
    port,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await scheduler.stop();
      await audit.stop();
      for (const runner of runners) await runner.stop();
      await engines.close();
      logger.info("stopped");
    },
  };
};
