import "reflect-metadata";
import { createSecretHasher } from "@clientapps/credentials";
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from "tsyringe";
import type { Config } from "./config.js";
import type { Engines } from "./engines.js";
import { createLogger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { loadPepper } from "./pepper.js";
import { Tokens } from "./tokens.js";

/**
 * A process's container with what every process needs: configuration, a clock,
 * logs and metrics, the opened engines (each under its own token), and the pepper
 * (one per deployment: every process must hash credentials alike). A service's
 * container.ts adds its own components to it.
 */
export const createRuntimeContainer = (
  config: Config,
  engines: Pick<Engines, "eventStore" | "readModels" | "servedReadModels" | "bus">,
  service: string,
  metrics: Metrics = createMetrics(),
): DependencyContainer => {
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Config, { useValue: config });
  container.register(Tokens.Clock, { useValue: () => new Date() });
  container.register(Tokens.EventStore, { useValue: engines.eventStore });
  container.register(Tokens.ReadModels, { useValue: engines.readModels });
  container.register(Tokens.ServedReadModels, { useValue: engines.servedReadModels });
  container.register(Tokens.Bus, { useValue: engines.bus });
  container.register(Tokens.Logger, {
    useFactory: instanceCachingFactory(() => createLogger({ level: config.logLevel, name: service })),
  });
  container.register(Tokens.Metrics, { useValue: metrics });
  container.register(Tokens.Pepper, { useFactory: instanceCachingFactory(() => loadPepper(config.pepper, config.dataDir)) });
  container.register(Tokens.SecretHasher, {
    useFactory: instanceCachingFactory((dependencies) => createSecretHasher(dependencies.resolve(Tokens.Pepper))),
  });
  return container;
};

/**
 * What a checkpointed subscription of the event log (a projection, the relay)
 * needs from the process's container; events it cannot read are counted in /metrics.
 */
export const subscriptionDependencies = (resolver: DependencyContainer) => ({
  eventStore: resolver.resolve(Tokens.EventStore),
  readModels: resolver.resolve(Tokens.ReadModels),
  logger: resolver.resolve(Tokens.Logger),
  onUnknownEvent: resolver.resolve(Tokens.Metrics).countUnknownEvent,
});
