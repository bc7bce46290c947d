#!/usr/bin/env node
import { relayCheckpoint } from "@clientapps/event-messages";
import { createBaseContainer, loadConfig, runMain, stopOnSignals, Tokens } from "@clientapps/runtime";
import { announceOnConsole, startApiServer } from "./server.js";

/** The api as its own process (distributed mode): stateless, any number of them. */
runMain(async () => {
  const container = createBaseContainer(loadConfig(), "clientapps-api");
  const logger = container.resolve(Tokens.Logger);
  const engines = container.resolve(Tokens.Engines);
  const server = await startApiServer({
    config: container.resolve(Tokens.Config),
    engines,
    hasher: container.resolve(Tokens.SecretHasher),
    pepper: container.resolve(Tokens.Pepper),
    logger,
    metrics: container.resolve(Tokens.Metrics),
    clock: container.resolve(Tokens.Clock),
    extraCheckpoints: [relayCheckpoint],
    announceAdminToken: announceOnConsole,
  });
  stopOnSignals(async () => {
    await server.stop();
    await engines.close();
  }, logger);
});
