import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { hasCommand, onCleanup, pinned, startProcess, waitFor, type Started } from "./processes.js";
import type { SystemUnderLoad } from "./systems.js";

const here = dirname(fileURLToPath(import.meta.url));

export type PeerServer = Readonly<{ baseUrl: string; process: Started }>;

/** Starts one of this package's small servers on CPU 0; it prints `{"port": …}` once it listens. */
const startNodeServer = async (name: string, entry: string, logDir: string, env: NodeJS.ProcessEnv = {}): Promise<PeerServer> => {
  const [command, args] = pinned(0, process.execPath, [join(here, entry)]);
  const started = startProcess(name, command, args, { logDir, env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env } });
  const port = await waitFor(
    `${name} listening`,
    async () => {
      const line = started
        .log()
        .split("\n")
        .find((candidate) => candidate.startsWith('{"port"'));
      return line ? (JSON.parse(line) as { port: number }).port : undefined;
    },
    { timeoutMs: 60_000, process: started, intervalMs: 20 },
  );
  return { baseUrl: `http://127.0.0.1:${port}`, process: started };
};

/** The bare express baseline, serving `document` for every "get one". */
export const startBaseline = async (document: unknown, workDir: string): Promise<PeerServer & SystemUnderLoad> => {
  const path = join(workDir, "baseline-document.json");
  writeFileSync(path, JSON.stringify(document));
  const server = await startNodeServer("baseline", "baselineServer.js", workDir, { BENCH_DOCUMENT: path });
  return {
    ...server,
    name: "express",
    description: "bare express 5 (the baseline), the same JSON document from memory",
    loads: { get: { baseUrl: server.baseUrl, headers: {}, lua: `return wrk.format("GET", "/api/v1/clientapplications/x", headers)` } },
  };
};

export const startOidcProvider = async (workDir: string): Promise<PeerServer & SystemUnderLoad> => {
  const server = await startNodeServer("oidc-provider", "oidcProviderServer.js", workDir);
  return {
    ...server,
    name: "oidc-provider",
    description: "node-oidc-provider 9 with its in-memory adapter and open RFC 7591 registration",
    loads: {
      create: {
        baseUrl: server.baseUrl,
        headers: { "Content-Type": "application/json" },
        lua: `local body = '{"client_name":"Bench ' .. n .. '","redirect_uris":["https://app.example.com/callback"]}'
  return wrk.format("POST", "/reg", headers, body)`,
      },
    },
    notes: { create: "RFC 7591 registration" },
  };
};

const keycloakVersion = "26.7.3";

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Where Keycloak's distribution is kept between runs: `BENCH_CACHE_DIR`, or ~/.cache/clientapps-bench. */
const cacheDir = (): string => process.env.BENCH_CACHE_DIR ?? join(homedir(), ".cache", "clientapps-bench");

/** Fetches Keycloak's server distribution from Maven Central once, with Maven, and unpacks it. */
const keycloakHome = (): string => {
  for (const tool of ["mvn", "java", "tar"]) {
    if (!hasCommand(tool)) throw new Error(`--peers runs Keycloak, which needs ${tool}: install Java 17 or later and Maven`);
  }
  const cache = cacheDir();
  const home = join(cache, `keycloak-${keycloakVersion}`);
  if (existsSync(join(home, "bin", "kc.sh"))) return home;
  mkdirSync(cache, { recursive: true });
  const tarball = join(cache, `keycloak-quarkus-dist-${keycloakVersion}.tar.gz`);
  if (!existsSync(tarball)) {
    process.stderr.write(`fetching Keycloak ${keycloakVersion} from Maven Central (about 176 MB) into ${cache}\n`);
    const artifact = `-Dartifact=org.keycloak:keycloak-quarkus-dist:${keycloakVersion}:tar.gz`;
    const fetched = spawnSync("mvn", ["-q", "dependency:copy", artifact, `-DoutputDirectory=${cache}`], { stdio: "inherit", cwd: cache });
    if (fetched.status !== 0) throw new Error(`mvn dependency:copy of Keycloak ${keycloakVersion} failed`);
  }
  const unpacked = spawnSync("tar", ["-xzf", tarball, "-C", cache], { stdio: "inherit" });
  if (unpacked.status !== 0) throw new Error(`unpacking ${tarball} failed`);
  return home;
};

const form = (fields: Readonly<Record<string, string>>): string => new URLSearchParams(fields).toString();

