import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startService, type ServiceProcess } from "./serviceProcess.js";

type Acknowledged = Readonly<{ clientId: string; etag: string; body: Record<string, unknown> }>;

const api = (service: ServiceProcess, token: string) => async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get("etag"), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
};

const stripSecret = (body: Record<string, unknown>): Record<string, unknown> => {
  const { clientSecret: _secret, ...rest } = body;
  return rest;
};

describe("the service started as `pnpm start` runs it", () => {
  let dataDir: string;
  const running: ServiceProcess[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "clientapps-blackbox-"));
  });
  afterEach(async () => {
    for (const service of running.splice(0)) await service.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (env?: Record<string, string>) => {
    const service = await startService(dataDir, env);
    running.push(service);
    return service;
  };

  it("loses no acknowledged write when killed with SIGKILL in the middle of a stream of writes", async () => {
    const first = await start();
    const token = first.announcedToken;
    expect(token, "the first start prints a bootstrap admin token").toMatch(/^ca_admin_/);
    const call = api(first, token!);

    const acknowledged = new Map<string, Acknowledged>();
    const deleted = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const created = await call("POST", "/api/v1/clientapplications", {
        clientId: `app-${i}`,
        displayName: `App ${i}`,
        isConfidential: i % 2 === 0,
        redirectUris: [`https://app${i}.example.com/callback`],
        scopes: ["read:organization"],
      });
      expect(created.status).toBe(201);
      acknowledged.set(`app-${i}`, { clientId: `app-${i}`, etag: created.etag!, body: stripSecret(created.body) });
    }
    const updated = await call("PATCH", "/api/v1/clientapplications/app-3", { description: "changed before the crash", isActive: false });
    expect(updated.status).toBe(200);
    acknowledged.set("app-3", { clientId: "app-3", etag: updated.etag!, body: updated.body });
    expect((await call("DELETE", "/api/v1/clientapplications/app-4")).status).toBe(204);
    acknowledged.delete("app-4");
    deleted.add("app-4");

    // Keep writing from several callers and kill the process while requests are in flight.
    let stop = false;
    const writer = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const clientId = `burst-${lane}-${i}`;
        try {
          const created = await call("POST", "/api/v1/clientapplications", {
            clientId,
            displayName: `Burst ${lane}/${i}`,
            isConfidential: true,
          });
          if (created.status === 201) acknowledged.set(clientId, { clientId, etag: created.etag!, body: stripSecret(created.body) });
        } catch {
          return; // the connection died with the process: this write was never acknowledged
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acknowledged.size < 60) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.kill("SIGKILL");
    stop = true;
    await Promise.all(writers);

    const second = await start();
    expect(second.announcedToken, "the bootstrap token is shown once only").toBeUndefined();
    const again = api(second, token!);
    for (const expected of acknowledged.values()) {
      const found = await again("GET", `/api/v1/clientapplications/${expected.clientId}`);
      expect(found.status, expected.clientId).toBe(200);
      expect(found.etag).toBe(expected.etag);
      expect(found.body).toEqual(expected.body);
    }
    for (const clientId of deleted) expect((await again("GET", `/api/v1/clientapplications/${clientId}`)).status).toBe(404);

    // The list, read page by page, holds exactly what was acknowledged, plus any write that
    // landed in the store but whose answer the crash swallowed.
    const listed = new Set<string>();
    for (let path: string | undefined = "/api/v1/clientapplications?pageSize=25"; path;) {
      const response = await fetch(`${second.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      for (const client of (await response.json()) as { clientId: string }[]) listed.add(client.clientId);
      path = /<([^>]+)>; rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
    }
    for (const clientId of acknowledged.keys()) expect(listed.has(clientId), clientId).toBe(true);
    for (const clientId of deleted) expect(listed.has(clientId)).toBe(false);

    expect(await second.kill("SIGTERM"), "a graceful stop exits 0").toBe(0);
  }, 60_000);

  it("keeps secrets and tokens out of its output", async () => {
    const service = await start();
    const token = service.announcedToken!;
    const created = await api(service, token)("POST", "/api/v1/clientapplications", { clientId: "secretive", displayName: "Secretive" });
    const secret = created.body.clientSecret as string;
    expect(secret).toMatch(/^ca_secret_/);
    await service.kill("SIGTERM");
    const output = service.output();
    expect(output).not.toContain(secret);
    // The token appears exactly once: in the bootstrap announcement, never in a log line.
    expect(output.split(token).length - 1).toBe(1);
  });

  it("refuses to start on a configuration it cannot honour, saying why", async () => {
    await expect(start({ PORT: "not-a-port" })).rejects.toThrow(/PORT/);
    await expect(start({ KAFKA_BROKERS: "not a broker list" })).rejects.toThrow(/KAFKA_BROKERS/);
    await expect(start({ MONGODB_URL: "postgres://127.0.0.1" })).rejects.toThrow(/MONGODB_URL/);
    await expect(start({ CLIENTAPPS_ADMIN_TOKEN: "hunter2" })).rejects.toThrow(/CLIENTAPPS_ADMIN_TOKEN/);
    // Four processes, one after another, each loading the whole service before it refuses: on a busy CI machine that is slow.
  }, 90_000);
});
