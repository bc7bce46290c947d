import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openEmbeddedEngines, type Engines } from "./engines.js";
import { readiness } from "./readiness.js";

let dir: string;
let engines: Engines;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clientapps-readiness-"));
  engines = openEmbeddedEngines({ dataDir: dir, pollIntervalMs: 50 });
});
afterEach(async () => {
  await engines.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

it("is ready with every engine up, listing each checkpoint against the head of the log", async () => {
  const ready = await readiness({ ...engines, checkpoints: ["relay"], required: ["eventStore", "readModels", "bus"] });

  expect(ready.status).toBe(200);
  expect(ready.headers).toEqual({});
  expect(ready.body).toMatchObject({
    status: "ready",
    bus: { status: "up" },
    headPosition: null,
    projections: { relay: { checkpoint: null, caughtUp: true } },
  });
});

it("answers 503 with Retry-After when a required engine is down, and stays ready when only an optional one is", async () => {
  await engines.bus.close();

  const everything = await readiness({ ...engines, checkpoints: [], required: ["eventStore", "readModels", "bus"] });
  const withoutBus = await readiness({ ...engines, checkpoints: [], required: ["eventStore", "readModels"] });

  expect(everything.status).toBe(503);
  expect(everything.headers).toEqual({ "Retry-After": "5" });
  expect(everything.body).toMatchObject({ status: "unavailable", bus: { status: "down" }, eventStore: { status: "up" } });
  expect(withoutBus.status).toBe(200);
  expect(withoutBus.body).toMatchObject({ status: "ready", bus: { status: "down" } });
});
