import { relayCheckpoint, relayProjection } from "@clientapps/event-messages";
import { projectionComponent } from "@clientapps/projections";
import { subscriptionDependencies, Tokens } from "@clientapps/runtime";
import type { DependencyContainer } from "tsyringe";

/** Registers the relay: the projection that publishes the event log to the bus. */
export const composeRelay = (container: DependencyContainer): void => {
  container.register(Tokens.Checkpoints, { useValue: [relayCheckpoint] });
  container.register(Tokens.Component, {
    useFactory: (resolver) => ({
      ...projectionComponent(relayProjection(resolver.resolve(Tokens.Bus)), () => subscriptionDependencies(resolver)),
      name: "relay",
    }),
  });
};
