import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  activityPath,
  auditedEntryOf,
  credentialIdOf,
  listActivity,
  requestIdOf,
  type ActivityEntry,
} from "../testing/activityRequests.js";
import { clientPath, confidentialClient, createClient, newCaller, nextLinkOf, type Caller } from "../testing/clientApplicationRequests.js";
import { issueApiKey, rotateSecret } from "../testing/credentialRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

const userAgent = "activity-stream-test/1.0";
const start = Date.parse("2026-03-01T09:00:00.000Z");
const minute = 60_000;
const at = (minutes: number): string => new Date(start + minutes * minute).toISOString();

let t: TestApi;
let owner: Caller;
let writer: Caller;
let other: Caller;
let ownerId: string;
let writerId: string;
const alpha = "alpha";
const beta = "beta";
/** What each write answered, in the order they were made; the n-th write happens at minute n. */
const writes: { operation: string; clientId: string; requestId: string; actorId: string; time: string }[] = [];
const secrets: string[] = [];

const merged = (caller: Caller, clientId: string, body: object) =>
  t
    .http()
    .patch(clientPath(clientId))
    .set("Authorization", caller.auth)
    .set("Content-Type", "application/merge-patch+json")
    .send(JSON.stringify(body));

/**
 * Makes a write one minute after the previous one and waits until it is audited: entries of
 * different clients travel on different partitions, so only then is the order of writes the order of entries.
 */
const write = async (operation: string, clientId: string, actorId: string, send: () => Promise<Response>): Promise<Response> => {
  t.advance(minute);
  const response = await send();
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  writes.push({ operation, clientId, requestId: requestIdOf(response), actorId, time: at(writes.length + 1) });
  await auditedEntryOf(t, owner.auth, response);
  return response;
};

beforeAll(async () => {
  t = await startTestApi({ now: new Date(start) });
  owner = await newCaller(t);
  writer = { workspaceId: owner.workspaceId, auth: await t.bearer(owner.workspaceId, ["clientapps:write"]) };
  other = await newCaller(t);
  ownerId = await credentialIdOf(t, owner.auth);
  writerId = await credentialIdOf(t, writer.auth);
  // The workspaces' own entries first (created, its admin tokens issued), so the writes' entries follow them in order.
  await settledActivity(owner.auth, setup);
  await settledActivity(other.auth, 2);

  const created = await write("create", alpha, ownerId, () =>
    createClient(t, owner.auth, confidentialClient({ clientId: alpha, description: "Before" })).set("User-Agent", userAgent),
  );
  secrets.push(created.body.clientSecret as string);
  await write("create", beta, ownerId, () =>
    createClient(t, owner.auth, confidentialClient({ clientId: beta })).set("User-Agent", userAgent),
  );
  await write("update", alpha, writerId, () => merged(writer, alpha, { description: "After" }).set("User-Agent", userAgent));
  const rotated = await write("rotate_secret", alpha, ownerId, () =>
    rotateSecret(t, owner.auth, alpha, { gracePeriodSeconds: 3600 }).set("User-Agent", userAgent),
  );
  secrets.push(rotated.body.clientSecret as string);
  const issued = await write("issue_api_key", alpha, ownerId, () =>
    issueApiKey(t, owner.auth, alpha, { name: "ci", scopes: ["clientapps:read"] }).set("User-Agent", userAgent),
  );
  secrets.push(issued.body.key as string);
  await write("delete", beta, ownerId, () =>
    t.http().delete(clientPath(beta)).set("Authorization", owner.auth).set("User-Agent", userAgent),
  );
  await write("delete", alpha, ownerId, () =>
    t.http().delete(clientPath(alpha)).set("Authorization", owner.auth).set("User-Agent", userAgent),
  );

  // Another workspace with a client of the same id.
  const elsewhere = await createClient(t, other.auth, confidentialClient({ clientId: alpha }));
  await auditedEntryOf(t, other.auth, elsewhere);
});

afterAll(async () => {
  await t.close();
});

/** Entries of the owner's workspace before the first write: its creation and its two admin tokens. */
const setup = 3;

/** Waits until the workspace's activity stream holds `count` entries. */
const settledActivity = (auth: string, count: number) =>
  vi.waitFor(async () => expect(((await listActivity(t, auth)).body as ActivityEntry[]).length).toBe(count), { timeout: 10_000 });

