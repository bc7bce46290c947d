import AxeBuilder from "@axe-core/playwright";
import Database from "better-sqlite3";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  introspect,
  launchBrowser,
  openConsole,
  screenshot,
  signIn,
  skipReason,
  startService,
  type ConsolePage,
  type Service,
} from "./consoleHarness.js";

const reason = skipReason();
if (reason) process.stdout.write(`console browser tests skipped: ${reason}\n`);

let service: Service;
let browser: Browser;
const opened: ConsolePage[] = [];
const open = async (viewport?: { width: number; height: number }) => {
  const consolePage = await openConsole(browser, service, viewport);
  opened.push(consolePage);
  return consolePage;
};
const secretsHandedOut: string[] = [];

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

const createClient = async (page: Page, name: string, clientId: string, redirectUri = "https://app.example.com/callback") => {
  await page.getByRole("link", { name: "+ API Client" }).first().click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Client id").fill(clientId);
  await page.getByRole("textbox", { name: "Redirect URL 1", exact: true }).fill(redirectUri);
  await page.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => page.getByRole("heading", { name: `${name} is registered` }).isVisible()).toBe(true);
};

const noSerious = async (page: Page) => {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => violation.id);
};

describe.skipIf(reason !== undefined)("the console in Chromium, against the built service", () => {
  beforeAll(async () => {
    service = await startService();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const { context } of opened) await context.close();
    await browser?.close();
    await service?.stop();
  });

  it("follows the guide: + API Client, copy the secret, and it works against introspection", async () => {
    const { page } = await open();
    await signIn(page, service.adminToken);
    await expect.poll(() => page.getByText("No client applications yet.").isVisible()).toBe(true);
    await screenshot(page, "empty-list");

    await page.getByRole("link", { name: "+ API Client" }).first().click();
    await page.getByRole("textbox", { name: "Redirect URL 1", exact: true }).fill("http://localhost:8080/cb");
    await expect.poll(() => page.getByText("use the loopback IP literal 127.0.0.1").isVisible()).toBe(true);
    await page.getByLabel("Name", { exact: true }).fill("Awork integration");
    await page.getByLabel("Client id").fill("integration");
    await page.getByRole("textbox", { name: "Redirect URL 1", exact: true }).fill("https://app.example.com/callback");
    await screenshot(page, "create");
    await page.getByRole("button", { name: "Save" }).click();

    await expect.poll(() => page.getByText("it will not be shown again").isVisible()).toBe(true);
    await screenshot(page, "secret-once");
    await page.getByRole("button", { name: "Copy client secret" }).click();
    await expect.poll(() => page.getByText("Copied to the clipboard.").isVisible()).toBe(true);
    const secret = await clipboard(page);
    secretsHandedOut.push(secret);
    expect(secret).toMatch(/^ca_/);
    expect(await introspect(service, { token: secret, client_id: "integration", token_type_hint: "client_secret" })).toMatchObject({
      active: true,
    });

    // The id is taken now: the server's 409 is shown on the field.
    await page.getByRole("link", { name: "Client applications" }).click();
    await page.getByRole("link", { name: "+ API Client" }).first().click();
    await page.getByLabel("Name", { exact: true }).fill("Another");
    await page.getByLabel("Client id").fill("integration");
    await page.getByRole("textbox", { name: "Redirect URL 1", exact: true }).fill("https://other.example.com/cb");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByText("This client id is taken").isVisible()).toBe(true);

    // Navigating away leaves no secret on the page.
    await page.getByRole("link", { name: "Client applications" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Awork integration" }).isVisible()).toBe(true);
    await screenshot(page, "list");
    expect(await page.content()).not.toContain(secret);
  });

  it("follows the guide without user login: Manage API Key, +, copy the key, and it works", async () => {
    const { page } = await open();
    await signIn(page, service.adminToken);
    await createClient(page, "Reporting job", "reporting");
    await page.getByRole("link", { name: "Open Reporting job" }).click();
    await page.getByRole("link", { name: "Manage API Key" }).click();
    await page.getByRole("button", { name: "Add an API key" }).click();
    await page.getByLabel("Name", { exact: true }).fill("nightly export");
    await page.getByRole("button", { name: "Add key" }).click();
    await expect.poll(() => page.getByText("it will not be shown again").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Copy api key" }).click();
    await expect.poll(() => page.getByText("Copied to the clipboard.").isVisible()).toBe(true);
    const key = await clipboard(page);
    secretsHandedOut.push(key);
    expect(await introspect(service, { token: key, token_type_hint: "api_key" })).toMatchObject({ active: true });
    await screenshot(page, "api-keys");

    await page.getByRole("button", { name: "Revoke nightly export" }).click();
    await page.getByRole("button", { name: "Yes, revoke" }).click();
    await expect.poll(() => page.getByRole("cell", { name: "revoked" }).isVisible()).toBe(true);
    expect(await introspect(service, { token: key, token_type_hint: "api_key" })).toMatchObject({ active: false });
  });

  it("has no serious or critical accessibility violation on each main page, at 375 px and on the desktop", async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 375, height: 800 },
    ]) {
      const { page } = await open(viewport);
      expect(await noSerious(page), "sign-in").toEqual([]);
      await signIn(page, service.adminToken);
      await expect.poll(() => page.getByRole("link", { name: "Awork integration" }).isVisible()).toBe(true);
      expect(await noSerious(page), "list").toEqual([]);
      await page.getByRole("link", { name: "+ API Client" }).first().click();
      expect(await noSerious(page), "create").toEqual([]);
      for (const tab of ["settings", "credentials", "apikeys", "activity", "history", "registration"]) {
        await page.goto(`${service.baseUrl}/console/clients/integration/${tab}`);
        await page.getByRole("heading", { name: /Awork integration/ }).waitFor();
        expect(await noSerious(page), tab).toEqual([]);
      }
      await page.getByRole("link", { name: "Activity", exact: true }).first().click();
      await page.getByRole("heading", { name: "Workspace activity" }).waitFor();
      expect(await noSerious(page), "activity").toEqual([]);
      await page.getByRole("link", { name: "Revocation feed" }).click();
      await page.getByRole("heading", { name: "Revocation feed" }).waitFor();
      expect(await noSerious(page), "revocations").toEqual([]);
      if (viewport.width === 375) await screenshot(page, "mobile-revocations");
    }
  });

  it("rotates with a short grace period: the countdown ends and the old secret stops working", async () => {
    const { page } = await open();
    await signIn(page, service.adminToken);
    await createClient(page, "Rotating app", "rotating");
    await page.getByRole("button", { name: "Copy client secret" }).click();
    await expect.poll(() => page.getByText("Copied to the clipboard.").isVisible()).toBe(true);
    const oldSecret = await clipboard(page);
    secretsHandedOut.push(oldSecret);
    await page.getByRole("link", { name: "Open Rotating app" }).click();
    await page.getByRole("link", { name: "Credentials" }).click();
    await page.getByLabel("How long the old secret keeps working").selectOption("custom");
    await page.getByLabel("Seconds (0 to 604800)").fill("3");
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await expect.poll(() => page.getByRole("timer").isVisible()).toBe(true);
    await screenshot(page, "credentials-countdown");
    expect(await introspect(service, { token: oldSecret, client_id: "rotating", token_type_hint: "client_secret" })).toMatchObject({
      active: true,
    });
    await expect.poll(() => page.getByText("Stopped working").isVisible(), { timeout: 20_000 }).toBe(true);
    await expect
      .poll(async () => (await introspect(service, { token: oldSecret, client_id: "rotating", token_type_hint: "client_secret" })).active, {
        timeout: 20_000,
      })
      .toBe(false);
    await page.getByRole("button", { name: "Copy new client secret" }).click();
    const newSecret = await clipboard(page);
    secretsHandedOut.push(newSecret);
    expect(await introspect(service, { token: newSecret, client_id: "rotating", token_type_hint: "client_secret" })).toMatchObject({
      active: true,
    });
  });

  it("shows an edit in one browser live in another's activity tab, and a stale edit gets the conflict screen", async () => {
    const first = (await open()).page;
    const second = (await open()).page;
    await signIn(first, service.adminToken);
    await signIn(second, service.adminToken);
    await createClient(first, "Shared app", "shared");
    await first.goto(`${service.baseUrl}/console/clients/shared/settings`);
    await second.goto(`${service.baseUrl}/console/clients/shared/settings`);
    await second.getByLabel("Name", { exact: true }).waitFor();
    await first.getByRole("link", { name: "Activity", exact: true }).last().click();
    await expect.poll(() => first.getByText("Live: new entries appear").isVisible()).toBe(true);

    const editor = (await open()).page;
    await signIn(editor, service.adminToken);
    await editor.goto(`${service.baseUrl}/console/clients/shared/settings`);
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
    const stored = await fetch(`${service.baseUrl}/api/v1/clientapplications/shared`, {
      headers: { Authorization: `Bearer ${service.adminToken}` },
    });
    expect(await stored.json()).toMatchObject({ displayName: "Shared app, renamed", description: "edited on a stale page" });
  });

  it("names the altered entry when Verify finds the stored activity stream edited", async () => {
    const { page } = await open();
    await signIn(page, service.adminToken);
    await page.getByRole("link", { name: "Activity", exact: true }).first().click();
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByText("The chain is intact").isVisible()).toBe(true);
    await screenshot(page, "activity");

    const db = new Database(join(service.dataDir, "read-models.sqlite"));
    try {
      db.prepare(
        `UPDATE "collection_activityStream" SET doc = json_set(doc, '$.actorId', 'someone-innocent') WHERE json_extract(doc, '$.sequence') = 2`,
      ).run();
    } finally {
      db.close();
    }
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByText(/The chain is broken at entry #2 .*content altered/).isVisible()).toBe(true);
  });

  it("shows the revocation feed", async () => {
    const { page } = await open();
    await signIn(page, service.adminToken);
    await page.getByRole("link", { name: "Revocation feed" }).click();
    await expect.poll(() => page.getByRole("cell", { name: "api key revoked" }).first().isVisible()).toBe(true);
    await screenshot(page, "revocations");
  });

  it("never puts a secret in a URL or the browser console, and forgets the session on sign-out", async () => {
    expect(secretsHandedOut.length).toBeGreaterThanOrEqual(4);
    for (const { urls, consoleMessages } of opened) {
      for (const secret of [...secretsHandedOut, service.adminToken]) {
        expect(urls.filter((url) => url.includes(secret))).toEqual([]);
        expect(consoleMessages.filter((message) => message.includes(secret))).toEqual([]);
      }
    }
    const { page } = await open();
    await signIn(page, service.adminToken);
    expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin token or API key").waitFor();
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(service.adminToken);
  });
});
