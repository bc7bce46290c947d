import { randomUUID } from "node:crypto";
import { generateCredential } from "@clientapps/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsPath, confidentialClient, createClient, listClients, nextLinkOf } from "../testing/clientApplicationRequests.js";
import { activityPath, tokenFeedPath } from "../testing/activityRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";
import {
  adminTokensPath,
  createWorkspace,
  getWorkspace,
  givenWorkspace,
  issueAdminToken,
  lifecycle,
  workspacePath,
  workspacesPath,
} from "../testing/workspaceRequests.js";

const start = new Date("2026-05-01T08:00:00.000Z");
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: start });
});
afterAll(() => t.close());

const newId = (label = "acme"): string => `${label}-${randomUUID().slice(0, 8)}`;

const streamTypes = async (workspaceId: string): Promise<string[]> =>
  (await t.engines.eventStore.readStream(`workspace-${workspaceId}`)).map((event) => event.type);

const canList = async (auth: string): Promise<number> => (await listClients(t, auth)).status;

describe("POST /api/v1/workspaces", () => {
  it("creates a workspace and answers with its first admin token, this once, which works in that workspace only", async () => {
    const workspaceId = newId();
    const response = await createWorkspace(t, t.operator, { workspaceId, displayName: "Acme Corp." });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(workspacePath(workspaceId));
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.body).toEqual({
      workspaceId,
      displayName: "Acme Corp.",
      status: "active",
      createdOn: start.toISOString(),
      updatedOn: start.toISOString(),
      adminTokens: [
        {
          id: expect.stringMatching(/^adm_/),
          label: "admin token",
          scopes: ["admin"],
          fingerprint: expect.stringMatching(/^…/),
          status: "active",
          createdOn: start.toISOString(),
          expiresOn: null,
          revokedOn: null,
        },
      ],
      adminToken: expect.objectContaining({ token: expect.stringMatching(/^ca_admin_/), scopes: ["admin"] }),
    });
    const auth = `Bearer ${response.body.adminToken.token}`;
    expect(await canList(auth)).toBe(200);
    expect(await streamTypes(workspaceId)).toEqual(["WorkspaceCreated", "AdminTokenIssued"]);
    const read = await getWorkspace(t, t.operator, workspaceId);
    expect(JSON.stringify(read.body)).not.toContain(response.body.adminToken.token);
  });

  it("generates an id when none is given, and takes the first token's label, scopes and expiry", async () => {
    const expiresOn = new Date(start.getTime() + 86_400_000).toISOString();
    const response = await createWorkspace(t, t.operator, {
      displayName: "Generated",
      adminToken: { label: "ci", scopes: ["clientapps:read"], expiresOn },
    });

    expect(response.status).toBe(201);
    expect(response.body.workspaceId).toMatch(/^ws_/);
    expect(response.body.adminToken).toMatchObject({ label: "ci", scopes: ["clientapps:read"], expiresOn });
  });

  it("answers a retry with the same Idempotency-Key with the first answer, token included, and writes nothing", async () => {
    const workspaceId = newId();
    const send = () => createWorkspace(t, t.operator, { workspaceId, displayName: "Once" }).set("Idempotency-Key", `key-${workspaceId}`);

    const first = await send();
    const retry = await send();

    expect(first.status).toBe(201);
    expect([retry.status, retry.body]).toEqual([201, first.body]);
    expect(await streamTypes(workspaceId)).toEqual(["WorkspaceCreated", "AdminTokenIssued"]);
  });

  it("refuses an id that exists or existed with 409", async () => {
    const { workspaceId } = await givenWorkspace(t, newId());

    expectProblem(await createWorkspace(t, t.operator, { workspaceId, displayName: "Again" }), 409, "workspace_exists");
    expect(await t.http().delete(workspacePath(workspaceId)).set("Authorization", t.operator)).toHaveProperty("status", 204);
    expectProblem(await createWorkspace(t, t.operator, { workspaceId, displayName: "Again" }), 409, "workspace_exists");
  });

  it.each([
    ["an id with a colon", { workspaceId: "a:b", displayName: "X" }, "workspaceId"],
    ["a blank display name", { displayName: " " }, "displayName"],
    ["no display name", {}, "displayName"],
    ["a platform scope for the first token", { displayName: "X", adminToken: { scopes: ["platform:admin"] } }, "adminToken/scopes/0"],
    ["an expiry in the past", { displayName: "X", adminToken: { expiresOn: "2020-01-01T00:00:00.000Z" } }, "expiresOn"],
    ["an unknown member", { displayName: "X", owner: "me" }, "owner"],
  ])("refuses %s with a 400 that names it, and writes nothing", async (_case, body, field) => {
    const before = await t.engines.eventStore.headPosition();

    const problem = expectProblem(await createWorkspace(t, t.operator, body), 400, "validation_failed");

    expect(problem.errors?.map((error) => error.field).join(" ")).toContain(field);
    expect(await t.engines.eventStore.headPosition()).toEqual(before);
  });

  it("is for the platform operator only: 401 without a credential or with an unknown one, 403 for a workspace admin", async () => {
    const { auth } = await givenWorkspace(t, newId());
    const body = { displayName: "Nope" };

    expectProblem(await t.http().post(workspacesPath).send(body), 401, "missing_credentials");
    expectProblem(await createWorkspace(t, `Bearer ${generateCredential("platformToken")}`, body), 401, "invalid_token");
    const forbidden = await createWorkspace(t, auth, body);
    expectProblem(forbidden, 403, "insufficient_scope");
    expect(forbidden.headers["www-authenticate"]).toContain('scope="platform:admin"');
  });
});

