#!/usr/bin/env node
import { createBaseContainer, loadConfig, runMain, startOpsServer, stopOnSignals, Tokens } from "@clientapps/runtime";
import { startAudit } from "@clientapps/audit-trail";

/** The audit consumer as its own process; several may run, as members of one consumer group. */
runMain(async () => {
  const config = loadConfig();
  const container = createBaseContainer(config, "clientapps-audit");
  const logger = container.resolve(Tokens.Logger);
  const engines = container.resolve(Tokens.Engines);
  const metrics = container.resolve(Tokens.Metrics);
  const audit = await startAudit({
    ...engines,
    logger,
    clock: container.resolve(Tokens.Clock),
    observeLag: (seconds) => {
      metrics.activityLag.observe(seconds);
      metrics.activityLastLag.set(seconds);
    },
  });
  const ops = await startOpsServer({ host: config.host, port: config.opsPort, engines, metrics, logger });
  stopOnSignals(async () => {
    await ops.close();
    await audit.stop();
    await engines.close();
  }, logger);
});
