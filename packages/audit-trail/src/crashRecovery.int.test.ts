import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  clientApplicationDecider,
  clientApplicationStreamName,
  isClientApplicationEventType,
  type ClientApplicationCommand,
  type ClientApplicationEvent,
} from "@clientapps/domain";
import { decodeEvent, handleCommand, type RecordedEvent } from "@clientapps/event-store";
import type { Consumer, MessageBus } from "@clientapps/message-bus";
import { startProjection, type ProjectionRunner } from "@clientapps/projections";
import type { CollectionDefinition, Document, ReadModelCollection, ReadModelStore } from "@clientapps/read-models";
import { EventMessage, relayProjection, toEventMessage } from "@clientapps/event-messages";
import { createLogger, openEmbeddedEngines, type Engines } from "@clientapps/runtime";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { activityAnchorsCollection, activityStreamCollection, type ActivityEntry, type ChainAnchor } from "./activity/activityEntry.js";
import { verifyActivityChain } from "./activity/verifyChain.js";
import { startAudit } from "./auditConsumer.js";
import { revocationFeedCollection, revocationsOf, type RevocationEntry } from "./tokens/revocationEntry.js";

/** A crash injected on purpose; anything else failing is a real error. */
class Crash extends Error {}

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
const random = seeded(seed);
const logger = createLogger({ level: "silent" });
let chaos = true;
let crashes = 0;
const maybeCrash = (rate: number) => {
  if (chaos && random() < rate) {
    crashes += 1;
    throw new Crash();
  }
};

/** The bus, failing now and then before or after a publish really happened. */
const crashingBus = (bus: MessageBus): MessageBus => ({
  consume: (options, handler) => bus.consume(options, handler),
  ping: () => bus.ping(),
  close: () => bus.close(),
  publish: async (topic, messages) => {
    maybeCrash(0.1);
    await bus.publish(topic, messages);
    maybeCrash(0.1);
  },
});

/** Read models whose writes fail now and then, before or after the write took effect. */
const crashingReadModels = (store: ReadModelStore): ReadModelStore => ({
  checkpoints: store.checkpoints,
  ping: () => store.ping(),
  close: () => store.close(),
  collection: async <T extends Document>(definition: CollectionDefinition): Promise<ReadModelCollection<T>> => {
    const collection = await store.collection<T>(definition);
    return {
      get: (id) => collection.get(id),
      find: (query) => collection.find(query),
      remove: (id) => collection.remove(id),
      clear: () => collection.clear(),
      upsert: async (id, revision, document) => {
        maybeCrash(0.05);
        const written = await collection.upsert(id, revision, document);
        maybeCrash(0.05);
        return written;
      },
    };
  },
});

let dir: string;
let engines: Engines;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clientapps-audit-crash-"));
  engines = openEmbeddedEngines({ dataDir: dir, pollIntervalMs: 5 });
  chaos = true;
});
afterEach(async () => {
  await engines.close();
  rmSync(dir, { recursive: true, force: true });
});

const command = (workspaceId: string, clientId: string, step: number, now: Date): ClientApplicationCommand => {
  const target = { workspaceId, clientId };
  const metadata = { now };
  switch (step) {
    case 0:
      return {
        type: "RegisterClient",
        data: {
          ...target,
          displayName: clientId,
          isConfidential: true,
          secret: { secretId: `s0-${clientId}`, hash: "h0", fingerprint: "…0000", createdOn: now.toISOString(), expiresOn: null },
        },
        metadata,
      };
    case 1:
      return {
        type: "RotateSecret",
        data: { ...target, secretId: `s1-${clientId}`, secret: { hash: "h1", fingerprint: "…1111" }, gracePeriodSeconds: 60 },
        metadata,
      };
    case 2:
      return {
        type: "IssueApiKey",
        data: {
          ...target,
          keyId: `k-${clientId}`,
          name: "ci",
          scopes: ["clientapps:read"],
          expiresOn: null,
          key: { hash: "hk", fingerprint: "…kkkk" },
        },
        metadata,
      };
    case 3:
      return { type: "RevokeApiKey", data: { ...target, keyId: `k-${clientId}` }, metadata };
    case 4:
      return {
        type: "UpdateClient",
        data: { ...target, changes: { description: `step ${step}`, isActive: false }, immutable: {} },
        metadata,
      };
    default:
      return { type: "DeleteClient", data: target, metadata };
  }
};

/** The domain event of a recorded one, through the one decoding path. */
const decoded = (recorded: RecordedEvent): ClientApplicationEvent => {
  const event = decodeEvent<ClientApplicationEvent>(recorded, isClientApplicationEventType);
  if (!event) throw new Error(`the test wrote an event of unknown type ${recorded.type}`);
  return event;
};

