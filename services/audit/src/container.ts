import { startAudit } from "@clientapps/audit-trail";
import { activityLagObserver, Tokens } from "@clientapps/runtime";
import type { DependencyContainer } from "tsyringe";

/** Registers the audit consumer, a member of the `audit` consumer group. */
export const composeAudit = (container: DependencyContainer): void => {
  container.register(Tokens.Component, {
    useFactory: (resolver) => {
      const metrics = resolver.resolve(Tokens.Metrics);
      return {
        name: "audit",
        start: () =>
          startAudit({
            readModels: resolver.resolve(Tokens.ReadModels),
            bus: resolver.resolve(Tokens.Bus),
            logger: resolver.resolve(Tokens.Logger),
            clock: resolver.resolve(Tokens.Clock),
            observeLag: activityLagObserver(metrics),
            onUnreadableMessage: (topic) => metrics.unreadableMessages.inc({ topic }),
          }),
      };
    },
  });
};
