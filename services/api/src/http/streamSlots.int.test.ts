import { activityStreamCollection, type ActivityEntry } from "@clientapps/audit-trail";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { activityPath, auditedEntryOf, listActivity, tokenFeedPath } from "../testing/activityRequests.js";
import { givenClient, newCaller, type Caller } from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { listen, openEventStream, type EventStream, type ListeningApi } from "../testing/eventStreamClient.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

let t: TestApi;
let server: ListeningApi;
const streams: EventStream[] = [];

beforeAll(async () => {
  t = await startTestApi({ streams: { total: 3, perCredential: 2 } });
  server = await listen(t.api.app);
});
afterAll(async () => {
  for (const stream of streams) await stream.close();
  await server.close();
  await t.close();
});

const open = async (caller: Caller, path = activityPath): Promise<EventStream> => {
  const stream = await openEventStream(`${server.baseUrl}${path}`, { Authorization: caller.auth });
  streams.push(stream);
  return stream;
};

/** What a refused stream answers: the problem document, read whole. */
const refusal = async (caller: Caller, path = activityPath) =>
  t.http().get(path).set({ Authorization: caller.auth, Accept: "text/event-stream" });

/** Until the server has seen the client go (its "close" frees the slot), a new stream may still be refused. */
const eventually = async <T>(attempt: () => Promise<T>, accepted: (value: T) => boolean): Promise<T> => {
  for (let tries = 0; ; tries++) {
    const value = await attempt();
    if (accepted(value) || tries > 50) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe("live streams (SSE) are capped", () => {
  it("per credential: a third stream is a 429 with Retry-After, and a closed stream frees its slot", async () => {
    const caller = await newCaller(t);
    const first = await open(caller);
    const second = await open(caller, tokenFeedPath);
    expect([first.status, second.status]).toEqual([200, 200]);

    const refused = await refusal(caller);
    expectProblem(refused, 429, "too_many_streams");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);

    await first.close();
    const third = await eventually(
      () => open(caller),
      (stream) => stream.status === 200,
    );
    expect(third.status).toBe(200);
    await second.close();
    await third.close();
  });

  it("in total: a stream beyond the cap is a 503 with Retry-After, whoever asks", async () => {
    const [a, b, c] = [await newCaller(t), await newCaller(t), await newCaller(t)];
    const opened = [await open(a), await open(a), await open(b)];
    expect(opened.map((stream) => stream.status)).toEqual([200, 200, 200]);

    const refused = await refusal(c, tokenFeedPath);
    expectProblem(refused, 503, "streams_exhausted");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);

    for (const stream of opened) await stream.close();
    const after = await eventually(
      () => open(c),
      (stream) => stream.status === 200,
    );
    expect(after.status).toBe(200);
    await after.close();
  });
});

describe("GET /api/v1/activity_stream/verify", () => {
  it("walks only what came since the last verification, the whole chain with full=true, which alone finds an earlier edit", async () => {
    const caller = await newCaller(t);
    const created = await givenClient(t, caller);
    const entry = await auditedEntryOf(t, caller.auth, created);
    // The workspace's own entries (its creation, its admin token) come with it: three in all.
    await vi.waitFor(async () => expect(((await listActivity(t, caller.auth)).body as unknown[]).length).toBe(3), { timeout: 10_000 });
    const verify = async (query = "") =>
      (await t.http().get(`${activityPath}/verify${query}`).set("Authorization", caller.auth)).body as unknown;

    expect(await verify()).toEqual({ valid: true, entriesChecked: 3, firstBroken: null });
    expect(await verify()).toEqual({ valid: true, entriesChecked: 0, firstBroken: null });
    expect(await verify("?full=true")).toEqual({ valid: true, entriesChecked: 3, firstBroken: null });

    const entries = await t.engines.readModels.collection<ActivityEntry>(activityStreamCollection);
    const stored = (
      await entries.find({
        where: { workspaceId: caller.workspaceId, sequence: entry.sequence },
        orderBy: { field: "sequence", direction: "asc" },
        limit: 1,
      })
    ).items[0];
    if (!stored) throw new Error("the entry is not stored");
    expect(stored.document.sequence).toBe(entry.sequence);
    expect(await entries.upsert(stored.id, stored.revision + 1, { ...stored.document, actorId: "someone-else" })).toBe(true);

    expect(await verify("?full=true")).toMatchObject({
      valid: false,
      firstBroken: { sequence: entry.sequence, reason: "content_altered" },
    });
  });

  it("refuses a full that is not true or false", async () => {
    const caller = await newCaller(t);
    expectProblem(await t.http().get(`${activityPath}/verify?full=yes`).set("Authorization", caller.auth), 400, "validation_failed");
  });
});
