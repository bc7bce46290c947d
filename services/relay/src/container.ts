import { startProjection } from "@clientapps/projector";
import { Tokens } from "@clientapps/runtime";
import type { DependencyContainer } from "tsyringe";
import { relayCheckpoint, relayProjection } from "./relay.js";

/** Registers the relay: the projection that publishes the event log to the bus. */
export const composeRelay = (container: DependencyContainer): void => {
  container.register(Tokens.Checkpoints, { useValue: [relayCheckpoint] });
  container.register(Tokens.Component, {
    useFactory: (resolver) => ({
      name: "relay",
      start: () =>
        startProjection(
          { eventStore: resolver.resolve(Tokens.EventStore), readModels: resolver.resolve(Tokens.ReadModels), logger: resolver.resolve(Tokens.Logger) },
          relayProjection(resolver.resolve(Tokens.Bus)),
        ),
    }),
  });
};