const json = async <T>(response: Response, what: string): Promise<T> => {
  if (!response.ok) throw new Error(`Keycloak ${what}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

const realm = "bench";

/**
 * Keycloak in dev mode (H2 in its data folder, emptied before and after) on CPU 0, with
 * a realm of `poolSize` confidential clients for the loads that need existing ones.
 */
export const startKeycloak = async (workDir: string, poolSize: number): Promise<PeerServer & SystemUnderLoad> => {
  const home = keycloakHome();
  const data = join(home, "data");
  rmSync(data, { recursive: true, force: true });
  onCleanup(() => rmSync(data, { recursive: true, force: true }));
  const [port, managementPort] = [await freePort(), await freePort()];
  const [command, args] = pinned(0, join(home, "bin", "kc.sh"), [
    "start-dev",
    "--http-host",
    "127.0.0.1",
    "--http-port",
    String(port),
    "--http-management-port",
    String(managementPort),
  ]);
  const started = startProcess("keycloak", command, args, {
    logDir: workDir,
    cwd: home,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      KC_BOOTSTRAP_ADMIN_USERNAME: "admin",
      KC_BOOTSTRAP_ADMIN_PASSWORD: "admin",
      JAVA_OPTS_KC_HEAP: "-Xms1g -Xmx2g",
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(
    "Keycloak ready",
    async () => ((await fetch(`${baseUrl}/realms/master/.well-known/openid-configuration`)).ok ? true : undefined),
    { timeoutMs: 600_000, process: started, intervalMs: 1000 },
  );
  const token = async (): Promise<string> => {
    const response = await fetch(`${baseUrl}/realms/master/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ grant_type: "password", client_id: "admin-cli", username: "admin", password: "admin" }),
    });
    return (await json<{ access_token: string }>(response, "admin token")).access_token;
  };
  const admin = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${baseUrl}/admin/realms${path}`, {
      method,
      headers: { Authorization: `Bearer ${await token()}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  // The master realm's tokens last a minute by default; the loads use one token for their whole run.
  const lifespan = await admin("PUT", "/master", { accessTokenLifespan: 3600 });
  if (!lifespan.ok) throw new Error(`Keycloak token lifespan: ${lifespan.status}`);
  const created = await admin("POST", "", { realm, enabled: true });
  if (!created.ok) throw new Error(`Keycloak realm: ${created.status} ${await created.text()}`);
  const adminToken = await token();
  const ids: string[] = [];
  const clientIds: string[] = [];
  for (let next = 0; next < poolSize;) {
    const batch = Array.from({ length: Math.min(10, poolSize - next) }, (_, offset) => `pool-${next + offset}`);
    next += batch.length;
    await Promise.all(
      batch.map(async (clientId) => {
        const response = await fetch(`${baseUrl}/admin/realms/${realm}/clients`, {
          method: "POST",
          headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
          body: JSON.stringify({ clientId, publicClient: false, redirectUris: ["https://app.example.com/callback"] }),
        });
        const id = response.headers.get("location")?.split("/").at(-1);
        if (response.status !== 201 || !id) throw new Error(`Keycloak client: ${response.status} ${await response.text()}`);
        ids.push(id);
        clientIds.push(clientId);
      }),
    );
  }
  const clients = `/admin/realms/${realm}/clients`;
  const base = {
    baseUrl,
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    lists: { ids, clientIds },
  };
  return {
    baseUrl,
    process: started,
    name: "Keycloak",
    description: `Keycloak ${keycloakVersion} in dev mode (H2), admin REST API of one realm; one unmeasured warm-up run per load`,
    warmUp: true,
    loads: {
      list: { ...base, lua: `return wrk.format("GET", "${clients}?first=0&max=50", headers)` },
      get: { ...base, lua: `return wrk.format("GET", "${clients}/" .. at(ids, n), headers)` },
      update: {
        ...base,
        lua: `local body = '{"clientId":"' .. at(clientIds, n) .. '","name":"Updated $RUN ' .. n .. '"}'
  return wrk.format("PUT", "${clients}/" .. at(ids, n), headers, body)`,
      },
      rotate: { ...base, lua: `return wrk.format("POST", "${clients}/" .. at(ids, n) .. "/client-secret", headers)` },
      create: {
        ...base,
        lua: `local body = '{"clientId":"b$RUN-' .. n .. '","name":"Bench ' .. n .. '","publicClient":false,'
    .. '"redirectUris":["https://app.example.com/callback"]}'
  return wrk.format("POST", "${clients}", headers, body)`,
      },
    },
    notes: { list: "first=0&max=50 of a realm's clients", rotate: "regenerate the client secret" },
  };
};
