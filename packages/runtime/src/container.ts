import "reflect-metadata";
import { createSecretHasher, type SecretHasher } from "@clientapps/credentials";
import { container as rootContainer, instanceCachingFactory, type DependencyContainer, type InjectionToken } from "tsyringe";
import type { Config } from "./config.js";
import { openEngines, type Engines } from "./engines.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { loadPepper } from "./pepper.js";

/** The tokens every process registers. Only composition roots (container.ts, main.ts) use them. */
export const Tokens = {
  Config: Symbol("Config") as InjectionToken<Config>,
  Logger: Symbol("Logger") as InjectionToken<Logger>,
  Clock: Symbol("Clock") as InjectionToken<() => Date>,
  Engines: Symbol("Engines") as InjectionToken<Engines>,
  Metrics: Symbol("Metrics") as InjectionToken<Metrics>,
  Pepper: Symbol("Pepper") as InjectionToken<Buffer>,
  SecretHasher: Symbol("SecretHasher") as InjectionToken<SecretHasher>,
};

/**
 * What every process of the system needs, registered once: configuration, a
 * clock, logs and metrics, the engines the configuration names, and the pepper
 * (one per deployment: every process must hash credentials alike).
 */
export const createBaseContainer = (config: Config, service: string): DependencyContainer => {
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Config, { useValue: config });
  container.register(Tokens.Clock, { useValue: () => new Date() });
  container.register(Tokens.Logger, {
    useFactory: instanceCachingFactory(() => createLogger({ level: config.logLevel, name: service })),
  });
  container.register(Tokens.Engines, { useFactory: instanceCachingFactory(() => openEngines(config)) });
  container.register(Tokens.Metrics, { useFactory: instanceCachingFactory(() => createMetrics()) });
  container.register(Tokens.Pepper, { useFactory: instanceCachingFactory(() => loadPepper(config.pepper, config.dataDir)) });
  container.register(Tokens.SecretHasher, {
    useFactory: instanceCachingFactory((dependencies) => createSecretHasher(dependencies.resolve(Tokens.Pepper))),
  });
  return container;
};