/** The entries about client applications: the workspace's own (an admin token issued by a test, say) left out. */
const clientEntries = (entries: readonly ActivityEntry[]): ActivityEntry[] =>
  entries.filter((entry) => entry.object.type === "clientApplication");

const entriesOf = (response: Response): ActivityEntry[] => {
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as ActivityEntry[];
};

/** Every member name inside a value, at any depth. */
const memberNames = (value: unknown): string[] =>
  value !== null && typeof value === "object"
    ? Object.entries(value as Record<string, unknown>).flatMap(([name, inner]) => [
        ...(Array.isArray(value) ? [] : [name]),
        ...memberNames(inner),
      ])
    : [];

describe("GET /api/v1/activity_stream", () => {
  it("lists one entry per event in the order they happened: when, who, what, to which client, from where", async () => {
    const entries = entriesOf(await listActivity(t, owner.auth));

    expect(entries.slice(setup)).toEqual(
      writes.map((written, index) => ({
        sequence: setup + index + 1,
        eventId: expect.any(String),
        time: written.time,
        actor: { type: "adminToken", id: written.actorId },
        operation: written.operation,
        eventType: expect.any(String),
        object: { type: "clientApplication", id: written.clientId },
        changes: expect.any(Object),
        requestId: written.requestId,
        correlationId: written.requestId,
        sourceIp: expect.stringContaining("127.0.0.1"),
        userAgent,
        previousHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      })),
    );
    expect(ownerId).toMatch(/^adm_/);
    expect(ownerId).not.toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(entries.map((entry) => entry.eventId)).size).toBe(entries.length);
  });

  it("shows each changed field before and after, and credentials only as fingerprints", async () => {
    const response = await listActivity(t, owner.auth);
    const entries = entriesOf(response).slice(setup);
    const [oldSecret, newSecret] = secrets as [string, string, string];

    expect(entries[0]!.changes).toMatchObject({
      displayName: { before: null, after: "Awork integration" },
      description: { before: null, after: "Before" },
    });
    expect(entries[2]!.changes).toEqual({ description: { before: "Before", after: "After" } });
    expect(entries[3]!.changes).toEqual({
      secret: { before: [`…${oldSecret.slice(-4)}`], after: `…${newSecret.slice(-4)}` },
      graceEndsOn: { before: null, after: new Date(Date.parse(at(4)) + 3_600_000).toISOString() },
    });
    expect(entries[6]!.changes).toEqual({ deleted: { before: false, after: true } });
    for (const entry of entries) expect(memberNames(entry.changes).filter((name) => /hash/i.test(name))).toEqual([]);
    for (const secret of secrets) expect(response.text).not.toContain(secret);
  });

  it.each([
    ["clientId", () => ({ clientId: beta }), [2, 6]],
    ["actor", () => ({ actor: writerId }), [3]],
    ["actorType and actorId", () => ({ actorType: "adminToken", actorId: writerId }), [3]],
    ["actorType alone", () => ({ actorType: "adminToken" }), [1, 2, 3, 4, 5, 6, 7]],
    ["an actorType that made none of them", () => ({ actorType: "user" }), []],
    ["type", () => ({ type: "SecretRotated" }), [4]],
    ["from and to (from inclusive, to exclusive)", () => ({ from: at(3), to: at(5) }), [3, 4]],
  ])("filters by %s", async (_name, query, expected) => {
    const sequences = entriesOf(await listActivity(t, owner.auth, query())).map((entry) => entry.sequence);
    expect(sequences).toEqual(expected.map((nth) => setup + nth));
  });

  it("refuses an actor filter that disagrees with actorId, and an actor type it does not know", async () => {
    const conflicting = await listActivity(t, owner.auth, { actor: writerId, actorId: ownerId });
    expect(conflicting.status).toBe(400);
    expect(conflicting.body).toMatchObject({ code: "validation_failed", errors: [{ field: "actor" }] });
    expect((await listActivity(t, owner.auth, { actorType: "credential" })).status).toBe(400);
  });

  it("pages with pageSize and Link rel=next, visiting every entry once", async () => {
    const seen: number[] = [];
    let response = await listActivity(t, owner.auth, { pageSize: 2 });
    for (;;) {
      const page = entriesOf(response);
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((entry) => entry.sequence));
      const next = nextLinkOf(response);
      if (!next) break;
      expect(next).toMatch(/^\/api\/v1\/activity_stream\?/);
      response = await t.http().get(next).set("Authorization", owner.auth);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("never shows another workspace's entries, not even for a client of the same id", async () => {
    const mine = entriesOf(await listActivity(t, other.auth));
    expect(mine.map((entry) => [entry.sequence, entry.operation, entry.object.id])).toEqual([
      [1, "create_workspace", other.workspaceId],
      [2, "issue_admin_token", other.workspaceId],
      [3, "create", alpha],
    ]);
    expect(entriesOf(await listActivity(t, other.auth, { clientId: alpha })).map((entry) => entry.sequence)).toEqual([3]);
    expect(entriesOf(await listActivity(t, other.auth, { actor: ownerId }))).toEqual([]);
    expect(entriesOf(await listActivity(t, other.auth, {}, `${clientPath(beta)}/activity_stream`))).toEqual([]);
  });

  it("exports every matching entry as NDJSON, one JSON document per line, regardless of pageSize", async () => {
    const listed = entriesOf(await listActivity(t, owner.auth, { clientId: alpha }));

    const exported = await listActivity(t, owner.auth, { clientId: alpha, pageSize: 1 })
      .set("Accept", "application/x-ndjson")
      .buffer(true)
      .parse((response, done) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => done(null, text));
      });

    expect(exported.status).toBe(200);
    expect(exported.headers["content-type"]).toMatch(/^application\/x-ndjson/);
    const text = exported.body as string;
    expect(text.endsWith("\n")).toBe(true);
    expect(
      text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(listed);
    expect(listed.map((entry) => entry.sequence)).toEqual([1, 3, 4, 5, 7].map((nth) => setup + nth));
  });

  it("answers 400 naming an unknown query parameter", async () => {
    const problem = expectProblem(await listActivity(t, owner.auth, { clientID: alpha }), 400, "validation_failed");
    expect(problem.errors?.map((error) => error.field)).toEqual(["clientID"]);
  });

  it("is readable with the read scope, and refused without it", async () => {
    const reader = await t.bearer(owner.workspaceId, ["clientapps:read"]);
    const sequences = clientEntries(entriesOf(await listActivity(t, reader))).map((entry) => entry.sequence);
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7].map((nth) => setup + nth));
    expect((await t.http().get(`${activityPath}/verify`).set("Authorization", reader)).status).toBe(200);
    expectProblem(await listActivity(t, await t.bearer(owner.workspaceId, ["clientapps:register"])), 403, "insufficient_scope");
  });
});

