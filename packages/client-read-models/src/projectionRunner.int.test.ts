import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { clientApplicationStreamName, isClientApplicationEventType, type ClientApplicationEvent } from "@clientapps/domain";
import type { JsonObject, Position, RecordedEvent } from "@clientapps/event-store";
import { createLogger, openEmbeddedEngines, type Engines } from "@clientapps/runtime";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  clientApplicationViewId,
  clientApplicationsCollection,
  type ClientApplicationView,
} from "./clientApplications/clientApplicationView.js";
import { clientApplicationsProjection } from "./clientApplications/clientApplicationsProjection.js";
import {
  activated,
  changedOn,
  deactivated,
  deleted,
  ofUnknownType,
  registered,
  registeredPublic,
  registeredView,
  target,
  updated,
} from "./testing/clientApplicationEvents.js";
import { resetProjection, startProjection, type Projection, type ProjectionRunner } from "@clientapps/projections";
import { readCollection } from "@clientapps/projections/testing";
import type { EventToRecord } from "@clientapps/event-store/testing";

const other = { workspaceId: "ws-2", clientId: target.clientId };
const id = clientApplicationViewId(target.workspaceId, target.clientId);
const otherId = clientApplicationViewId(other.workspaceId, other.clientId);
const renamed = (to: string) => updated({ displayName: to }, { displayName: "Awork integration" });
/** Long enough for any test here; a condition not met by then is a failure, not a reason to wait longer. */
const waitLimit = { timeout: 5_000, interval: 10 };

let dataDir: string;
let engines: Engines;
let logs: string[];
const runners: ProjectionRunner[] = [];
const logger = () =>
  createLogger(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString("utf8"));
        done();
      },
    }),
  );

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "projector-runner-"));
  engines = openEmbeddedEngines({ dataDir, pollIntervalMs: 10 });
  logs = [];
});

