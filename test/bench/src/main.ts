import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listLoad, newServiceKeys, serviceLoads, startService, workspaceId, type RunningService, type ServiceKeys } from "./clientapps.js";
import { measureDistributedFreshness } from "./distributed.js";
import { measureFreshness, measureStart, type FreshnessFigures } from "./figures.js";
import { parseOptions, usage, UsageError, type BenchOptions, type ProfiledOperation } from "./options.js";
import { startBaseline, startKeycloak, startOidcProvider } from "./peers.js";
import { cleanUp, pinning, rssMegabytes, tempDir, waitFor } from "./processes.js";
import { formatHotFunctions, hottestFunctions } from "./profile.js";
import { formatMarkdown, formatText, ours, type Report, type Row, type ScaleReport } from "./report.js";
import { seedClients, type SeededClient } from "./seed.js";
import { operations, type SystemUnderLoad } from "./systems.js";
import { measureLoad, requireWrk, type LoadSettings } from "./wrk.js";

const poolSize = 1_000;

const say = (text: string): void => void process.stderr.write(`${text}\n`);

type Context = Readonly<{ options: BenchOptions; workDir: string; settings: LoadSettings & Readonly<{ runs: number }> }>;

/** Runs every load a system has, in the table's order, and gives its rows. */
const measureSystem = async (context: Context, system: SystemUnderLoad): Promise<Row[]> => {
  const rows: Row[] = [];
  for (const operation of operations) {
    const load = system.loads[operation];
    if (!load) continue;
    const result = await measureLoad(load, context.settings, system.settle, system.warmUp);
    say(`  ${system.name} ${operation}: ${result.rate.toFixed(0)}/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms`);
    rows.push({ operation, system: system.name, note: system.notes?.[operation], result });
  }
  return rows;
};

const caughtUp = (service: RunningService) =>
  waitFor(
    "the projections to catch up",
    async () => {
      const body = (await (await fetch(`${service.baseUrl}/readyz`)).json()) as { projections?: Record<string, { caughtUp?: boolean }> };
      return Object.values(body.projections ?? {}).every((projection) => projection.caughtUp) ? true : undefined;
    },
    { timeoutMs: 600_000, process: service.process, intervalMs: 50 },
  );

/** A data directory with the pool of confidential clients every load works on, and the service started on it. */
const startOnPool = async (
  context: Context,
  name: string,
  nodeArgs: readonly string[] = [],
  count = poolSize,
): Promise<{ service: RunningService; pool: readonly SeededClient[]; keys: ServiceKeys }> => {
  const dataDir = tempDir("data");
  const keys = newServiceKeys();
  const pool = await seedClients({
    dataDir,
    pepper: keys.pepper,
    workspaceId,
    count,
    clientIdPrefix: "pool-",
    confidential: true,
  });
  const service = await startService({ dataDir, logDir: context.workDir, keys, name, nodeArgs, entry: context.options.serviceEntry });
  await caughtUp(service);
  return { service, pool, keys };
};

const ourDescription = (entry: string | undefined): string =>
  `the built service (${entry ?? "services/standalone/dist/main.js"}), embedded mode, default log level, a fresh data directory`;

const measureOurs = async (
  context: Context,
): Promise<{ rows: Row[]; document: unknown; rss: number | undefined; freshness?: FreshnessFigures }> => {
  say(`clientapps: seeding ${poolSize} confidential clients and starting the built service`);
  const { service, pool, keys } = await startOnPool(context, "clientapps");
  const first = pool[0]?.clientId ?? "";
  const document = await (
    await fetch(`${service.baseUrl}/api/v1/clientapplications/${first}`, { headers: { Authorization: `Bearer ${keys.adminToken}` } })
  ).json();
  // Measured first, on the idle service, so that no backlog of the loads is in the way.
  let freshness: FreshnessFigures | undefined;
  if (context.options.freshnessSamples > 0) {
    say(`clientapps: freshness over ${context.options.freshnessSamples} writes`);
    freshness = await measureFreshness(service.baseUrl, keys.adminToken, pool[1]?.clientId ?? first, context.options.freshnessSamples);
  }
  const rows = await measureSystem(context, {
    name: ours,
    description: ourDescription(context.options.serviceEntry),
    loads: serviceLoads(service.baseUrl, keys.adminToken, pool),
    // The projections of one load's writes run in the same process: the next load starts once they are done.
    settle: async () => void (await caughtUp(service)),
  });
  const rss = rssMegabytes(service.process.pid);
  await service.process.stop();
  return { rows, document, rss, ...(freshness ? { freshness } : {}) };
};

/**
 * Waits until the activity stream holds the registration of each of the last seeded clients (the
 * audit consumes the bus's partitions side by side, so the last few cover them all), and gives
 * the time from the spawn.
 */
const auditCaughtUp = async (service: RunningService, adminToken: string, lastOnes: readonly string[]): Promise<number> => {
  await waitFor(
    "the audit to catch up",
    async () => {
      for (const clientId of lastOnes) {
        const response = await fetch(`${service.baseUrl}/api/v1/activity_stream?clientId=${clientId}&pageSize=1`, {
          headers: { Authorization: `Bearer ${adminToken}` },
        });
        if (!response.ok || ((await response.json()) as unknown[]).length === 0) return undefined;
      }
      return true;
    },
    { timeoutMs: 1_800_000, process: service.process, intervalMs: 500 },
  );
  return performance.now() - service.startedAt;
};

