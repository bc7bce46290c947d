import { runService } from "@clientapps/runtime";
import { composeRelay } from "./container.js";

/** The relay as its own process: one active instance publishes the log to the bus, in order. */
runService("clientapps-relay", composeRelay, { opsServer: true });
