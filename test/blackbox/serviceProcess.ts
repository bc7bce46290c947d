import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startBuiltService, type BuiltService } from "@clientapps/test-support";

const services = join(dirname(fileURLToPath(import.meta.url)), "../../services");

/** The entry `pnpm start` runs, as built by turbo before this suite. */
export const serviceEntry = join(services, "standalone/dist/main.js");

/** The entry of one service of the distributed mode. */
export const distributedEntry = (service: "api" | "projector" | "relay" | "audit" | "scheduler"): string =>
  join(services, service, "dist/main.js");

export type ServiceProcess = BuiltService;

/** Starts the service on a free port and resolves once it listens. */
export const startService = (
  dataDir: string,
  env: Record<string, string> = {},
  entry = serviceEntry,
  onLine?: (line: string) => void,
): Promise<ServiceProcess> => startBuiltService(entry, dataDir, env, onLine);
