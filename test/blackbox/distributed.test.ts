import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { distributedEntry, startService, type ServiceProcess } from "./serviceProcess.js";

const { MONGODB_URL, KAFKA_BROKERS } = process.env;
const engines = Boolean(MONGODB_URL && KAFKA_BROKERS);
if (!engines) {
  console.warn(
    "Distributed-mode black-box test SKIPPED: it needs MONGODB_URL and KAFKA_BROKERS " +
      "(.ci/run starts FerretDB and Kafka; locally: infra/ferretdb/start.sh and infra/kafka/start.sh).",
  );
}

type Answer = Readonly<{ status: number; body: Record<string, unknown> }>;

describe.skipIf(!engines)("the distributed mode: api, projector, relay, audit and scheduler as separate processes", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "clientapps-distributed-"));
  const run = randomUUID().replaceAll("-", "").slice(0, 12);
  const running: ServiceProcess[] = [];
  let api: ServiceProcess;
  let token: string;

  beforeAll(async () => {
    // One deployment: one pepper, one admin token, its own database and bus namespace.
    const env = {
      MONGODB_URL: MONGODB_URL!,
      MONGODB_DATABASE: `distributed_${run}`,
      KAFKA_BROKERS: KAFKA_BROKERS!,
      KAFKA_PARTITIONS: "3",
      CLIENTAPPS_BUS_NAMESPACE: `test-${run}`,
      CLIENTAPPS_PEPPER: randomBytes(32).toString("base64"),
      CLIENTAPPS_SCHEDULER_INTERVAL_MS: "200",
      CLIENTAPPS_POLL_INTERVAL_MS: "50",
    };
    for (const service of ["projector", "relay", "audit", "scheduler"] as const) {
      running.push(await startService(dataDir, env, distributedEntry(service)));
    }
    api = await startService(dataDir, env, distributedEntry("api"));
    running.push(api);
    token = api.announcedToken!;
    expect(token, "the api process prints the bootstrap token on first start").toMatch(/^ca_admin_/);
  }, 60_000);

  afterAll(async () => {
    for (const service of running.splice(0).reverse()) await service.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown, bearer = token): Promise<Answer> => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  it("carries every change into the read models, the activity stream and the revocation feed", async () => {
    expect((await call("POST", "/api/v1/clientapplications", { clientId: "dist", displayName: "Distributed" })).status).toBe(201);
    // Read-your-writes across processes: the api waits for the projector's checkpoint in MongoDB.
    expect((await call("GET", "/api/v1/clientapplications/dist")).body).toMatchObject({ clientId: "dist", displayName: "Distributed" });

    const rotated = await call("POST", "/api/v1/clientapplications/dist/secret", { gracePeriodSeconds: 1 });
    expect(rotated.status).toBe(200);
    const key = await call("POST", "/api/v1/clientapplications/dist/apikeys", { name: "ci", scopes: ["clientapps:read"] });
    expect(key.status).toBe(201);
    expect((await call("GET", "/api/v1/clientapplications/dist", undefined, key.body.key as string)).status).toBe(200);
    expect((await call("DELETE", `/api/v1/clientapplications/dist/apikeys/${key.body.id as string}`)).status).toBe(204);

    // The scheduler process retires the old secret once its one-second grace period is over.
    await vi.waitFor(async () => expect((await call("GET", "/api/v1/clientapplications/dist")).body.secrets).toHaveLength(1), {
      timeout: 15_000,
      interval: 200,
    });
    expect((await call("DELETE", "/api/v1/clientapplications/dist")).status).toBe(204);
    expect((await call("GET", "/api/v1/clientapplications/dist")).status).toBe(404);

    const expectedOperations = ["create", "rotate_secret", "issue_api_key", "revoke_api_key", "retire_secret", "delete"];
    await vi.waitFor(
      async () => {
        const activity = await call("GET", "/api/v1/clientapplications/dist/activity_stream");
        expect((activity.body as unknown as { operation: string }[]).map((entry) => entry.operation)).toEqual(expectedOperations);
      },
      { timeout: 20_000, interval: 200 },
    );
    // The chain covers the workspace's own entries too: its creation and first admin token, at the bootstrap.
    expect((await call("GET", "/api/v1/activity_stream/verify")).body).toMatchObject({
      valid: true,
      entriesChecked: expectedOperations.length + 2,
    });
    const feed = await call("GET", "/api/v1/tokens/feed?clientId=dist");
    expect((feed.body.entries as { reason: string }[]).map((entry) => entry.reason)).toEqual([
      "secret_rotated",
      "api_key_revoked",
      "secret_retired",
      "client_deleted",
    ]);
  }, 60_000);
});
