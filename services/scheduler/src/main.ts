#!/usr/bin/env node
import { createBaseContainer, loadConfig, runMain, startOpsServer, stopOnSignals, Tokens } from "@clientapps/runtime";
import { startCredentialScheduler } from "@clientapps/credential-scheduler";

/** The credential scheduler as its own process; a second one is harmless (its work is idempotent). */
runMain(async () => {
  const config = loadConfig();
  const container = createBaseContainer(config, "clientapps-scheduler");
  const logger = container.resolve(Tokens.Logger);
  const engines = container.resolve(Tokens.Engines);
  const scheduler = await startCredentialScheduler(
    { ...engines, logger, clock: container.resolve(Tokens.Clock) },
    { intervalMs: config.schedulerIntervalMs },
  );
  const ops = await startOpsServer({ host: config.host, port: config.opsPort, engines, metrics: container.resolve(Tokens.Metrics), logger });
  stopOnSignals(async () => {
    await ops.close();
    await scheduler.stop();
    await engines.close();
  }, logger);
});
