import { startApiServer } from "@clientapps/api";
import { startAudit } from "@clientapps/audit-trail";
import { clientReadModelProjections as projections } from "@clientapps/client-read-models";
import { startCredentialScheduler } from "@clientapps/credential-scheduler";
import { relayProjection } from "@clientapps/event-messages";
import { resetProjection, startProjection, type ProjectionRunner } from "@clientapps/projections";
import { Tokens } from "@clientapps/runtime";
import type { DependencyContainer } from "tsyringe";

export type Standalone = Readonly<{ port: number; stop: () => Promise<void> }>;

export type StartOptions = Readonly<{
  /** Empty the read models and rebuild them from the events before serving. */
  rebuildReadModels?: boolean;
  /** Where the one-time bootstrap admin token is shown. */
  announceAdminToken: (token: string, workspaceId: string) => void;
}>;

/**
 * Every service in one process on the container's engines: projector, relay,
 * audit, scheduler and the api — the same code the distributed mode runs apart.
 */
export const startStandalone = async (container: DependencyContainer, options: StartOptions): Promise<Standalone> => {
  const config = container.resolve(Tokens.Config);
  const logger = container.resolve(Tokens.Logger);
  const clock = container.resolve(Tokens.Clock);
  const engines = container.resolve(Tokens.Engines);
  const metrics = container.resolve(Tokens.Metrics);

  if (options.rebuildReadModels) {
    for (const projection of projections) await resetProjection(engines.readModels, projection);
    logger.info("read models emptied; rebuilding from the events");
  }
  const runners: ProjectionRunner[] = [];
  for (const projection of projections) {
    runners.push(await startProjection({ ...engines, logger, onUnknownEvent: metrics.countUnknownEvent }, projection));
  }
  const relay = relayProjection(engines.bus);
  runners.push(await startProjection({ ...engines, logger, onUnknownEvent: metrics.countUnknownEvent }, relay));
  const audit = await startAudit({
    ...engines,
    logger,
    clock,
    onUnreadableMessage: (topic) => metrics.unreadableMessages.inc({ topic }),
    observeLag: (seconds) => {
      metrics.activityLag.observe(seconds);
      metrics.activityLastLag.set(seconds);
    },
  });
  const scheduler = await startCredentialScheduler({ ...engines, clock, logger }, { intervalMs: config.schedulerIntervalMs });
  const api = await startApiServer({
    config,
    engines,
    hasher: container.resolve(Tokens.SecretHasher),
    pepper: container.resolve(Tokens.Pepper),
    logger,
    metrics,
    clock,
    extraCheckpoints: [relay.name],
    announceAdminToken: options.announceAdminToken,
  });

  return {
    port: api.port,
    stop: async () => {
      await api.stop();
      await scheduler.stop();
      await audit.stop();
      for (const runner of runners) await runner.stop();
      await engines.close();
      logger.info("stopped");
    },
  };
};