describe("GET /api/v1/workspaces and /api/v1/workspaces/{workspaceId}", () => {
  it("lists every workspace to the operator, page by page with Link rel=next, and no deleted one", async () => {
    const prefix = newId("list");
    const ids = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (const id of ids) await givenWorkspace(t, id);
    await t.http().delete(workspacePath(ids[1]!)).set("Authorization", t.operator);

    const seen: string[] = [];
    for (let path: string | undefined = `${workspacesPath}?pageSize=1`; path;) {
      const page = await t.http().get(path).set("Authorization", t.operator);
      expect(page.status).toBe(200);
      seen.push(...(page.body as { workspaceId: string }[]).map((workspace) => workspace.workspaceId));
      path = nextLinkOf(page);
    }

    expect(seen.filter((id) => id.startsWith(prefix))).toEqual([ids[0], ids[2]]);
  });

  it("shows a workspace admin its own workspace only: the list holds it alone, another one is a 404", async () => {
    const mine = await givenWorkspace(t, newId());
    const other = await givenWorkspace(t, newId());

    const listed = await t.http().get(workspacesPath).set("Authorization", mine.auth);
    expect(listed.status).toBe(200);
    expect((listed.body as { workspaceId: string }[]).map((workspace) => workspace.workspaceId)).toEqual([mine.workspaceId]);
    expect((await getWorkspace(t, mine.auth, mine.workspaceId)).status).toBe(200);
    expectProblem(await getWorkspace(t, mine.auth, other.workspaceId), 404, "workspace_not_found");
  });

  it("answers a read-only workspace credential with 403, naming the admin scope", async () => {
    const { workspaceId, auth } = await givenWorkspace(t, newId(), { adminToken: { scopes: ["clientapps:read"] } });

    expectProblem(await getWorkspace(t, auth, workspaceId), 403, "insufficient_scope");
  });

  it("answers with the ETag of the stream's revision and 304 to If-None-Match", async () => {
    const { workspaceId } = await givenWorkspace(t, newId());

    const read = await getWorkspace(t, t.operator, workspaceId);
    expect([read.status, read.headers.etag]).toEqual([200, '"1"']);
    const again = await getWorkspace(t, t.operator, workspaceId).set("If-None-Match", '"1"');
    expect(again.status).toBe(304);
  });

  it("answers an unknown workspace with 404 and a malformed id with 400", async () => {
    expectProblem(await getWorkspace(t, t.operator, newId("unknown")), 404, "workspace_not_found");
    expectProblem(await t.http().get(`${workspacesPath}/a%3Ab`).set("Authorization", t.operator), 400, "validation_failed");
  });
});

