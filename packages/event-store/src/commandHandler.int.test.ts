import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientApplicationDecider, clientApplicationStreamName, streamLimitReached, type EventMetadata } from "@clientapps/domain";
import { clientApplicationBuilders as b } from "@clientapps/domain/testing";
import { openSqliteDatabase } from "@clientapps/sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleCommand } from "./commandHandler.js";
import { createStreamStateCache } from "./streamStateCache.js";
import type { EventStore } from "./eventStore.js";
import { createSqliteEventStore } from "./sqlite/index.js";

const metadata: EventMetadata = {
  occurredAt: b.at,
  actor: { type: "system", id: "test" },
  workspaceId: b.workspaceId,
  requestId: "req-1",
  correlationId: "req-1",
  causationId: null,
  sourceIp: null,
  userAgent: null,
};

/** The client-application decider with a history short enough to fill in a test. */
const decider = { ...clientApplicationDecider, streamLimit: { ...clientApplicationDecider.streamLimit!, maxEvents: 4 } };
const stream = clientApplicationStreamName(b.workspaceId, b.clientId);

let directory: string;
let close: () => Promise<void>;
let store: EventStore;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "command-handler-"));
  const db = openSqliteDatabase(join(directory, "events.sqlite"));
  store = createSqliteEventStore(db, { pollIntervalMs: 60_000 });
  close = async () => {
    await store.close();
    db.close();
  };
});
afterEach(async () => {
  await close();
  await rm(directory, { recursive: true, force: true });
});

const run = (command: Parameters<typeof decider.decide>[0]) =>
  handleCommand(store, decider, stream, command, { metadata, newEventId: randomUUID });

describe("handleCommand on a stream at its limit", () => {
  it("refuses what would make it longer, with a rejection that says so, and appends nothing", async () => {
    await run(b.register());
    for (let index = 0; index < 3; index++) await run(b.update({ description: `change ${index}` }));
    const before = await store.readStream(stream);

    const handled = await run(b.update({ description: "one too many" }));

    expect(before).toHaveLength(4);
    expect(handled).toMatchObject({ kind: "rejected", rejection: { code: streamLimitReached } });
    expect(await store.readStream(stream)).toHaveLength(4);
  });

  it("still takes what closes doors: revoking a key, deactivating (as the api asks, with isActive false), deleting", async () => {
    await run(b.register());
    await run(b.issueKey());
    await run(b.update({ description: "a change" }));
    await run(b.update({ description: "another change" }));

    expect(await run(b.revokeKey())).toMatchObject({ kind: "accepted" });
    expect(await run(b.update({ isActive: false }))).toMatchObject({ kind: "accepted" });
    expect(await run(b.deleteClient())).toMatchObject({ kind: "accepted" });
    expect(await store.readStream(stream)).toHaveLength(7);
  });

  it("refuses a decision of several events that would cross the limit, though the stream is below it", async () => {
    await run(b.register());
    await run(b.update({ description: "a change" }));
    await run(b.update({ description: "another change" }));

    const handled = await run(b.update({ description: "a third", displayName: "Renamed", isActive: false }));

    expect(handled).toMatchObject({ kind: "rejected", rejection: { code: streamLimitReached } });
    expect(await store.readStream(stream)).toHaveLength(3);
  });

  it("gives the client application itself a bound: 5,000 changes", () => {
    expect(clientApplicationDecider.streamLimit?.maxEvents).toBe(5000);
  });
});

describe("handleCommand with a stream state cache", () => {
  it("decides on the state the cache loads, which includes what was written around it", async () => {
    const states = createStreamStateCache(store, clientApplicationDecider);
    const cached = (command: Parameters<typeof clientApplicationDecider.decide>[0]) =>
      handleCommand(store, clientApplicationDecider, stream, command, { metadata, newEventId: randomUUID, load: states.load });
    await cached(b.register());
    await states.load(stream);
    // Written without the cache, as another api instance would.
    await handleCommand(store, clientApplicationDecider, stream, b.update({ description: "elsewhere" }), {
      metadata,
      newEventId: randomUUID,
    });

    const handled = await cached(b.update({ displayName: "Renamed" }));

    expect(handled).toMatchObject({ kind: "accepted", revision: 2 });
    expect(handled.state).toMatchObject({ client: { description: "elsewhere", displayName: "Renamed" } });
    expect(await store.readStream(stream)).toHaveLength(3);
  });
});
