import { randomUUID } from "node:crypto";
import {
  activityAnchorsCollection,
  activityStreamCollection,
  type ActivityEntry as StoredEntry,
  type ChainAnchor,
} from "@clientapps/audit-trail";
import { openEmbeddedEngines } from "@clientapps/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { activityPath, auditedEntryOf, requestIdOf, type ActivityEntry } from "../testing/activityRequests.js";
import { clientPath, givenClient, newCaller } from "../testing/clientApplicationRequests.js";
import { listen, openEventStream, type ListeningApi } from "../testing/eventStreamClient.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
let server: ListeningApi;

beforeAll(async () => {
  // Live streams that would poll once a minute: what reaches them sooner was announced by the write.
  t = await startTestApi({ streamPollIntervalMs: 60_000 });
  server = await listen(t.api.app);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

it("sends a write of this process to the activity tail as it is recorded, without waiting for the tail's poll", async () => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller);
  await auditedEntryOf(t, caller.auth, created);
  const stream = await openEventStream(`${server.baseUrl}${activityPath}`, { Authorization: caller.auth });
  try {
    const renamed = await t
      .http()
      .patch(clientPath(created.body.clientId as string))
      .set("Authorization", caller.auth)
      .send({ displayName: "Renamed" });
    expect(renamed.status).toBe(200);

    // Well within the minute the tail would otherwise sleep.
    const [event] = await stream.take(1, 10_000);
    expect(JSON.parse(event!.data) as ActivityEntry).toMatchObject({ operation: "update", requestId: requestIdOf(renamed) });
  } finally {
    await stream.close();
  }
});

it("sends an entry another process records (the audit service of the distributed mode) to the tail within a look, without waiting for the tail's poll", async () => {
  const caller = await newCaller(t);
  const created = await givenClient(t, caller);
  await auditedEntryOf(t, caller.auth, created);
  const entries = await t.engines.readModels.collection<StoredEntry>(activityStreamCollection);
  const newest = await entries.find({
    where: { workspaceId: caller.workspaceId },
    orderBy: { field: "sequence", direction: "desc" },
    limit: 1,
  });
  const stored = newest.items[0]?.document;
  expect(stored).toBeDefined();
  const stream = await openEventStream(`${server.baseUrl}${activityPath}`, { Authorization: caller.auth });
  // Handles of their own on the same files: their writes announce nothing to this process.
  const other = openEmbeddedEngines({ dataDir: t.dataDir, pollIntervalMs: 60_000 });
  try {
    const next = { ...stored!, eventId: randomUUID(), sequence: stored!.sequence + 1, requestId: "recorded-elsewhere" };
    await (await other.readModels.collection<StoredEntry>(activityStreamCollection)).upsert(next.eventId, 0, next);
    await (
      await other.readModels.collection<ChainAnchor>(activityAnchorsCollection)
    ).upsert(next.workspaceId, next.sequence, {
      sequence: next.sequence,
      hash: next.hash,
    });

    const [event] = await stream.take(1, 10_000);
    expect(JSON.parse(event!.data) as ActivityEntry).toMatchObject({ requestId: "recorded-elsewhere" });
  } finally {
    await stream.close();
    await other.close();
  }
});
