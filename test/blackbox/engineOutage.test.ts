import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { engineScript, printed, privatePorts } from "./engineScripts.js";
import { distributedEntry, startService, type ServiceProcess } from "./serviceProcess.js";

const { MONGODB_URL, KAFKA_BROKERS } = process.env;
const engines = Boolean(MONGODB_URL && KAFKA_BROKERS);
if (!engines) {
  console.warn("Engine-outage black-box tests SKIPPED: they need MONGODB_URL and KAFKA_BROKERS (.ci/run starts FerretDB and Kafka).");
}

type Write = Readonly<{ clientId: string; firstTriedAt: number; acceptedAt: number; refusals: readonly number[] }>;

describe.skipIf(!engines)("the distributed mode through engine outages", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** The four services of the pipeline as processes, on the given engines. */
  const startPipeline = async (engineEnv: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), "clientapps-outage-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const run = randomUUID().replaceAll("-", "").slice(0, 12);
    const env = {
      MONGODB_DATABASE: `outage_${run}`,
      CLIENTAPPS_BUS_NAMESPACE: `outage-${run}`,
      CLIENTAPPS_PEPPER: randomBytes(32).toString("base64"),
      CLIENTAPPS_POLL_INTERVAL_MS: "50",
      KAFKA_PARTITIONS: "3",
      ...engineEnv,
    };
    const services: ServiceProcess[] = [];
    cleanups.push(async () => {
      for (const service of services.reverse()) await service.kill("SIGKILL");
    });
    for (const service of ["projector", "relay", "audit"] as const)
      services.push(await startService(dataDir, env, distributedEntry(service)));
    const api = await startService(dataDir, env, distributedEntry("api"));
    services.push(api);
    const token = api.announcedToken!;
    const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${api.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });

    /**
     * Creates a client as a careful client would: with an Idempotency-Key, so a request lost
     * in transport can be sent again safely, and retrying a 503 as its Retry-After says.
     */
    const write = async (clientId: string): Promise<Write> => {
      const firstTriedAt = Date.now();
      const refusals: number[] = [];
      for (let transportFailures = 0; ;) {
        const response = await request(
          "POST",
          "/api/v1/clientapplications",
          { clientId, displayName: clientId },
          { "Idempotency-Key": `create-${clientId}` },
        ).catch((error: unknown) => {
          if (++transportFailures > 3) throw error;
          return undefined;
        });
        if (!response) continue;
        // The request lost in transport may still be running: the same key answers 409 until it is done.
        if (response.status === 409 && transportFailures > 0) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          continue;
        }
        if (response.status === 201) return { clientId, firstTriedAt, acceptedAt: Date.now(), refusals };
        expect(response.status, `${clientId}: only "unavailable, retry" is an acceptable refusal`).toBe(503);
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        refusals.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };

    const activityOf = async (): Promise<string[]> => {
      const entries: string[] = [];
      for (let path: string | undefined = "/api/v1/activity_stream?pageSize=500"; path;) {
        const response = await request("GET", path);
        expect(response.status).toBe(200);
        // The workspace's own entries (its creation and first admin token, at the bootstrap) are not the writes counted here.
        for (const entry of (await response.json()) as { eventId: string; object: { type: string; id: string } }[]) {
          if (entry.object.type === "clientApplication") entries.push(entry.object.id);
        }
        path = /<([^>]+)>; rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
      }
      return entries;
    };
    return { write, activityOf, request };
  };

  const expectEveryWriteOnceInTheActivityStream = async (pipeline: Awaited<ReturnType<typeof startPipeline>>, writes: readonly Write[]) => {
    await vi.waitFor(async () => expect((await pipeline.activityOf()).length).toBeGreaterThanOrEqual(writes.length), {
      timeout: 90_000,
      interval: 500,
    });
    const audited = await pipeline.activityOf();
    expect([...audited].sort(), "every acknowledged write exactly once").toEqual(writes.map((write) => write.clientId).sort());
    expect(await (await pipeline.request("GET", "/api/v1/activity_stream/verify")).json()).toMatchObject({ valid: true });
  };

  it("loses and doubles nothing when the Kafka broker stops in the middle of a stream of writes", async () => {
    const [port, controllerPort] = privatePorts(31000);
    const kafkaEnv = {
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      CLIENTAPPS_KAFKA_STATE_DIR: mkdtempSync(join(tmpdir(), "clientapps-outage-kafka-")),
    };
    const brokers = printed(await engineScript("kafka", "start", kafkaEnv), "KAFKA_BROKERS");
    cleanups.push(async () => void (await engineScript("kafka", "stop", kafkaEnv, "--purge")));
    const pipeline = await startPipeline({ MONGODB_URL: MONGODB_URL!, KAFKA_BROKERS: brokers });

    const writes: Write[] = [];
    for (let i = 0; i < 8; i++) writes.push(await pipeline.write(`before-${i}`));
    await engineScript("kafka", "stop", kafkaEnv);
    // The event store does not need Kafka: writes go on being accepted while the broker is down.
    for (let i = 0; i < 8; i++) writes.push(await pipeline.write(`during-${i}`));
    await engineScript("kafka", "start", kafkaEnv);
    for (let i = 0; i < 8; i++) writes.push(await pipeline.write(`after-${i}`));

    expect(
      writes.flatMap((write) => write.refusals),
      "no write was refused",
    ).toEqual([]);
    await expectEveryWriteOnceInTheActivityStream(pipeline, writes);
  }, 240_000);

  it("refuses writes only while the MongoDB-protocol server is down, then catches up by itself", async () => {
    const [port] = privatePorts(33000);
    const mongoEnv = {
      MONGODB_PORT: String(port),
      CLIENTAPPS_FERRETDB_STATE_DIR: mkdtempSync(join(tmpdir(), "clientapps-outage-ferretdb-")),
    };
    const url = printed(await engineScript("ferretdb", "start", mongoEnv), "MONGODB_URL");
    cleanups.push(async () => void (await engineScript("ferretdb", "stop", mongoEnv, "--purge")));
    const pipeline = await startPipeline({ MONGODB_URL: url, KAFKA_BROKERS: KAFKA_BROKERS! });

    const writes: Write[] = [];
    for (let i = 0; i < 6; i++) writes.push(await pipeline.write(`before-${i}`));
    const stoppedAt = Date.now();
    await engineScript("ferretdb", "stop", mongoEnv);
    // Credentials are looked up in the read models, so the api answers 503 with Retry-After, and does not hang.
    const refused = await pipeline.request("GET", "/api/v1/clientapplications");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    const during = (async () => {
      const accepted: Write[] = [];
      for (let i = 0; i < 6; i++) accepted.push(await pipeline.write(`during-${i}`));
      return accepted;
    })();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await engineScript("ferretdb", "start", mongoEnv);
    const restartedAt = Date.now();
    writes.push(...(await during));
    for (let i = 0; i < 6; i++) writes.push(await pipeline.write(`after-${i}`));

    // Refusals happened only between the stop and a short reconnect after the restart.
    for (const refusal of writes.flatMap((write) => write.refusals)) {
      expect(refusal).toBeGreaterThanOrEqual(stoppedAt);
      expect(refusal).toBeLessThanOrEqual(restartedAt + 15_000);
    }
    expect(writes.filter((write) => write.clientId.startsWith("after")).flatMap((write) => write.refusals)).toEqual([]);
    await expectEveryWriteOnceInTheActivityStream(pipeline, writes);
    const listed = await (await pipeline.request("GET", "/api/v1/clientapplications?pageSize=100")).json();
    expect((listed as { clientId: string }[]).map((client) => client.clientId).sort()).toEqual(
      writes.map((write) => write.clientId).sort(),
    );
  }, 240_000);
});
