import { composeApi } from "@clientapps/api";
import { startAudit } from "@clientapps/audit";
import { projections, resetProjection, startProjection, type Projection } from "@clientapps/projector";
import { relayProjection } from "@clientapps/relay";
import { activityLagObserver, Tokens } from "@clientapps/runtime";
import { startCredentialScheduler } from "@clientapps/scheduler";
import type { DependencyContainer } from "tsyringe";

export type StandaloneOptions = Readonly<{
  /** Empty the read models and rebuild them from the events before serving. */
  rebuildReadModels: boolean;
  /** Where the one-time bootstrap admin token is shown. */
  announceAdminToken: (token: string, workspaceId: string) => void;
}>;

/**
 * Every service in one process on the same engines: projector, relay, audit,
 * scheduler and the api — the same components the distributed mode runs apart,
 * started in that order so the api opens on running projections, and stopped the
 * other way round.
 */
export const composeStandalone = (container: DependencyContainer, options: StandaloneOptions): void => {
  const runProjection = (projection: (resolver: DependencyContainer) => Projection, name: string) =>
    container.register(Tokens.Component, {
      useFactory: (resolver) => ({
        name,
        start: () =>
          startProjection(
            { eventStore: resolver.resolve(Tokens.EventStore), readModels: resolver.resolve(Tokens.ReadModels), logger: resolver.resolve(Tokens.Logger) },
            projection(resolver),
          ),
      }),
    });

  if (options.rebuildReadModels) {
    container.register(Tokens.Component, {
      useFactory: (resolver) => ({
        name: "rebuild read models",
        start: async () => {
          for (const projection of projections) await resetProjection(resolver.resolve(Tokens.ReadModels), projection);
          resolver.resolve(Tokens.Logger).info("read models emptied; rebuilding from the events");
        },
      }),
    });
  }
  for (const projection of projections) runProjection(() => projection, `projection ${projection.name}`);
  runProjection((resolver) => relayProjection(resolver.resolve(Tokens.Bus)), "relay");
  container.register(Tokens.Component, {
    useFactory: (resolver) => ({
      name: "audit",
      start: () =>
        startAudit({
          readModels: resolver.resolve(Tokens.ReadModels),
          bus: resolver.resolve(Tokens.Bus),
          logger: resolver.resolve(Tokens.Logger),
          clock: resolver.resolve(Tokens.Clock),
          observeLag: activityLagObserver(resolver.resolve(Tokens.Metrics)),
        }),
    }),
  });
  container.register(Tokens.Component, {
    useFactory: (resolver) => ({
      name: "credential scheduler",
      start: () =>
        startCredentialScheduler(
          {
            eventStore: resolver.resolve(Tokens.EventStore),
            readModels: resolver.resolve(Tokens.ReadModels),
            clock: resolver.resolve(Tokens.Clock),
            logger: resolver.resolve(Tokens.Logger),
          },
          { intervalMs: resolver.resolve(Tokens.Config).schedulerIntervalMs },
        ),
    }),
  });
  composeApi(container, { announceAdminToken: options.announceAdminToken });
};
