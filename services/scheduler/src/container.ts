import { Tokens } from "@clientapps/runtime";
import type { DependencyContainer } from "tsyringe";
import { startCredentialScheduler } from "@clientapps/credential-scheduler";

/** Registers the credential scheduler, polling at the configured interval. */
export const composeScheduler = (container: DependencyContainer): void => {
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
};