describe("the workspace's own entries", () => {
  it("shows the workspace's creation and its admin tokens, each issued by id and fingerprint only", async () => {
    const entries = entriesOf(await listActivity(t, owner.auth)).slice(0, setup);
    expect(entries.map((entry) => [entry.sequence, entry.operation, entry.object])).toEqual([
      [1, "create_workspace", { type: "workspace", id: owner.workspaceId }],
      [2, "issue_admin_token", { type: "workspace", id: owner.workspaceId }],
      [3, "issue_admin_token", { type: "workspace", id: owner.workspaceId }],
    ]);
    expect(entries[1]!.changes.adminToken).toEqual({
      before: null,
      after: { id: ownerId, label: "test", scopes: ["admin"], fingerprint: `…${owner.auth.slice(-4)}`, expiresOn: null },
    });
    expect(JSON.stringify(entries)).not.toContain(owner.auth.slice("Bearer ".length));
  });
});

describe("GET /api/v1/clientapplications/{clientId}/activity_stream", () => {
  it("shows only that client's entries, also after it was deleted", async () => {
    const entries = entriesOf(await listActivity(t, owner.auth, {}, `${clientPath(alpha)}/activity_stream`));
    expect(entries.map((entry) => [entry.sequence - setup, entry.operation])).toEqual([
      [1, "create"],
      [3, "update"],
      [4, "rotate_secret"],
      [5, "issue_api_key"],
      [7, "delete"],
    ]);
    expect(new Set(entries.map((entry) => entry.object.id))).toEqual(new Set([alpha]));
  });
});

describe("GET /api/v1/activity_stream/verify", () => {
  it("recomputes the whole hash chain with full=true and finds it intact", async () => {
    const response = await t.http().get(`${activityPath}/verify?full=true`).set("Authorization", owner.auth);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ valid: true, firstBroken: null });
    expect(response.body.entriesChecked).toBeGreaterThanOrEqual(setup + 7);
    const elsewhere = await t.http().get(`${activityPath}/verify`).set("Authorization", other.auth);
    expect(elsewhere.body).toEqual({ valid: true, entriesChecked: 3, firstBroken: null });
  });
});
