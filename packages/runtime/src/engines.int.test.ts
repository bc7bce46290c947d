import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteDatabase } from "@clientapps/sqlite";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openEmbeddedEngines } from "./engines.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clientapps-engines-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const publishAndReopen = async () => {
  const engines = openEmbeddedEngines({ dataDir: dir, pollIntervalMs: 50 });
  await engines.bus.publish("events", [{ key: "k", value: { n: 1 } }]);
  await engines.close();
  const reopened = openEmbeddedEngines({ dataDir: dir, pollIntervalMs: 50 });
  const delivered = await new Promise<unknown>((resolve, reject) => {
    reopened.bus.consume({ groupId: "g", topics: ["events"] }, async (message) => resolve(message.value)).catch(reject);
  });
  await reopened.close();
  return delivered;
};

it("keeps the embedded bus's log in the read models' file, beside the checkpoints of what publishes to it", async () => {
  expect(await publishAndReopen()).toEqual({ n: 1 });

  expect(existsSync(join(dir, "read-models.sqlite"))).toBe(true);
  expect(existsSync(join(dir, "bus.sqlite"))).toBe(false);
});

it("keeps using the bus.sqlite of a data directory that has one, whose messages may not all be consumed yet", async () => {
  openSqliteDatabase(join(dir, "bus.sqlite")).close();

  expect(await publishAndReopen()).toEqual({ n: 1 });

  const busFile = openSqliteDatabase(join(dir, "bus.sqlite"));
  expect(busFile.prepare("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 1 });
  busFile.close();
});
