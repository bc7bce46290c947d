import Database from "better-sqlite3";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adminRequest, introspect, screenshot, signIn, skipReason, unique } from "./consoleHarness.js";
import { consoleSuite, copyShownOnce, createClient, noSerious } from "./consoleSuite.js";

const reason = skipReason();
if (reason) process.stdout.write(`console browser tests skipped: ${reason}\n`);

describe.skipIf(reason !== undefined)("the console in Chromium: its pages, against the built service", () => {
  const { service, open, givenClient } = consoleSuite();

  it("shows an RFC 7591 client's registration metadata and its token's fingerprint, never the token", async () => {
    const registered = await adminRequest(service(), "POST", "/api/v1/clientapplications/register", {
      client_name: "Self-registered app",
      redirect_uris: ["https://self.example.com/callback"],
      token_endpoint_auth_method: "client_secret_post",
      response_types: ["code"],
      client_uri: "https://self.example.com",
      logo_uri: "https://self.example.com/logo.png",
      contacts: ["ops@self.example.com", "security@self.example.com"],
      jwks_uri: "https://self.example.com/jwks.json",
      software_id: "self-app",
      software_version: "3.4.5",
    });
    const clientId = registered.client_id as string;
    const token = registered.registration_access_token as string;
    const { page } = await open();
    await signIn(page, service().adminToken);
    await page.goto(`${service().baseUrl}/console/clients/${clientId}/registration`);

    const metadata = page.getByLabel("Registration metadata");
    await page.getByRole("heading", { name: "Dynamic registration (RFC 7591)" }).waitFor();
    for (const shown of [
      "https://self.example.com",
      "https://self.example.com/logo.png",
      "ops@self.example.com, security@self.example.com",
      "client_secret_post",
      "code",
      "self-app",
      "3.4.5",
      "https://self.example.com/jwks.json",
    ])
      expect(await metadata.getByText(shown, { exact: true }).count(), shown).toBe(1);
    expect(await metadata.getByText(`…${token.slice(-4)}`, { exact: true }).isVisible()).toBe(true);
    expect(await page.content()).not.toContain(token);

    const adminMade = await givenClient("Admin-made app");
    await page.goto(`${service().baseUrl}/console/clients/${adminMade}/registration`);
    await expect.poll(() => page.getByText("registered by an administrator, not through RFC 7591").isVisible()).toBe(true);
  });

  it.each([
    { name: "on the desktop", viewport: { width: 1280, height: 900 } },
    { name: "at 375 px", viewport: { width: 375, height: 800 } },
  ])("has no serious or critical accessibility violation on each main page, $name", async ({ name, viewport }) => {
    const clientName = `Accessible app (${name})`;
    const clientId = await givenClient(clientName);
    const registered = await adminRequest(service(), "POST", "/api/v1/clientapplications/register", {
      client_name: `Accessible self-registered app (${name})`,
      redirect_uris: ["https://self.example.com/callback"],
      contacts: ["ops@self.example.com"],
    });
    const { page } = await open(viewport);
    expect(await noSerious(page), "sign-in").toEqual([]);
    await signIn(page, service().adminToken);
    await expect.poll(() => page.getByRole("link", { name: clientName }).isVisible()).toBe(true);
    expect(await noSerious(page), "list").toEqual([]);
    await page.getByRole("link", { name: "+ API Client" }).first().click();
    expect(await noSerious(page), "create").toEqual([]);
    for (const tab of ["settings", "credentials", "apikeys", "activity", "history", "registration"]) {
      await page.goto(`${service().baseUrl}/console/clients/${clientId}/${tab}`);
      await page.getByRole("heading", { name: clientName }).waitFor();
      expect(await noSerious(page), tab).toEqual([]);
    }
    await page.goto(`${service().baseUrl}/console/clients/${registered.client_id as string}/registration`);
    await page.getByRole("heading", { name: "Dynamic registration (RFC 7591)" }).waitFor();
    expect(await noSerious(page), "registration metadata").toEqual([]);
    await page.getByRole("link", { name: "Activity", exact: true }).first().click();
    await page.getByRole("heading", { name: "Workspace activity" }).waitFor();
    expect(await noSerious(page), "activity").toEqual([]);
    await page.getByRole("link", { name: "Revocation feed" }).click();
    await page.getByRole("heading", { name: "Revocation feed" }).waitFor();
    expect(await noSerious(page), "revocations").toEqual([]);
    if (viewport.width === 375) await screenshot(page, "mobile-revocations");
  });

  it("rotates with a short grace period: the countdown ends and the old secret stops working", async () => {
    const { page } = await open();
    const clientId = unique("rotating");
    await signIn(page, service().adminToken);
    await createClient(page, "Rotating app", clientId);
    const oldSecret = await copyShownOnce(page, "Copy client secret");
    await page.getByRole("link", { name: "Open Rotating app" }).click();
    await page.getByRole("link", { name: "Credentials" }).click();
    await page.getByLabel("How long the old secret keeps working").selectOption("custom");
    await page.getByLabel("Seconds (0 to 604800)").fill("3");
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await expect.poll(() => page.getByRole("timer").isVisible()).toBe(true);
    await screenshot(page, "credentials-countdown");
    expect(await introspect(service(), { token: oldSecret, client_id: clientId, token_type_hint: "client_secret" })).toMatchObject({
      active: true,
    });
    await expect.poll(() => page.getByText("Stopped working").isVisible(), { timeout: 20_000 }).toBe(true);
    await expect
      .poll(async () => (await introspect(service(), { token: oldSecret, client_id: clientId, token_type_hint: "client_secret" })).active, {
        timeout: 20_000,
      })
      .toBe(false);
    const newSecret = await copyShownOnce(page, "Copy new client secret");
    expect(await introspect(service(), { token: newSecret, client_id: clientId, token_type_hint: "client_secret" })).toMatchObject({
      active: true,
    });
  });

  it("shows an edit in one browser live in another's activity tab, and a stale edit gets the conflict screen", async () => {
    const first = (await open()).page;
    const second = (await open()).page;
    await signIn(first, service().adminToken);
    await signIn(second, service().adminToken);
    const clientId = unique("shared");
    await createClient(first, "Shared app", clientId);
    await first.goto(`${service().baseUrl}/console/clients/${clientId}/settings`);
    await second.goto(`${service().baseUrl}/console/clients/${clientId}/settings`);
    await second.getByLabel("Name", { exact: true }).waitFor();
    await first.getByRole("link", { name: "Activity", exact: true }).last().click();
    await expect.poll(() => first.getByText("Live: new entries appear").isVisible()).toBe(true);

    const editor = (await open()).page;
    await signIn(editor, service().adminToken);
    await editor.goto(`${service().baseUrl}/console/clients/${clientId}/settings`);
    await editor.getByLabel("Name", { exact: true }).fill("Shared app, renamed");
    await editor.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => editor.getByText("Saved.").isVisible()).toBe(true);

    await expect.poll(() => first.getByText("Shared app, renamed").first().isVisible()).toBe(true);
    await screenshot(first, "activity-live");

    await second.getByLabel("Description").fill("edited on a stale page");
    await second.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => second.getByRole("heading", { name: "Someone else changed this client application" }).isVisible()).toBe(true);
    expect(await second.getByText("Shared app, renamed").isVisible()).toBe(true);
    await screenshot(second, "conflict");
    await second.getByRole("button", { name: "Reapply my changes" }).click();
    await expect.poll(() => second.getByText("Saved.").isVisible()).toBe(true);

    // Reapplying sends only what this page changed: the other person's rename stands beside it.
    expect(await adminRequest(service(), "GET", `/api/v1/clientapplications/${clientId}`)).toMatchObject({
      displayName: "Shared app, renamed",
      description: "edited on a stale page",
    });
  });

  it("names the altered entry when Verify finds the stored activity stream edited", async () => {
    const clientId = await givenClient("Audited app");
    const { page } = await open();
    await signIn(page, service().adminToken);
    await page.getByRole("link", { name: "Activity", exact: true }).first().click();
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByText("The chain is intact").isVisible()).toBe(true);
    await screenshot(page, "activity");

    const db = new Database(join(service().dataDir, "read-models.sqlite"));
    const sql = (statement: string) => db.prepare(statement);
    const entryOf = (id: string) =>
      sql(`SELECT json_extract(doc, '$.sequence') AS sequence, json_extract(doc, '$.actorId') AS actorId FROM "collection_activityStream"
           WHERE json_extract(doc, '$.objectId') = ? ORDER BY 1 LIMIT 1`).get(id) as { sequence: number; actorId: string } | undefined;
    const setActor = (sequence: number, actorId: string) =>
      sql(`UPDATE "collection_activityStream" SET doc = json_set(doc, '$.actorId', ?) WHERE json_extract(doc, '$.sequence') = ?`).run(
        actorId,
        sequence,
      );
    // The activity stream is a projection: wait until it holds this test's entry.
    await expect.poll(() => entryOf(clientId)).toBeDefined();
    const { sequence, actorId } = entryOf(clientId)!;
    try {
      setActor(sequence, "someone-innocent");
      await page.getByRole("button", { name: "Verify" }).click();
      await expect
        .poll(() => page.getByText(new RegExp(`The chain is broken at entry #${sequence} .*content altered`)).isVisible())
        .toBe(true);
    } finally {
      // The service is shared: the next test's chain is whole again.
      setActor(sequence, actorId);
      db.close();
    }
  });

  it("shows the revocation feed", async () => {
    const clientId = await givenClient("Revoking app");
    const key = await adminRequest(service(), "POST", `/api/v1/clientapplications/${clientId}/apikeys`, {
      name: "soon revoked",
      scopes: ["clientapps:read"],
      expiresOn: null,
    });
    await adminRequest(service(), "DELETE", `/api/v1/clientapplications/${clientId}/apikeys/${key.id as string}`);
    const { page } = await open();
    await signIn(page, service().adminToken);
    await page.getByRole("link", { name: "Revocation feed" }).click();
    await expect.poll(() => page.getByRole("row", { name: new RegExp(`${clientId} api key revoked`) }).isVisible()).toBe(true);
    await screenshot(page, "revocations");
  });
});
