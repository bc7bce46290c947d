import { runService } from "@clientapps/runtime";
import { composeProjector } from "./container.js";

/** The projector as its own process: one active instance builds every read model. `--rebuild` empties them first. */
runService("clientapps-projector", (container) => composeProjector(container, { rebuild: process.argv.includes("--rebuild") }), {
  opsServer: true,
});
