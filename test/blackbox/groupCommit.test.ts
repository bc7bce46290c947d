import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startService, type ServiceProcess } from "./serviceProcess.js";

const metricsToken = "group-commit-metrics-token";

/** The value of a counter the service reports on `/metrics` (0 before its first increment). */
const counter = async (service: ServiceProcess, name: string): Promise<number> => {
  const response = await fetch(`${service.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${metricsToken}` } });
  expect(response.status).toBe(200);
  const line = (await response.text()).split("\n").find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
};

/**
 * Sends every request in one write on one connection (HTTP/1.1 pipelining), so that they
 * reach the service together, and resolves with the raw responses once as many have come back.
 */
const pipelined = (service: ServiceProcess, requests: readonly string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(service.baseUrl);
    const socket = connect(Number(port), hostname, () => socket.write(requests.join("")));
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
      if ((received.match(/HTTP\/1\.1 \d{3} /g) ?? []).length === requests.length) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on("error", reject);
    socket.on("close", () => reject(new Error(`the connection closed after these responses:\n${received}`)));
  });

const createRequest = (token: string, clientId: string): string => {
  const body = JSON.stringify({ clientId, displayName: `Burst ${clientId}`, isConfidential: true });
  return [
    "POST /api/v1/clientapplications HTTP/1.1",
    "Host: 127.0.0.1",
    `Authorization: Bearer ${token}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "",
    body,
  ].join("\r\n");
};

describe("the write path of `pnpm start`", () => {
  let dataDir: string;
  const running: ServiceProcess[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "clientapps-group-commit-"));
  });
  afterEach(async () => {
    for (const service of running.splice(0)) await service.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const service = await startService(dataDir, { CLIENTAPPS_METRICS_TOKEN: metricsToken });
    running.push(service);
    return service;
  };

  it("commits a burst of creates that arrive together in one transaction, and keeps every one through a SIGKILL", async () => {
    const first = await start();
    const token = first.announcedToken!;
    const clientIds = Array.from({ length: 30 }, (_, i) => `burst-${i}`);
    const appended = 'clientapps_event_store_appends_total{outcome="appended"}';
    const commitsBefore = await counter(first, "clientapps_event_store_commits_total");
    const appendedBefore = await counter(first, appended);

    const responses = await pipelined(
      first,
      clientIds.map((clientId) => createRequest(token, clientId)),
    );

    expect(responses.match(/HTTP\/1\.1 \d{3}/g)).toEqual(clientIds.map(() => "HTTP/1.1 201"));
    expect(await counter(first, "clientapps_event_store_commits_total")).toBe(commitsBefore + 1);
    expect(await counter(first, appended)).toBe(appendedBefore + clientIds.length);
    await first.kill("SIGKILL");

    const second = await start();
    for (const clientId of clientIds) {
      const found = await fetch(`${second.baseUrl}/api/v1/clientapplications/${clientId}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(found.status, clientId).toBe(200);
      expect(found.headers.get("etag"), clientId).toBe('"0"');
    }
  }, 60_000);
});
