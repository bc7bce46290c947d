import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCredential } from "@clientapps/credentials";
import { listeningPort } from "./clientapps.js";
import { measureFreshness, type FreshnessFigures } from "./figures.js";
import { onCleanup, startProcess, tempDir, waitFor, type Started } from "./processes.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

export type DistributedFigures = FreshnessFigures & Readonly<{ engines: string }>;

type EngineUrls = Readonly<{ mongodbUrl: string; kafkaBrokers: string; engines: string }>;

/** Ports away from the defaults and from `.ci/run`'s, so that neither a developer's servers nor CI's collide. */
const enginePorts = { MONGODB_PORT: "27217", KAFKA_PORT: "19192", KAFKA_CONTROLLER_PORT: "19193" };

const runScript = (script: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): string =>
  execFileSync(join(repoRoot, script), args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });

/**
 * Kafka and FerretDB: the ones `MONGODB_URL` and `KAFKA_BROKERS` name when both are set, else
 * started here with the project's infra scripts (real servers on loopback, installed on first
 * use) in folders of their own, and stopped and removed when the run ends.
 */
const engineUrls = (): EngineUrls => {
  const { MONGODB_URL, KAFKA_BROKERS } = process.env;
  if (MONGODB_URL && KAFKA_BROKERS)
    return { mongodbUrl: MONGODB_URL, kafkaBrokers: KAFKA_BROKERS, engines: "given by MONGODB_URL and KAFKA_BROKERS" };
  const env = {
    ...process.env,
    ...enginePorts,
    CLIENTAPPS_FERRETDB_STATE_DIR: tempDir("ferretdb"),
    CLIENTAPPS_KAFKA_STATE_DIR: tempDir("kafka"),
  };
  onCleanup(() => void runScript("infra/ferretdb/stop.sh", env, ["--purge"]));
  const mongodbUrl = runScript("infra/ferretdb/start.sh", env)
    .trim()
    .replace(/^MONGODB_URL=/, "");
  onCleanup(() => void runScript("infra/kafka/stop.sh", env, ["--purge"]));
  const kafkaBrokers = runScript("infra/kafka/start.sh", env)
    .trim()
    .replace(/^KAFKA_BROKERS=/, "");
  return { mongodbUrl, kafkaBrokers, engines: "FerretDB and a Kafka broker started by infra/ferretdb/start.sh and infra/kafka/start.sh" };
};

/**
 * Write → visible and write → activity-stream entry (see `measureFreshness`) in the distributed
 * mode: the api, projector, relay and audit as processes of their own, sharing a data directory
 * for the events, with the read models in FerretDB and the bus in Kafka, at the default settings.
 */
export const measureDistributedFreshness = async (logDir: string, samples: number): Promise<DistributedFigures> => {
  const urls = engineUrls();
  const run = randomUUID().replaceAll("-", "").slice(0, 12);
  const adminToken = generateCredential("adminToken");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATA_DIR: tempDir("distributed"),
    HOST: "127.0.0.1",
    PORT: "0",
    OPS_PORT: "0",
    MONGODB_URL: urls.mongodbUrl,
    MONGODB_DATABASE: `bench_${run}`,
    KAFKA_BROKERS: urls.kafkaBrokers,
    CLIENTAPPS_BUS_NAMESPACE: `bench-${run}`,
    CLIENTAPPS_PEPPER: randomBytes(32).toString("base64"),
    CLIENTAPPS_ADMIN_TOKEN: adminToken,
  };
  const started: Started[] = [];
  try {
    for (const service of ["projector", "relay", "audit"] as const) {
      started.push(
        startProcess(`distributed-${service}`, process.execPath, [join(repoRoot, "services", service, "dist/main.js")], { env, logDir }),
      );
    }
    const api = startProcess("distributed-api", process.execPath, [join(repoRoot, "services/api/dist/main.js")], { env, logDir });
    started.push(api);
    const port = await waitFor("the distributed api listening", async () => listeningPort(api.log()), {
      timeoutMs: 120_000,
      process: api,
      intervalMs: 50,
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const reader = await fetch(`${baseUrl}/api/v1/clientapplications`, {
      method: "POST",
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ clientId: "bench-reader", displayName: "Bench reader" }),
    });
    if (reader.status !== 201) throw new Error(`creating the reader's client answered ${reader.status}: ${await reader.text()}`);
    // The first writes go through the consumers' joins to their groups, which are not what is measured.
    await measureFreshness(baseUrl, adminToken, "bench-reader", 3);
    return { ...(await measureFreshness(baseUrl, adminToken, "bench-reader", samples)), engines: urls.engines };
  } finally {
    for (const process of started.reverse()) await process.stop();
  }
};
