import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCredential } from "@clientapps/credentials";
import { pinned, startProcess, waitFor, type Started } from "./processes.js";
import type { SeededClient } from "./seed.js";
import type { Operation } from "./systems.js";
import type { Load } from "./wrk.js";

export const serviceEntry = join(dirname(fileURLToPath(import.meta.url)), "../../../services/standalone/dist/main.js");

export const workspaceId = "default";

/** What every start of the service on one data directory shares: its keys. */
export type ServiceKeys = Readonly<{ pepper: Buffer; adminToken: string }>;

export const newServiceKeys = (): ServiceKeys => ({ pepper: randomBytes(32), adminToken: generateCredential("adminToken") });

export type RunningService = Readonly<{ baseUrl: string; process: Started; startedAt: number }>;

/** The port the service's `listening` log line names, once it has written it. */
export const listeningPort = (log: string): number | undefined => {
  for (const line of log.split("\n")) {
    if (!line.startsWith("{")) continue;
    const logged = JSON.parse(line) as { msg?: string; port?: number };
    if (logged.msg === "listening" && logged.port) return logged.port;
  }
  return undefined;
};

/**
 * Starts the built service (`pnpm start`'s entry) on CPU 0 at the default log level, its
 * output in a file of `logDir`, and resolves once its API listens.
 */
export const startService = async (
  options: Readonly<{ dataDir: string; logDir: string; keys: ServiceKeys; name: string; nodeArgs?: readonly string[]; entry?: string }>,
): Promise<RunningService> => {
  const [command, args] = pinned(0, process.execPath, [...(options.nodeArgs ?? []), options.entry ?? serviceEntry]);
  const startedAt = performance.now();
  const started = startProcess(options.name, command, args, {
    logDir: options.logDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_DIR: options.dataDir,
      HOST: "127.0.0.1",
      PORT: "0",
      OPS_PORT: "0",
      CLIENTAPPS_PEPPER: options.keys.pepper.toString("base64"),
      CLIENTAPPS_ADMIN_TOKEN: options.keys.adminToken,
    },
  });
  const port = await waitFor(`${options.name} listening`, async () => listeningPort(started.log()), {
    timeoutMs: 600_000,
    process: started,
    intervalMs: 20,
  });
  return { baseUrl: `http://127.0.0.1:${port}`, process: started, startedAt };
};

const api = "/api/v1/clientapplications";

const adminHeaders = (adminToken: string) => ({ Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" });

/** A page of 50 of the workspace's clients, however many there are. */
export const listLoad = (baseUrl: string, adminToken: string): Load => ({
  baseUrl,
  headers: adminHeaders(adminToken),
  lua: `return wrk.format("GET", "${api}?pageSize=50", headers)`,
});

/** The loads of each operation against the service, on clients seeded beforehand. */
export const serviceLoads = (baseUrl: string, adminToken: string, pool: readonly SeededClient[]): Partial<Record<Operation, Load>> => {
  const headers = adminHeaders(adminToken);
  const ids = pool.map((client) => client.clientId);
  const secrets = pool.map((client) => client.secret ?? "");
  const base = { baseUrl, headers, lists: { ids, secrets } };
  return {
    create: {
      ...base,
      lua: `local body = '{"clientId":"b$RUN-' .. n .. '","displayName":"Bench ' .. n .. '","isConfidential":true,'
    .. '"redirectUris":["https://app.example.com/callback"]}'
  return wrk.format("POST", "${api}", headers, body)`,
    },
    update: {
      ...base,
      lua: `return wrk.format("PUT", "${api}/" .. at(ids, n), headers, '{"displayName":"Updated $RUN ' .. n .. '"}')`,
    },
    get: { ...base, lua: `return wrk.format("GET", "${api}/" .. at(ids, n), headers)` },
    introspect: {
      ...base,
      lua: `local body = '{"token":"' .. at(secrets, n) .. '","token_type_hint":"client_secret","client_id":"' .. at(ids, n) .. '"}'
  return wrk.format("POST", "/api/v1/credentials/introspect", headers, body)`,
    },
    rotate: {
      ...base,
      lua: `return wrk.format("POST", "${api}/" .. at(ids, n) .. "/secret", headers, '{"gracePeriodSeconds":0}')`,
    },
    list: listLoad(baseUrl, adminToken),
  };
};
