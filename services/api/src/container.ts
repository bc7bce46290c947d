import { relayCheckpoint } from "@clientapps/event-messages";
import { Tokens } from "@clientapps/runtime";
import type { DependencyContainer } from "tsyringe";
import { startApiServer } from "./server.js";

export type ApiCompositionOptions = Readonly<{
  /** Where the one-time bootstrap admin token is shown. */
  announceAdminToken: (token: string, workspaceId: string) => void;
}>;

/**
 * Registers the api: one component, the HTTP server on the process's engines.
 * The relay's checkpoint is reported beside the projections' wherever the relay
 * runs, so /readyz and /metrics show the whole pipeline's lag.
 */
export const composeApi = (container: DependencyContainer, options: ApiCompositionOptions): void => {
  container.register(Tokens.Component, {
    useFactory: (resolver) => ({
      name: "api",
      start: () =>
        startApiServer({
          config: resolver.resolve(Tokens.Config),
          eventStore: resolver.resolve(Tokens.EventStore),
          readModels: resolver.resolve(Tokens.ServedReadModels),
          bus: resolver.resolve(Tokens.Bus),
          hasher: resolver.resolve(Tokens.SecretHasher),
          pepper: resolver.resolve(Tokens.Pepper),
          logger: resolver.resolve(Tokens.Logger),
          metrics: resolver.resolve(Tokens.Metrics),
          clock: resolver.resolve(Tokens.Clock),
          extraCheckpoints: [relayCheckpoint],
          announceAdminToken: options.announceAdminToken,
        }),
    }),
  });
};
