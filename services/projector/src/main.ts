#!/usr/bin/env node
import { createBaseContainer, loadConfig, runMain, startOpsServer, stopOnSignals, Tokens } from "@clientapps/runtime";
import { clientReadModelProjections as projections } from "@clientapps/client-read-models";
import { resetProjection, startProjection } from "@clientapps/projections";

/** The projector as its own process: one active instance builds every read model. */
runMain(async () => {
  const config = loadConfig();
  const container = createBaseContainer(config, "clientapps-projector");
  const logger = container.resolve(Tokens.Logger);
  const engines = container.resolve(Tokens.Engines);
  if (process.argv.includes("--rebuild")) {
    for (const projection of projections) await resetProjection(engines.readModels, projection);
    logger.info("read models emptied; rebuilding from the events");
  }
  const runners = await Promise.all(projections.map((projection) => startProjection({ ...engines, logger }, projection)));
  const ops = await startOpsServer({ host: config.host, port: config.opsPort, engines, metrics: container.resolve(Tokens.Metrics), logger });
  stopOnSignals(async () => {
    await ops.close();
    for (const runner of runners) await runner.stop();
    await engines.close();
  }, logger);
});
