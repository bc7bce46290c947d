import { runService } from "@clientapps/runtime";
import { composeScheduler } from "./container.js";

/** The credential scheduler as its own process; a second one is harmless (its work is idempotent). */
runService("clientapps-scheduler", composeScheduler, { opsServer: true });
