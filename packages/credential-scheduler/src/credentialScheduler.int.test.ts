import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientApplicationStreamName, type ClientApplicationEvent } from "@clientapps/domain";
import { credentialScheduleProjection } from "@clientapps/client-read-models";
import { startProjection, type ProjectionRunner } from "@clientapps/projections";
import { createLogger, openEmbeddedEngines, type Engines } from "@clientapps/runtime";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { startCredentialScheduler } from "./credentialScheduler.js";

const workspaceId = "ws";
const clientId = "scheduled";
const stream = clientApplicationStreamName(workspaceId, clientId);
const registeredOn = "2026-01-01T00:00:00.000Z";
const graceEnd = "2026-01-01T01:00:00.000Z";
const logger = createLogger({ level: "silent" });

let dir: string;
let engines: Engines;
let runner: ProjectionRunner;

const secret = (secretId: string, createdOn: string) => ({
  secretId,
  hash: `hash-${secretId}`,
  fingerprint: `…${secretId}`,
  createdOn,
  expiresOn: null,
});

const history: ClientApplicationEvent[] = [
  {
    type: "ClientRegistered",
    data: {
      workspaceId,
      clientId,
      displayName: "Scheduled",
      description: "",
      redirectUris: [],
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
      skipAuthorization: false,
      isActive: true,
      secret: secret("sec_old", registeredOn),
      registeredOn,
    },
  },
  {
    type: "SecretRotated",
    data: {
      workspaceId,
      clientId,
      secret: secret("sec_new", registeredOn),
      gracePeriodSeconds: 3600,
      supersededSecrets: [{ secretId: "sec_old", fingerprint: "…sec_old", expiresOn: graceEnd }],
      rotatedOn: registeredOn,
    },
  },
];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "clientapps-scheduler-"));
  engines = openEmbeddedEngines({ dataDir: dir, pollIntervalMs: 10 });
  await engines.eventStore.appendToStream(
    stream,
    history.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data, metadata: {} })),
    { expectedRevision: "no_stream" },
  );
  runner = await startProjection({ ...engines, logger }, credentialScheduleProjection);
  await vi.waitFor(async () => expect(await engines.readModels.checkpoints.get(credentialScheduleProjection.name)).toBeDefined());
});
afterEach(async () => {
  await runner.stop();
  await engines.close();
  rmSync(dir, { recursive: true, force: true });
});

const retirements = async () => (await engines.eventStore.readStream(stream)).filter((event) => event.type === "SecretRetired");

it("does nothing before the grace period ends, and retires the secret once it has", async () => {
  const scheduler = await startCredentialScheduler(
    { ...engines, logger, clock: () => new Date("2026-01-01T00:59:59.999Z") },
    { intervalMs: 60_000, autoStart: false },
  );
  expect(await scheduler.tick()).toBe(0);
  const due = await startCredentialScheduler(
    { ...engines, logger, clock: () => new Date(graceEnd) },
    { intervalMs: 60_000, autoStart: false },
  );
  expect(await due.tick()).toBe(1);
  expect((await retirements()).map((event) => event.data)).toEqual([
    { workspaceId, clientId, secretId: "sec_old", fingerprint: "…sec_old", validUntil: graceEnd, retiredOn: graceEnd },
  ]);
  expect((await retirements())[0]?.metadata).toMatchObject({ actor: { type: "system", id: "credential-scheduler" } });
  await Promise.all([scheduler.stop(), due.stop()]);
});

it("retires once when several schedulers race for the same task", async () => {
  const clock = () => new Date("2026-01-01T02:00:00.000Z");
  const schedulers = await Promise.all(
    Array.from({ length: 4 }, () => startCredentialScheduler({ ...engines, logger, clock }, { intervalMs: 60_000, autoStart: false })),
  );
  const appended = await Promise.all(schedulers.map((scheduler) => scheduler.tick()));
  expect(appended.reduce((sum, count) => sum + count, 0)).toBe(1);
  // Ticks after the schedule has caught up find nothing left to do.
  await vi.waitFor(async () => expect(await schedulers[0]!.tick()).toBe(0));
  expect(await retirements()).toHaveLength(1);
  await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
});

it("runs on its own when started, and stops leaving nothing running", async () => {
  const scheduler = await startCredentialScheduler({ ...engines, logger, clock: () => new Date(graceEnd) }, { intervalMs: 10 });
  await vi.waitFor(async () => expect(await retirements()).toHaveLength(1));
  await scheduler.stop();
});
