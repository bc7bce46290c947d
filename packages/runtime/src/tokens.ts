import type { SecretHasher } from "@clientapps/credentials";
import type { EventStore } from "@clientapps/event-store";
import type { MessageBus } from "@clientapps/message-bus";
import type { ReadModelStore } from "@clientapps/read-models";
import type { InjectionToken } from "tsyringe";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";

/** A started part of a process: a projection runner, a consumer, a server. */
export type Running = Readonly<{ stop: () => Promise<void> }>;

/** Something a process starts; a one-off step (emptying read models) returns nothing to stop. */
export type Component = Readonly<{ name: string; start: () => Promise<Running | void> }>;

/** The tokens of the composition roots (each service's container.ts); nothing else resolves them. */
export const Tokens = {
  Config: Symbol("Config") as InjectionToken<Config>,
  Logger: Symbol("Logger") as InjectionToken<Logger>,
  Clock: Symbol("Clock") as InjectionToken<() => Date>,
  Metrics: Symbol("Metrics") as InjectionToken<Metrics>,
  Pepper: Symbol("Pepper") as InjectionToken<Buffer>,
  SecretHasher: Symbol("SecretHasher") as InjectionToken<SecretHasher>,
  EventStore: Symbol("EventStore") as InjectionToken<EventStore>,
  /** The read models as the pipeline (projections, relay, audit, scheduler) writes and reads them. */
  ReadModels: Symbol("ReadModels") as InjectionToken<ReadModelStore>,
  /** The read models as the api serves them: only what is committed (see Engines.servedReadModels). */
  ServedReadModels: Symbol("ServedReadModels") as InjectionToken<ReadModelStore>,
  Bus: Symbol("Bus") as InjectionToken<MessageBus>,
  /** The checkpointed subscriptions a process without an API runs, whose lag its /readyz shows. */
  Checkpoints: Symbol("Checkpoints") as InjectionToken<readonly string[]>,
  /** Registered once per component, in start order; the process stops them in reverse. */
  Component: Symbol("Component") as InjectionToken<Component>,
};
