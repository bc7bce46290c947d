import { activityLagObserver, Tokens } from "@clientapps/runtime";
import type { DependencyContainer } from "tsyringe";
import { startAudit } from "./auditConsumer.js";

/** Registers the audit consumer, a member of the `audit` consumer group. */
export const composeAudit = (container: DependencyContainer): void => {
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
};