describe("PATCH /api/v1/workspaces/{workspaceId}", () => {
  it("renames, judged against If-Match: a stale revision is a 412 and changes nothing", async () => {
    const { workspaceId } = await givenWorkspace(t, newId());
    const rename = (displayName: string, etag: string) =>
      t.http().patch(workspacePath(workspaceId)).set("Authorization", t.operator).set("If-Match", etag).send({ displayName });

    const renamed = await rename("Acme Inc.", '"1"');
    expect([renamed.status, renamed.headers.etag, renamed.body.displayName]).toEqual([200, '"2"', "Acme Inc."]);
    expectProblem(await rename("Lost update", '"1"'), 412, "precondition_failed");
    expect((await getWorkspace(t, t.operator, workspaceId)).body.displayName).toBe("Acme Inc.");
  });

  it("refuses a blank name with 400 and an unknown workspace with 404", async () => {
    const { workspaceId } = await givenWorkspace(t, newId());
    const patch = (id: string, body: object) => t.http().patch(workspacePath(id)).set("Authorization", t.operator).send(body);

    expectProblem(await patch(workspaceId, { displayName: "" }), 400, "validation_failed");
    expectProblem(await patch(newId("unknown"), { displayName: "X" }), 404, "workspace_not_found");
  });
});

describe("POST /api/v1/workspaces/{workspaceId}/suspend and /resume", () => {
  it("suspends and resumes, each once: asking again changes nothing", async () => {
    const { workspaceId, auth } = await givenWorkspace(t, newId());

    const suspended = await lifecycle(t, t.operator, workspaceId, "suspend");
    expect([suspended.status, suspended.body.status]).toEqual([200, "suspended"]);
    expect(await canList(auth)).toBe(401);
    expect((await lifecycle(t, t.operator, workspaceId, "suspend")).status).toBe(200);
    const resumed = await lifecycle(t, t.operator, workspaceId, "resume");
    expect([resumed.status, resumed.body.status]).toEqual([200, "active"]);
    expect(await canList(auth)).toBe(200);
    expect(await streamTypes(workspaceId)).toEqual(["WorkspaceCreated", "AdminTokenIssued", "WorkspaceSuspended", "WorkspaceResumed"]);
  });

  it("answers an unknown workspace with 404, a stale If-Match with 412, and a workspace admin with 403", async () => {
    const { workspaceId, auth } = await givenWorkspace(t, newId());

    expectProblem(await lifecycle(t, t.operator, newId("unknown"), "suspend"), 404, "workspace_not_found");
    expectProblem(await lifecycle(t, t.operator, workspaceId, "suspend").set("If-Match", '"0"'), 412, "precondition_failed");
    expectProblem(await lifecycle(t, auth, workspaceId, "suspend"), 403, "insufficient_scope");
    expect(await canList(auth)).toBe(200);
  });
});

describe("DELETE /api/v1/workspaces/{workspaceId}", () => {
  it("deletes: every credential of the workspace stops, the workspace is a 404, and it cannot be resumed", async () => {
    const { workspaceId, auth } = await givenWorkspace(t, newId());

    const deleted = await t.http().delete(workspacePath(workspaceId)).set("Authorization", t.operator).set("If-Match", '"1"');

    expect([deleted.status, deleted.headers.etag]).toEqual([204, '"2"']);
    expect(await canList(auth)).toBe(401);
    expectProblem(await getWorkspace(t, t.operator, workspaceId), 404, "workspace_not_found");
    expectProblem(await lifecycle(t, t.operator, workspaceId, "resume"), 404, "workspace_not_found");
    expectProblem(await t.http().delete(workspacePath(workspaceId)).set("Authorization", t.operator), 404, "workspace_not_found");
  });
});

