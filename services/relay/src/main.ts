#!/usr/bin/env node
import { relayProjection } from "@clientapps/event-messages";
import { startProjection } from "@clientapps/projections";
import { createBaseContainer, loadConfig, runMain, startOpsServer, stopOnSignals, Tokens } from "@clientapps/runtime";

/** The relay as its own process: one active instance publishes the log to the bus, in order. */
runMain(async () => {
  const config = loadConfig();
  const container = createBaseContainer(config, "clientapps-relay");
  const logger = container.resolve(Tokens.Logger);
  const engines = container.resolve(Tokens.Engines);
  const relay = await startProjection({ ...engines, logger }, relayProjection(engines.bus));
  const ops = await startOpsServer({ host: config.host, port: config.opsPort, engines, metrics: container.resolve(Tokens.Metrics), logger });
  stopOnSignals(async () => {
    await ops.close();
    await relay.stop();
    await engines.close();
  }, logger);
});
