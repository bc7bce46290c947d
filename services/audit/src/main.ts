import { runService } from "@clientapps/runtime";
import { composeAudit } from "./container.js";

/** The audit consumer as its own process; several may run, as members of one consumer group. */
runService("clientapps-audit", composeAudit, { opsServer: true });