const measureScale = async (context: Context): Promise<ScaleReport> => {
  const clients = context.options.scale;
  const dataDir = tempDir("scale");
  const keys = newServiceKeys();
  say(`scale: seeding ${clients} clients through the event store`);
  const seedStart = performance.now();
  // Only the last few are kept: the audit's catch-up is judged by them (see auditCaughtUp).
  const lastOnes = (
    await seedClients({
      dataDir,
      pepper: keys.pepper,
      workspaceId,
      count: clients,
      clientIdPrefix: "scale-",
      confidential: false,
    })
  )
    .slice(-16)
    .map((client) => client.clientId);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const start = async (name: string) => {
    const service = await startService({ dataDir, logDir: context.workDir, keys, name, entry: context.options.serviceEntry });
    return { service, figures: await measureStart(service.baseUrl, service.startedAt, service.process) };
  };

  say("scale: first start over the seeded store");
  const first = await start("clientapps-scale");
  // The audit consumes the bus apart from the projections, and /readyz does not count it: the list
  // is measured once it too has caught up, so that its catch-up is not in the list's figures.
  const auditCaughtUpMs = await auditCaughtUp(first.service, keys.adminToken, lastOnes);
  const listAtScale = await measureLoad(listLoad(first.service.baseUrl, keys.adminToken), { ...context.settings, runs: 1 });
  const rssAtScaleMb = rssMegabytes(first.service.process.pid);
  await first.service.process.stop();
  say("scale: restart");
  const restart = await start("clientapps-restart");
  await restart.service.process.stop();
  return {
    clients,
    seedSeconds,
    firstStart: { ...first.figures, rebuildEventsPerSecond: clients / (first.figures.caughtUpMs / 1000), auditCaughtUpMs },
    restart: restart.figures,
    listAtScale,
    rssAtScaleMb,
  };
};

const profile = async (context: Context, operation: ProfiledOperation): Promise<void> => {
  const profileDir = tempDir("profile");
  // The profile covers the whole process, so the store is kept small: its catch-up at the start would crowd out the load.
  const nodeArgs = ["--cpu-prof", `--cpu-prof-dir=${profileDir}`];
  const { service, pool, keys } = await startOnPool(context, "clientapps-profiled", nodeArgs, operation === "get" ? 50 : 0);
  const load = serviceLoads(service.baseUrl, keys.adminToken, pool)[operation];
  if (!load) throw new Error(`no load for ${operation}`);
  const result = await measureLoad(load, { ...context.settings, runs: 1 });
  // The profile is written when the process exits on its own, so it is stopped gracefully.
  await service.process.stop("SIGTERM", 60_000);
  const file = readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"));
  if (!file) throw new Error("the service wrote no .cpuprofile (it did not exit cleanly)");
  process.stdout.write(
    `${operation} under node --cpu-prof: ${result.rate.toFixed(0)}/s, ` +
      `p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms\n` +
      `the 15 hottest functions by self time, over the whole process (its start-up included):\n` +
      `${formatHotFunctions(hottestFunctions(join(profileDir, file)))}\n`,
  );
};

const main = async (): Promise<void> => {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) return void process.stdout.write(usage);
  requireWrk();
  const began = performance.now();
  const startedAt = new Date().toISOString();
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");
  const workDir = tempDir("run");
  const context: Context = {
    options,
    workDir,
    settings: { connections: options.connections, durationSeconds: options.durationSeconds, runs: options.runs, workDir },
  };
  say(`load average ${load}; ${pinning()}`);
  if (options.profile) return profile(context, options.profile);

  const ourRun = await measureOurs(context);
  const rows = [...ourRun.rows];
  const systems: Record<string, string> = { [ours]: ourDescription(options.serviceEntry) };
  const measurePeer = async (system: SystemUnderLoad & { process: { stop: () => Promise<void> } }) => {
    systems[system.name] = system.description;
    rows.push(...(await measureSystem(context, system)));
    await system.process.stop();
  };
  say("baseline: bare express 5");
  await measurePeer(await startBaseline(ourRun.document, workDir));
  if (options.peers) {
    say("peers: node-oidc-provider");
    await measurePeer(await startOidcProvider(workDir));
    say("peers: Keycloak (the first start unpacks and rebuilds it: a minute or more)");
    await measurePeer(await startKeycloak(workDir, poolSize));
  }
  const scale = options.scale > 0 ? await measureScale(context) : undefined;
  if (options.distributed) say("distributed: Kafka, FerretDB, and the api, projector, relay and audit processes");
  // A figure of its own, on engines of its own: should it fail, the rest of the report still stands.
  const distributed =
    options.distributed && options.freshnessSamples > 0
      ? await measureDistributedFreshness(workDir, options.freshnessSamples).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          say(`distributed: failed: ${message}`);
          return { failed: message.split("\n")[0] ?? "" };
        })
      : undefined;

  const report: Report = {
    startedAt,
    wallSeconds: (performance.now() - began) / 1000,
    load,
    pinning: pinning(),
    settings: {
      runs: options.runs,
      durationSeconds: options.durationSeconds,
      connections: options.connections,
      peers: options.peers,
      scale: options.scale,
      freshness: options.freshnessSamples,
      distributed: options.distributed,
      node: process.version,
    },
    rows,
    systems,
    rssAtPoolMb: ourRun.rss,
    freshness: ourRun.freshness,
    distributed,
    scale,
  };
  process.stdout.write(formatText(report));
  const outDir = options.outDir ?? join(dirname(fileURLToPath(import.meta.url)), "..", "results");
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `bench-${startedAt.replaceAll(":", "-")}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, formatMarkdown(report));
  say(`results: ${base}.json and ${base}.md`);
};

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping everything the benchmark started`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    // Stopped by a signal: what failed is only what the stop cut short.
    if (stopping) return;
    process.exitCode = error instanceof UsageError ? 2 : 1;
    say(
      error instanceof UsageError
        ? `${error.message}\n${usage}`
        : `pnpm bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  })
  .finally(() => cleanUp());
