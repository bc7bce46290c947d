import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEmbeddedEngines, type Engines } from "@clientapps/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { openRateLimits } from "./readModelRateLimiter.js";

const opened: Engines[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  for (const engines of opened.splice(0)) await engines.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Two processes' worth of stores on one data directory, as two api instances have them. */
const twoInstances = async (clock: () => Date) => {
  dataDir = mkdtempSync(join(tmpdir(), "clientapps-ratelimit-"));
  const stores = [openEmbeddedEngines({ dataDir, pollIntervalMs: 25 }), openEmbeddedEngines({ dataDir, pollIntervalMs: 25 })];
  opened.push(...stores);
  return Promise.all(stores.map((engines) => openRateLimits(engines.readModels, clock)));
};

describe("rate limits in the read-model store", () => {
  it("counts every point when two instances consume one key at once (the revision guards the read-modify-write)", async () => {
    const [first, second] = await twoInstances(() => new Date("2026-03-01T00:00:00.000Z"));
    const limits = [first, second].map((limits) => limits!.limit({ name: "test", points: 30, durationSeconds: 60 }));

    const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => limits[index % 2]!.consume("k")));

    expect(answers.filter((answer) => answer === undefined)).toHaveLength(30);
    expect(answers.filter((answer) => answer !== undefined)).toHaveLength(10);
  });

  it("starts a new window once the old one has passed, by the injected clock", async () => {
    let now = Date.parse("2026-03-01T00:00:00.000Z");
    const [limits] = await twoInstances(() => new Date(now));
    const limit = limits!.limit({ name: "test", points: 1, durationSeconds: 60 });

    expect(await limit.consume("k")).toBeUndefined();
    expect(await limit.consume("k")).toBe(60);
    now += 59_500;
    expect(await limit.consume("k")).toBe(1);
    now += 1_000;
    expect(await limit.consume("k")).toBeUndefined();
  });
});
