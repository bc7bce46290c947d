import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distributedEntry, startService } from "./serviceProcess.js";

/** The driver each production adapter brings in; the embedded mode must load none of them. */
const drivers = { EVENTSTORE_URL: "@kurrent/kurrentdb-client", MONGODB_URL: "mongodb", KAFKA_BROKERS: "kafkajs" } as const;

// A module resolve hook, loaded with --import, that records every specifier the process resolves.
const hooks = `import { appendFileSync } from "node:fs";
let log;
export async function initialize(data) { log = data.log; }
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(log, specifier + "\\n");
  return resolved;
}
`;
const register = `import { register } from "node:module";
register("./hooks.mjs", import.meta.url, { data: { log: process.env.RESOLVE_LOG } });
`;

let dir: string;
let hookOptions: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clientapps-lazy-"));
  writeFileSync(join(dir, "hooks.mjs"), hooks);
  writeFileSync(join(dir, "register.mjs"), register);
  hookOptions = `--import=${pathToFileURL(join(dir, "register.mjs")).href}`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const resolved = (log: string): readonly string[] => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []);

const waitFor = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 25))) {
    if (condition()) return true;
  }
  return condition();
};

describe("production adapters are loaded only when their setting is present", () => {
  it("the embedded composition (pnpm start) runs without loading the KurrentDB client, the MongoDB driver, kafkajs or jose", async () => {
    const log = join(dir, "embedded.log");
    const service = await startService(join(dir, "embedded-data"), { NODE_OPTIONS: hookOptions, RESOLVE_LOG: log });
    try {
      const specifiers = resolved(log);
      // The hook saw the composition, so an empty list cannot pass for "nothing loaded".
      expect(specifiers).toContain("@clientapps/runtime");
      expect(specifiers).toContain("better-sqlite3");
      for (const driver of Object.values(drivers)) expect(specifiers).not.toContain(driver);
      // Nor, with no identity provider configured, the JWT verification.
      expect(specifiers).not.toContain("jose");
      // Tracing is off without OTEL_EXPORTER_OTLP_ENDPOINT, and then costs nothing: OpenTelemetry is not even loaded.
      expect(specifiers.filter((specifier) => specifier.startsWith("@opentelemetry/"))).toEqual([]);
      expect((await fetch(`${service.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await service.kill("SIGTERM");
    }
  });

  it("with an identity provider configured, the api loads the JWT verification (jose) at start", async () => {
    const log = join(dir, "oidc.log");
    const service = await startService(join(dir, "oidc-data"), {
      NODE_OPTIONS: hookOptions,
      RESOLVE_LOG: log,
      // Nothing listens there: the keys are fetched on the first token, not at start.
      CLIENTAPPS_OIDC_ISSUER: "http://127.0.0.1:1",
      CLIENTAPPS_OIDC_AUDIENCE: "https://clientapps.test",
    });
    try {
      expect(resolved(log)).toContain("jose");
      expect((await fetch(`${service.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await service.kill("SIGTERM");
    }
  });

  it.each(Object.entries(drivers))("with %s set, its adapter's driver is imported, and only that one", async (setting, driver) => {
    const log = join(dir, `${setting}.log`);
    // Nothing listens on port 1: the process is watched only up to the import, before it connects.
    const values: Record<string, string> = {
      EVENTSTORE_URL: "kurrentdb://127.0.0.1:1?tls=false",
      MONGODB_URL: "mongodb://127.0.0.1:1/",
      KAFKA_BROKERS: "127.0.0.1:1",
    };
    const child = spawn(process.execPath, [distributedEntry("relay")], {
      env: {
        PATH: process.env.PATH ?? "",
        DATA_DIR: join(dir, `${setting}-data`),
        OPS_PORT: "0",
        LOG_LEVEL: "silent",
        NODE_OPTIONS: hookOptions,
        RESOLVE_LOG: log,
        [setting]: values[setting]!,
      },
      stdio: "ignore",
    });
    try {
      expect(await waitFor(() => resolved(log).includes(driver), 15_000)).toBe(true);
      for (const other of Object.values(drivers).filter((name) => name !== driver)) expect(resolved(log)).not.toContain(other);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        child.kill("SIGKILL");
        await exited;
      }
    }
  });
});
