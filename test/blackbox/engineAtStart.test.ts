import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { distributedEntry, startService, type ServiceProcess } from "./serviceProcess.js";

const { MONGODB_URL } = process.env;
if (!MONGODB_URL) {
  console.warn("Engine-at-start black-box test SKIPPED: it needs MONGODB_URL (.ci/run starts FerretDB; locally: infra/ferretdb/start.sh).");
}

/**
 * A TCP relay to the MongoDB-protocol server that cuts every connection until it is opened: to
 * the service, a server that cannot be reached yet, then one that answers.
 */
const gate = async (target: URL): Promise<{ url: string; open: () => void; close: () => Promise<void> }> => {
  let open = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    if (!open) return void client.destroy();
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the gate has no port");
  return {
    url: `mongodb://127.0.0.1:${address.port}/`,
    open: () => {
      open = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

describe.skipIf(!MONGODB_URL)("a service whose engine cannot be reached when it starts", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("waits for it, retrying, instead of exiting, and serves once it answers", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "clientapps-engine-at-start-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const mongo = await gate(new URL(MONGODB_URL!));
    cleanups.push(() => mongo.close());
    const retryLine = "an engine cannot be reached yet; starting again";
    let retried!: () => void;
    const hasRetried = new Promise<void>((resolve) => (retried = resolve));
    const starting = startService(
      dataDir,
      {
        MONGODB_URL: mongo.url,
        MONGODB_DATABASE: `at_start_${randomUUID().replaceAll("-", "").slice(0, 12)}`,
        CLIENTAPPS_PEPPER: randomBytes(32).toString("base64"),
      },
      distributedEntry("api"),
      (line) => {
        if (line.includes(retryLine)) retried();
      },
    );
    cleanups.push(async () => {
      const api = await starting.catch(() => undefined);
      await api?.kill("SIGKILL");
    });

    // The gate stays shut until a start has failed (after the read-model store's 5 s server
    // selection) and the api has said it starts again; an exit instead fails the test here.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      hasRetried,
      starting.then(() => {
        throw new Error("the api listened while its read models could not be reached");
      }),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no "${retryLine}" within 40 s`)), 40_000);
      }),
    ]).finally(() => clearTimeout(timer));

    mongo.open();
    const api: ServiceProcess = await starting;
    expect(api.output()).toContain(retryLine);
    expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
  }, 90_000);
});