describe("POST and DELETE /api/v1/workspaces/{workspaceId}/admintokens", () => {
  it("issues a token with its scopes, label and expiry, shown once; it holds only those scopes and stops at its expiry", async () => {
    const { workspaceId } = await givenWorkspace(t, newId());
    const expiresOn = new Date(t.now().getTime() + 3_600_000).toISOString();

    const issued = await issueAdminToken(t, t.operator, workspaceId, { label: "read only", scopes: ["clientapps:read"], expiresOn });

    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ label: "read only", scopes: ["clientapps:read"], expiresOn, status: "active" });
    const reader = `Bearer ${issued.body.token}`;
    expect(await canList(reader)).toBe(200);
    expectProblem(await createClient(t, reader, confidentialClient()), 403, "insufficient_scope");
    t.advance(3_600_000);
    expect(await canList(reader)).toBe(401);
  });

  it("revokes a token: it fails from the next request, and the other tokens of the workspace keep working", async () => {
    const first = await givenWorkspace(t, newId());
    const second = await issueAdminToken(t, t.operator, first.workspaceId, { label: "second" });

    const revoked = await t
      .http()
      .delete(`${adminTokensPath(first.workspaceId)}/${first.tokenId}`)
      .set("Authorization", t.operator);

    expect(revoked.status).toBe(204);
    expect(await canList(first.auth)).toBe(401);
    expect(await canList(`Bearer ${second.body.token}`)).toBe(200);
    const listed = await getWorkspace(t, t.operator, first.workspaceId);
    expect((listed.body.adminTokens as { id: string; status: string }[]).map(({ id, status }) => [id, status])).toEqual([
      [first.tokenId, "revoked"],
      [second.body.id, "active"],
    ]);
  });

  it("refuses a platform scope, an unknown workspace and an unknown token; a workspace admin cannot issue", async () => {
    const { workspaceId, auth } = await givenWorkspace(t, newId());

    expectProblem(await issueAdminToken(t, t.operator, workspaceId, { scopes: ["platform:admin"] }), 400, "validation_failed");
    expectProblem(await issueAdminToken(t, t.operator, newId("unknown"), {}), 404, "workspace_not_found");
    expectProblem(
      await t
        .http()
        .delete(`${adminTokensPath(workspaceId)}/adm_unknown`)
        .set("Authorization", t.operator),
      404,
      "admin_token_not_found",
    );
    expectProblem(await issueAdminToken(t, auth, workspaceId, {}), 403, "insufficient_scope");
  });
});

describe("the platform operator and the workspaces' own data", () => {
  it("cannot read, or write, any workspace's client applications, activity stream or token feed", async () => {
    const { auth } = await givenWorkspace(t, newId());
    expect((await createClient(t, auth, confidentialClient())).status).toBe(201);

    for (const path of [clientsPath, activityPath, tokenFeedPath]) {
      expectProblem(await t.http().get(path).set("Authorization", t.operator), 403, "insufficient_scope");
    }
    expectProblem(await createClient(t, t.operator, confidentialClient()), 403, "insufficient_scope");
  });
});

describe("a workspace stream holding an event of a type this build does not know", () => {
  it("is not folded: its credentials get a 503 stream_unreadable rather than a decision on a state that misses a change", async () => {
    const { workspaceId, auth } = await givenWorkspace(t, newId());
    await t.engines.eventStore.appendToStream(
      `workspace-${workspaceId}`,
      [{ eventId: randomUUID(), type: "WorkspaceMovedInAFutureVersion", data: { workspaceId }, metadata: {} }],
      { expectedRevision: 1 },
    );

    expectProblem(await listClients(t, auth), 503, "stream_unreadable");
    expectProblem(await lifecycle(t, t.operator, workspaceId, "suspend"), 503, "stream_unreadable");
  });
});