afterEach(async () => {
  unknownAt.clear();
  try {
    for (const runner of runners.splice(0)) await runner.stop();
    await engines.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

const start = async (projection: Projection<ClientApplicationEvent> = clientApplicationsProjection): Promise<ProjectionRunner> => {
  const runner = await startProjection({ ...engines, logger: logger() }, projection);
  runners.push(runner);
  return runner;
};

/** Where events of types this build does not know were appended: the runner hands them to no projection. */
const unknownAt = new Set<Position>();

/** Appends each event to its client's stream, as the api would; returns their positions. */
const append = async (...events: readonly EventToRecord[]): Promise<Position[]> => {
  const positions: Position[] = [];
  for (const event of events) {
    const streamName = clientApplicationStreamName(event.data.workspaceId, event.data.clientId);
    const newEvent = { eventId: randomUUID(), type: event.type, data: event.data as unknown as JsonObject, metadata: {} };
    const { position } = await engines.eventStore.appendToStream(streamName, [newEvent], { expectedRevision: "any" });
    if (!isClientApplicationEventType(event.type)) unknownAt.add(position);
    positions.push(position);
  }
  return positions;
};

/** The positions a projection is handed: those of events of known types. */
const known = (positions: readonly Position[]): Position[] => positions.filter((position) => !unknownAt.has(position));

const checkpoint = () => engines.readModels.checkpoints.get(clientApplicationsProjection.name);
const readModel = () => readCollection<ClientApplicationView>(engines.readModels, clientApplicationsCollection);

/** Waits, bounded, until the projection has checkpointed the last event in the store. */
const caughtUp = async (): Promise<void> => {
  const head = await engines.eventStore.headPosition();
  await vi.waitFor(async () => expect(await checkpoint()).toBe(head), waitLimit);
};

type Fault = Readonly<{ at: (event: RecordedEvent, attempt: number) => boolean; when: "before" | "after" }>;

/** The real projection, recording the positions it applied and failing where `fault` says. */
const observed = (fault?: Fault) => {
  const applied: Position[] = [];
  const attempts = new Map<Position, number>();
  const projection: Projection<ClientApplicationEvent> = {
    ...clientApplicationsProjection,
    open: async (store) => {
      const handler = await clientApplicationsProjection.open(store);
      return {
        clear: handler.clear,
        apply: async (event, recorded) => {
          const attempt = (attempts.get(recorded.position) ?? 0) + 1;
          attempts.set(recorded.position, attempt);
          const fails = fault?.at(recorded, attempt) ?? false;
          if (fails && fault?.when === "before") throw new Error(`failed before applying event ${recorded.position}`);
          await handler.apply(event, recorded);
          applied.push(recorded.position);
          if (fails) throw new Error(`failed after applying event ${recorded.position}`);
        },
      };
    },
  };
  return { projection, applied };
};

/** The failures the runner logged, each with the delay it chose before retrying. */
const failures = () =>
  logs.map((line) => JSON.parse(line) as { msg: string; retryInMs?: number }).filter((log) => log.msg.startsWith("projection failed"));

/** Two clients in two workspaces, with every event type and one of a type this build does not know. */
const history: readonly EventToRecord[] = [
  registered(),
  registeredPublic(other),
  renamed("Renamed"),
  ofUnknownType(),
  deactivated(changedOn, other),
  activated(changedOn, other),
  deleted(),
];

/** The read model {@link history} leaves: a tombstone, and a client deactivated and activated again. */
const historyView = {
  [id]: {
    revision: 3,
    document: {
      ...registeredView,
      displayName: "Renamed",
      secrets: [],
      deleted: true,
      deletedOn: changedOn,
      updatedOn: changedOn,
    },
  },
  [otherId]: {
    revision: 2,
    document: { ...registeredView, ...other, isConfidential: false, secrets: [], isActive: true, updatedOn: changedOn },
  },
};

describe("the projection runner, on the SQLite event store and read models", () => {
  it("builds the read model from events appended before and after it starts, and checkpoints the last one", async () => {
    const before = await append(...history.slice(0, 3));
    const observer = observed();
    const runner = await start(observer.projection);
    const after = await append(...history.slice(3));

    await caughtUp();
    expect(await readModel()).toStrictEqual(historyView);
    expect(observer.applied).toEqual(known([...before, ...after]));
    expect(await checkpoint()).toBe(after.at(-1));
    expect(runner.position()).toBe(after.at(-1));
  });

  it("resumes from its checkpoint after a restart: applies what was appended while stopped, nothing before", async () => {
    const first = await start();
    await append(...history.slice(0, 4));
    await caughtUp();
    await first.stop();

    const whileStopped = await append(...history.slice(4));
    const second = observed();
    await start(second.projection);
    await caughtUp();

    expect(second.applied).toEqual(known(whileStopped));
    expect(await readModel()).toStrictEqual(historyView);
  });

  it("rebuilt from zero after resetProjection, gives the read model it built event by event", async () => {
    const positions = await append(...history.slice(0, 2));
    const runner = await start();
    positions.push(...(await append(...history.slice(2))));
    await caughtUp();
    const incremental = await readModel();
    await runner.stop();

    await resetProjection(engines.readModels, clientApplicationsProjection);
    expect(await checkpoint()).toBeUndefined();
    expect(await readModel()).toStrictEqual({});

    const rebuild = observed();
    await start(rebuild.projection);
    await caughtUp();
    expect(rebuild.applied).toEqual(known(positions));
    expect(await readModel()).toStrictEqual(incremental);
  });

  it("replaying from an earlier checkpoint changes nothing", async () => {
    const positions = await append(...history);
    const runner = await start();
    await caughtUp();
    await runner.stop();
    const before = await readModel();

    // A checkpoint only moves forward, so an older one is put back by resetting it first.
    await engines.readModels.checkpoints.reset(clientApplicationsProjection.name);
    await engines.readModels.checkpoints.save(clientApplicationsProjection.name, positions[1] as string);
    const replay = observed();
    await start(replay.projection);
    await caughtUp();

    expect(replay.applied).toEqual(known(positions.slice(2)));
    expect(await readModel()).toStrictEqual(before);
  });

  it.each(["before", "after"] as const)(
    "retries a handler that throws once (%s applying an event) from its checkpoint, and goes on in order",
    async (when) => {
      const positions = await append(...history.slice(0, 3));
      const faulty = observed({ when, at: (event, attempt) => event.position === positions[1] && attempt === 1 });
      await start(faulty.projection);
      positions.push(...(await append(...history.slice(3, 5))));
      await caughtUp();
      positions.push(...(await append(...history.slice(5))));
      await caughtUp();

      // Applied again only when it was applied before the failure: harmless, its document already has that revision.
      const expected = when === "after" ? [...positions.slice(0, 2), ...positions.slice(1)] : positions;
      expect(faulty.applied).toEqual(known(expected));
      expect(await readModel()).toStrictEqual(historyView);
      expect(failures()).toHaveLength(1);
    },
  );

  it("starts its backoff over once it has made progress after a failure", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1);
    const positions = await append(...history);
    const failingAt = new Set([positions[1], positions[4]]);
    const faulty = observed({ when: "before", at: (event, attempt) => failingAt.has(event.position) && attempt === 1 });
    await start(faulty.projection);
    await caughtUp();

    expect(faulty.applied).toEqual(known(positions));
    expect(failures().map((log) => log.retryInMs)).toEqual([100, 100]);
  });

  it("skips an event of a type it does not know, counts it, says so once in the log, and checkpoints past it", async () => {
    const counted: string[] = [];
    const runner = await startProjection(
      { ...engines, logger: logger(), onUnknownEvent: (projection, eventType) => counted.push(`${projection}:${eventType}`) },
      clientApplicationsProjection,
    );
    runners.push(runner);
    const positions = await append(registered(), ofUnknownType(), ofUnknownType(), renamed("Renamed"));
    await caughtUp();

    expect(counted).toEqual(["clientApplications:ClientRenamedInAFutureVersion", "clientApplications:ClientRenamedInAFutureVersion"]);
    expect(logs.filter((line) => line.includes("does not know"))).toHaveLength(1);
    expect(await checkpoint()).toBe(positions.at(-1));
    expect((await readModel())[id]?.document.displayName).toBe("Renamed");
  });

  it("stops during a retry's backoff", async () => {
    await append(...history.slice(0, 2));
    const broken = observed({ when: "before", at: () => true });
    const runner = await start(broken.projection);
    await vi.waitFor(() => expect(failures().length).toBeGreaterThanOrEqual(2), waitLimit);

    await runner.stop();
    expect(await checkpoint()).toBeUndefined();
    expect(logs.at(-1)).toContain("projection stopped");
  });

  it("leaves no timer or subscription running once stopped", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
    const before = timers();
    const runner = await start();
    await append(...history);
    await caughtUp();

    await runner.stop();
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
