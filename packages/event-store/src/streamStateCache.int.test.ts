import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientApplicationDecider, clientApplicationStreamName, type EventMetadata } from "@clientapps/domain";
import { clientApplicationBuilders as b } from "@clientapps/domain/testing";
import { openSqliteDatabase } from "@clientapps/sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aggregateStream, handleCommand } from "./commandHandler.js";
import type { EventStore, ReadStreamOptions } from "./eventStore.js";
import { createSqliteEventStore } from "./sqlite/index.js";
import { createStreamStateCache } from "./streamStateCache.js";

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
const stream = clientApplicationStreamName(b.workspaceId, b.clientId);

let directory: string;
const closers: (() => Promise<void>)[] = [];

/** A store on its own connection to the file, recording what each readStream asked for. */
const connect = () => {
  const db = openSqliteDatabase(join(directory, "events.sqlite"));
  const store = createSqliteEventStore(db, { pollIntervalMs: 60_000 });
  closers.push(async () => {
    await store.close();
    db.close();
  });
  const reads: ReadStreamOptions[] = [];
  const recording: EventStore = {
    ...store,
    readStream: (name, options = {}) => {
      reads.push(options);
      return store.readStream(name, options);
    },
  };
  const run = (command: Parameters<typeof clientApplicationDecider.decide>[0], streamName = stream) =>
    handleCommand(store, clientApplicationDecider, streamName, command, { metadata, newEventId: randomUUID });
  return { store, recording, reads, run };
};

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "stream-state-cache-"));
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await rm(directory, { recursive: true, force: true });
});

describe("a stream state cache", () => {
  it("gives the state and revision a full fold gives, reading only the events appended since its last load", async () => {
    const { store, recording, reads, run } = connect();
    const cache = createStreamStateCache(recording, clientApplicationDecider);
    await run(b.register());
    for (let index = 0; index < 30; index++) await run(b.update({ description: `change ${index}` }));

    expect(await cache.load(stream)).toEqual(await aggregateStream(store, stream, clientApplicationDecider));
    expect(await cache.load(stream)).toMatchObject({ revision: 30 });
    await run(b.update({ description: "one more" }));
    expect(await cache.load(stream)).toEqual(await aggregateStream(store, stream, clientApplicationDecider));

    // The second load found nothing appended anywhere since the first, and read nothing.
    expect(reads).toEqual([{ fromRevision: 0 }, { fromRevision: 31 }]);
  });

  it("reads nothing while no append commits anywhere, and reads again after any append, to any stream", async () => {
    const { recording, reads, run } = connect();
    const cache = createStreamStateCache(recording, clientApplicationDecider);
    await run(b.register());

    for (let load = 0; load < 5; load++) await cache.load(stream);
    await run(b.register(), clientApplicationStreamName(b.workspaceId, "another"));
    await cache.load(stream);
    await cache.load(stream);

    expect(reads).toEqual([{ fromRevision: 0 }, { fromRevision: 1 }]);
  });

  it("reads again after an append by another connection, though its own store appended nothing", async () => {
    const reader = connect();
    const writer = connect();
    const cache = createStreamStateCache(reader.recording, clientApplicationDecider);
    await writer.run(b.register());
    await cache.load(stream);
    await cache.load(stream);

    await writer.run(b.deactivate());

    expect(await cache.load(stream)).toMatchObject({ state: { status: "registered", client: { isActive: false } }, revision: 1 });
    expect(reader.reads).toEqual([{ fromRevision: 0 }, { fromRevision: 1 }]);
  });

  it("reads on every load from a store without a change token", async () => {
    const { recording, reads, run } = connect();
    const { changeToken: _none, ...tokenless } = recording;
    const cache = createStreamStateCache(tokenless, clientApplicationDecider);
    await run(b.register());

    await cache.load(stream);
    await cache.load(stream);

    expect(reads).toEqual([{ fromRevision: 0 }, { fromRevision: 1 }]);
  });

  it("sees a revocation written by another connection from the very next load", async () => {
    const reader = connect();
    const writer = connect();
    const cache = createStreamStateCache(reader.recording, clientApplicationDecider);
    await writer.run(b.register());
    await writer.run(b.issueKey());
    const before = await cache.load(stream);

    await writer.run(b.revokeKey());
    const after = await cache.load(stream);

    expect(before.state).toMatchObject({ client: { apiKeys: [{ revokedOn: null }] } });
    expect(after.state).toMatchObject({ client: { apiKeys: [{ revokedOn: expect.any(String) }] } });
    expect(after.revision).toBe(2);
  });

  it("knows a stream that does not exist yet as the initial state, and finds it once it does", async () => {
    const { recording, run } = connect();
    const cache = createStreamStateCache(recording, clientApplicationDecider, { maxStreams: 1 });

    expect(await cache.load(stream)).toEqual({ state: clientApplicationDecider.initialState(), revision: undefined });
    await run(b.register());
    expect(await cache.load(stream)).toMatchObject({ state: { status: "registered" }, revision: 0 });
  });

  it("forgets the least recently loaded stream beyond its bound, and folds it whole again", async () => {
    const { recording, reads, run } = connect();
    const cache = createStreamStateCache(recording, clientApplicationDecider, { maxStreams: 1 });
    const another = clientApplicationStreamName(b.workspaceId, "another");
    await run(b.register());
    await run(b.register(), another);

    await cache.load(stream);
    await cache.load(another);
    await cache.load(stream);

    expect(reads).toEqual([{ fromRevision: 0 }, { fromRevision: 0 }, { fromRevision: 0 }]);
  });
});
