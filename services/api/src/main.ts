import { runService } from "@clientapps/runtime";
import { composeApi } from "./container.js";
import { announceOnConsole } from "./server.js";

/**
 * The api as its own process (distributed mode): stateless, any number of them.
 * Its metrics are on the ops port (see CLIENTAPPS_METRICS_TOKEN).
 */
runService("clientapps-api", (container) => composeApi(container, { announceAdminToken: announceOnConsole }), { opsServer: true });