it("finds every event exactly once in the activity stream and the feed, however relay and audit crash", async () => {
  const workspaces = ["ws-a", "ws-b"];
  const clients = Array.from({ length: 6 }, (_, i) => ({ workspaceId: workspaces[i % 2]!, clientId: `app-${i}` }));
  const readModels = crashingReadModels(engines.readModels);
  const bus = crashingBus(engines.bus);
  let relay: ProjectionRunner | undefined;
  let audit: Consumer | undefined;
  let restarts = 0;
  const restartRelay = async () => {
    restarts += 1;
    await relay?.stop();
    relay = await startProjection({ eventStore: engines.eventStore, readModels: engines.readModels, logger }, relayProjection(bus));
  };
  const restartAudit = async () => {
    restarts += 1;
    await audit?.stop();
    audit = await startAudit({ bus, readModels, logger, clock: () => new Date() });
  };
  await restartRelay();
  await restartAudit();

  // A stream of writes, with relay and audit killed and restarted at random points of it.
  for (let step = 0; step < 6; step++) {
    for (const client of clients) {
      await handleCommand(
        engines.eventStore,
        clientApplicationDecider,
        clientApplicationStreamName(client.workspaceId, client.clientId),
        command(client.workspaceId, client.clientId, step, new Date()),
        {
          metadata: {
            occurredAt: new Date().toISOString(),
            actor: { type: "system", id: "writer" },
            workspaceId: client.workspaceId,
            requestId: randomUUID(),
            correlationId: randomUUID(),
            causationId: null,
            sourceIp: null,
            userAgent: null,
          },
          newEventId: randomUUID,
        },
      );
      if (random() < 0.25) await restartRelay();
      if (random() < 0.25) await restartAudit();
    }
  }

  const events: RecordedEvent[] = [...(await engines.eventStore.readAll({ maxCount: 10_000 }))];
  const activity = await engines.readModels.collection<ActivityEntry>(activityStreamCollection);
  const anchors = await engines.readModels.collection<ChainAnchor>(activityAnchorsCollection);
  const feed = await engines.readModels.collection<RevocationEntry>(revocationFeedCollection);
  const all = async <T extends ActivityEntry | RevocationEntry>(collection: ReadModelCollection<T>, workspaceId: string): Promise<T[]> => {
    const numbered = collection as unknown as ReadModelCollection<Readonly<{ workspaceId: string; sequence: number }>>;
    const page = await numbered.find({ where: { workspaceId }, orderBy: { field: "sequence", direction: "asc" }, limit: 500 });
    return page.items.map((item) => item.document as unknown as T);
  };

  // The run was chaotic for real: crashes were injected and both were killed mid-stream.
  expect(crashes, `seed ${seed}`).toBeGreaterThan(0);
  expect(restarts, `seed ${seed}`).toBeGreaterThan(2);
  // Calm returns; whatever was left undone must now be done, once.
  chaos = false;
  await vi.waitFor(
    async () => {
      const entries = (await Promise.all(workspaces.map((ws) => all<ActivityEntry>(activity, ws)))).flat();
      expect(entries.length).toBe(events.length);
    },
    { timeout: 15_000, interval: 50 },
  );
  const expectedRevocations = events.flatMap((event) =>
    revocationsOf(EventMessage.parse(toEventMessage(decoded(event), event).value)).map((_, index) => `${event.eventId}:${index}`),
  );
  await vi.waitFor(
    async () => {
      const entries = (await Promise.all(workspaces.map((ws) => all<RevocationEntry>(feed, ws)))).flat();
      expect(entries.length).toBe(expectedRevocations.length);
    },
    { timeout: 15_000, interval: 50 },
  );
  await relay?.stop();
  await audit?.stop();

  for (const workspaceId of workspaces) {
    const entries = await all<ActivityEntry>(activity, workspaceId);
    expect(
      entries.map((entry) => entry.sequence),
      `seed ${seed}`,
    ).toEqual(entries.map((_, index) => index + 1));
    expect(await verifyActivityChain(activity, anchors, workspaceId), `seed ${seed}`).toMatchObject({ valid: true });
    const revocations = await all<RevocationEntry>(feed, workspaceId);
    expect(revocations.map((entry) => entry.sequence)).toEqual(revocations.map((_, index) => index + 1));
  }
  const activityIds = (await Promise.all(workspaces.map((ws) => all<ActivityEntry>(activity, ws)))).flat().map((entry) => entry.eventId);
  expect([...activityIds].sort(), `seed ${seed}: every event exactly once`).toEqual(events.map((event) => event.eventId).sort());
  const feedIds = new Set(
    (await Promise.all(workspaces.map((ws) => all<RevocationEntry>(feed, ws)))).flat().map((entry) => `${entry.eventId}`),
  );
  expect(feedIds.size).toBe(new Set(expectedRevocations.map((id) => id.split(":")[0])).size);
}, 60_000);
