import "reflect-metadata";
import { createSecretHasher, type SecretHasher } from "@clientapps/credentials";
import { createLogger, createMetrics, loadPepper, openEngines, type Config, type Engines, type Logger, type Metrics } from "@clientapps/runtime";
import { container as rootContainer, instanceCachingFactory, type DependencyContainer, type InjectionToken } from "tsyringe";

/** The tokens of this process. Only this file and main.ts know tsyringe exists. */
export const Tokens = {
  Config: Symbol("Config") as InjectionToken<Config>,
  Logger: Symbol("Logger") as InjectionToken<Logger>,
  Clock: Symbol("Clock") as InjectionToken<() => Date>,
  Engines: Symbol("Engines") as InjectionToken<Engines>,
  Metrics: Symbol("Metrics") as InjectionToken<Metrics>,
  Pepper: Symbol("Pepper") as InjectionToken<Buffer>,
  SecretHasher: Symbol("SecretHasher") as InjectionToken<SecretHasher>,
};

export const createContainer = (config: Config): DependencyContainer => {
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Config, { useValue: config });
  container.register(Tokens.Clock, { useValue: () => new Date() });
  container.register(Tokens.Logger, {
    useFactory: instanceCachingFactory(() => createLogger({ level: config.logLevel, name: "clientapps" })),
  });
  container.register(Tokens.Engines, { useFactory: instanceCachingFactory(() => openEngines(config)) });
  container.register(Tokens.Metrics, { useFactory: instanceCachingFactory(() => createMetrics()) });
  container.register(Tokens.Pepper, { useFactory: instanceCachingFactory(() => loadPepper(config.pepper, config.dataDir)) });
  container.register(Tokens.SecretHasher, {
    useFactory: instanceCachingFactory((dependencies) => createSecretHasher(dependencies.resolve(Tokens.Pepper))),
  });
  return container;
};
