import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openClientCredentials } from "../auth/clientCredentials.js";
import { listActivity, readTokenFeed, type ActivityEntry, type TokenFeedPage } from "../testing/activityRequests.js";
import {
  clientPath,
  confidentialClient,
  createClient,
  getClient,
  listClients,
  newWorkspaceId,
  type Caller,
} from "../testing/clientApplicationRequests.js";
import { givenApiKey, introspect } from "../testing/credentialRequests.js";
import { givenRegistration, manage, minimalMetadata } from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";
import { givenWorkspace, lifecycle } from "../testing/workspaceRequests.js";

/*
 * The operator API end to end: two tenants onboarded by the platform operator, each
 * seeing only its own clients; one suspended, and every credential of it stops from
 * the next request while the other goes on; resumed, and they work again; the
 * revocation feed and the activity stream say so.
 */

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const auditTimeoutMs = 10_000;

/** Everything of a tenant that authenticates: its admin token, an API key, a client secret and a registration token. */
type Tenant = Caller & Readonly<{ clientId: string; secret: string; apiKey: string; registration: { path: string; token: string } }>;

const onboard = async (label: string): Promise<Tenant> => {
  const workspaceId = `${label}-${newWorkspaceId()}`;
  const { auth } = await givenWorkspace(t, workspaceId, { displayName: label });
  const created = await createClient(t, auth, confidentialClient({ clientId: `${label}-app` }));
  expect(created.status).toBe(201);
  const caller = { workspaceId, auth };
  const { auth: apiKey } = await givenApiKey(t, caller, `${label}-app`, { scopes: ["clientapps:read"] });
  const registered = await givenRegistration(t, auth, minimalMetadata());
  return {
    ...caller,
    clientId: `${label}-app`,
    secret: created.body.clientSecret as string,
    apiKey,
    registration: { path: registered.path, token: registered.token },
  };
};

/** The status each of the tenant's credentials gets on its next request. */
const statuses = async (tenant: Tenant) => ({
  adminToken: (await listClients(t, tenant.auth)).status,
  apiKey: (await getClient(t, tenant.apiKey, tenant.clientId)).status,
  registrationToken: (await manage(t, "get", tenant.registration.path, tenant.registration.token)).status,
  introspectedSecret: (await introspect(t, tenant.auth, { token: tenant.secret, client_id: tenant.clientId })).status,
});

const working = { adminToken: 200, apiKey: 200, registrationToken: 200, introspectedSecret: 200 };
const stopped = { adminToken: 401, apiKey: 401, registrationToken: 401, introspectedSecret: 401 };

describe("two tenants onboarded by the platform operator", () => {
  let acme: Tenant;
  let globex: Tenant;
  beforeAll(async () => {
    acme = await onboard("acme");
    globex = await onboard("globex");
  });

  it("each admin sees only its own workspace's client applications", async () => {
    const listed = async (tenant: Tenant) =>
      ((await listClients(t, tenant.auth)).body as { clientId: string }[]).map((client) => client.clientId).sort();

    expect(await listed(acme)).toHaveLength(2);
    expect(await listed(acme)).toContain("acme-app");
    expect(await listed(globex)).not.toContain("acme-app");
    expect((await getClient(t, globex.auth, acme.clientId)).status).toBe(404);
    expect((await getClient(t, acme.apiKey, globex.clientId)).status).toBe(404);
  });

  it("suspending one stops all its credentials from the next request, and only its; resuming restores them", async () => {
    expect(await statuses(acme)).toEqual(working);

    expect((await lifecycle(t, t.operator, acme.workspaceId, "suspend")).status).toBe(200);

    expect(await statuses(acme)).toEqual(stopped);
    expect(await statuses(globex)).toEqual(working);
    expect((await createClient(t, acme.auth, confidentialClient())).status).toBe(401);

    expect((await lifecycle(t, t.operator, acme.workspaceId, "resume")).status).toBe(200);

    expect(await statuses(acme)).toEqual(working);
  });

  it("tells the revocation feed of the suspension and the resumption, and the activity stream who did them", async () => {
    const feed = await vi.waitFor(
      async () => {
        const page = (await readTokenFeed(t, acme.auth, { pageSize: 500 })).body as TokenFeedPage;
        const reasons = page.entries.map((entry) => entry.reason);
        expect(reasons).toContain("workspace_resumed");
        return page.entries;
      },
      { timeout: auditTimeoutMs, interval: 20 },
    );
    const workspaceEntries = feed.filter((entry) => entry.credential.type === "workspace");
    expect(workspaceEntries.map((entry) => [entry.reason, entry.clientId, entry.credential.id])).toEqual([
      ["workspace_suspended", null, acme.workspaceId],
      ["workspace_resumed", null, acme.workspaceId],
    ]);
    const others = (await readTokenFeed(t, globex.auth, { pageSize: 500 })).body as TokenFeedPage;
    expect(others.entries.filter((entry) => entry.credential.type === "workspace")).toEqual([]);

    const activity = (await listActivity(t, acme.auth, { pageSize: 500 })).body as ActivityEntry[];
    expect(activity.filter((entry) => entry.object.type === "workspace").map((entry) => [entry.operation, entry.actor.id])).toEqual([
      ["create_workspace", "platform-operator"],
      ["issue_admin_token", "platform-operator"],
      ["suspend_workspace", "platform-operator"],
      ["resume_workspace", "platform-operator"],
    ]);
  });

  it("deleting one stops its credentials for good", async () => {
    const doomed = await onboard("initech");

    expect((await t.http().delete(`/api/v1/workspaces/${doomed.workspaceId}`).set("Authorization", t.operator)).status).toBe(204);

    expect(await statuses(doomed)).toEqual(stopped);
    expect(await statuses(globex)).toEqual(working);
    expect((await t.http().get(clientPath(doomed.clientId)).set("Authorization", t.operator)).status).toBe(403);
  });
});

describe("the client-credential checks behind introspection and RFC 7592", () => {
  it("refuse a suspended workspace's API keys, client secrets and registration tokens, from the next check", async () => {
    const tenant = await onboard("umbrella");
    const credentials = await openClientCredentials({
      eventStore: t.engines.eventStore,
      readModels: t.engines.readModels,
      hasher: t.hasher,
      workspaces: t.api.workspaces,
      catchUpTimeoutMs: 1000,
    });
    const checks = async () => ({
      apiKey: (await credentials.apiKey(tenant.apiKey.slice("Bearer ".length), t.now())) !== undefined,
      secret: (await credentials.clientSecret(tenant.workspaceId, tenant.clientId, tenant.secret, t.now())) !== undefined,
      registrationToken: (await credentials.registrationToken(tenant.registration.token.slice("Bearer ".length))) !== undefined,
    });
    expect(await checks()).toEqual({ apiKey: true, secret: true, registrationToken: true });

    await t.workspaceCommand({ type: "SuspendWorkspace", data: { workspaceId: tenant.workspaceId }, metadata: { now: t.now() } });

    expect(await checks()).toEqual({ apiKey: false, secret: false, registrationToken: false });
  });
});
