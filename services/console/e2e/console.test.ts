import AxeBuilder from "@axe-core/playwright";
import Database from "better-sqlite3";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminRequest,
  focusedElement,
  introspect,
  launchBrowser,
  openConsole,
  screenshot,
  signIn,
  skipReason,
  startService,
  unique,
  type ConsolePage,
  type Service,
} from "./consoleHarness.js";

const reason = skipReason();
if (reason) process.stdout.write(`console browser tests skipped: ${reason}\n`);

let service: Service;
let browser: Browser;
const opened: ConsolePage[] = [];
const open = async (viewport?: { width: number; height: number }, target: Service = service) => {
  const consolePage = await openConsole(browser, target, viewport);
  opened.push(consolePage);
  return consolePage;
};

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** Copies the secret or key shown once with its copy button, and answers what reached the clipboard. */
const copyShownOnce = async (page: Page, button: string) => {
  await page.getByRole("button", { name: button }).click();
  await expect.poll(() => page.getByText("Copied to the clipboard.").isVisible()).toBe(true);
  return clipboard(page);
};

/** A client made through the api, for tests about what the page shows of it. */
const givenClient = async (name: string) => {
  const clientId = unique("app");
  await adminRequest(service, "POST", "/api/v1/clientapplications", {
    clientId,
    displayName: name,
    redirectUris: ["https://app.example.com/callback"],
  });
  return clientId;
};

/** Presses Tab until the focus reaches the control of that name, checking that each stop on the way shows its focus. */
const tabTo = async (page: Page, name: string | RegExp, key = "Tab") => {
  const passed: string[] = [];
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press(key);
    const focused = await focusedElement(page);
    expect(focused.ringVisible, `the focus on "${focused.name}" shows no ring`).toBe(true);
    if (typeof name === "string" ? focused.name === name : name.test(focused.name)) return;
    passed.push(focused.name);
  }
  throw new Error(`the keyboard never reached "${String(name)}"; it went through ${JSON.stringify(passed)}`);
};

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
    // Its own service: the guide starts from a workspace with no client yet.
    const fresh = await startService();
    try {
      const { page } = await open(undefined, fresh);
      await signIn(page, fresh.adminToken);
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
      const secret = await copyShownOnce(page, "Copy client secret");
      expect(secret).toMatch(/^ca_/);
      expect(await introspect(fresh, { token: secret, client_id: "integration", token_type_hint: "client_secret" })).toMatchObject({
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
    } finally {
      await fresh.stop();
    }
  });

  it("follows the guide without user login: Manage API Key, +, copy the key, and it works", async () => {
    const { page } = await open();
    await signIn(page, service.adminToken);
    await createClient(page, "Reporting job", unique("reporting"));
    await page.getByRole("link", { name: "Open Reporting job" }).click();
    await page.getByRole("link", { name: "Manage API Key" }).click();
    await page.getByRole("button", { name: "Add an API key" }).click();
    await page.getByLabel("Name", { exact: true }).fill("nightly export");
    await page.getByRole("button", { name: "Add key" }).click();
    await expect.poll(() => page.getByText("it will not be shown again").isVisible()).toBe(true);
    const key = await copyShownOnce(page, "Copy api key");
    expect(await introspect(service, { token: key, token_type_hint: "api_key" })).toMatchObject({ active: true });
    await screenshot(page, "api-keys");

    await page.getByRole("button", { name: "Revoke nightly export" }).click();
    await page.getByRole("button", { name: "Yes, revoke" }).click();
    await expect.poll(() => page.getByRole("cell", { name: "revoked" }).isVisible()).toBe(true);
    expect(await introspect(service, { token: key, token_type_hint: "api_key" })).toMatchObject({ active: false });
  });

  it("works from the keyboard alone: sign in, + API Client, Manage API Key, add a key and copy it, the focus always shown", async () => {
    const { page } = await open();
    const clientId = unique("keyboard");
    await page.getByLabel("Admin token or API key").waitFor();
    await tabTo(page, "Admin token or API key");
    await page.keyboard.type(service.adminToken);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Sign out" }).waitFor();

    await tabTo(page, "+ API Client");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "+ API Client" }).waitFor();
    await tabTo(page, "Name");
    await page.keyboard.type("Keyboard app");
    await tabTo(page, "Client id");
    await page.keyboard.type(clientId);
    await tabTo(page, "Redirect URL 1");
    await page.keyboard.type("https://app.example.com/callback");
    await tabTo(page, "Save");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Keyboard app is registered" }).waitFor();

    const secret = await page.getByTestId("one-time-secret").textContent();
    await tabTo(page, "Copy client secret");
    await page.keyboard.press("Space");
    await expect.poll(() => page.getByText("Copied to the clipboard.").isVisible()).toBe(true);
    expect(await clipboard(page)).toBe(secret);

    await tabTo(page, "Open Keyboard app");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /Keyboard app/ }).waitFor();
    await tabTo(page, "Manage API Key");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    await tabTo(page, "Add an API key");
    await page.keyboard.press("Enter");
    await page.getByRole("form", { name: "New API key" }).waitFor();
    // The form opens with the focus on its first field.
    expect(await focusedElement(page)).toEqual({ name: "Name", ringVisible: true });
    await page.keyboard.type("keyboard export");
    await tabTo(page, "Add key");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByText("it will not be shown again").isVisible()).toBe(true);

    const key = await page.getByTestId("one-time-secret").textContent();
    await tabTo(page, "Copy api key");
    await page.keyboard.press("Space");
    await expect.poll(() => page.getByText("Copied to the clipboard.").isVisible()).toBe(true);
    expect(await clipboard(page)).toBe(key);
    expect(await introspect(service, { token: key ?? "", token_type_hint: "api_key" })).toMatchObject({ active: true });
  });

  it("shows an RFC 7591 client's registration metadata and its token's fingerprint, never the token", async () => {
    const registered = await adminRequest(service, "POST", "/api/v1/clientapplications/register", {
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
    await signIn(page, service.adminToken);
    await page.goto(`${service.baseUrl}/console/clients/${clientId}/registration`);

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
    await page.goto(`${service.baseUrl}/console/clients/${adminMade}/registration`);
    await expect.poll(() => page.getByText("registered by an administrator, not through RFC 7591").isVisible()).toBe(true);
  });

  it("has no serious or critical accessibility violation on each main page, at 375 px and on the desktop", async () => {
    const clientId = await givenClient("Accessible app");
    const registered = await adminRequest(service, "POST", "/api/v1/clientapplications/register", {
      client_name: "Accessible self-registered app",
      redirect_uris: ["https://self.example.com/callback"],
      contacts: ["ops@self.example.com"],
    });
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 375, height: 800 },
    ]) {
      const { page } = await open(viewport);
      expect(await noSerious(page), "sign-in").toEqual([]);
      await signIn(page, service.adminToken);
      await expect.poll(() => page.getByRole("link", { name: "Accessible app" }).isVisible()).toBe(true);
      expect(await noSerious(page), "list").toEqual([]);
      await page.getByRole("link", { name: "+ API Client" }).first().click();
      expect(await noSerious(page), "create").toEqual([]);
      for (const tab of ["settings", "credentials", "apikeys", "activity", "history", "registration"]) {
        await page.goto(`${service.baseUrl}/console/clients/${clientId}/${tab}`);
        await page.getByRole("heading", { name: /Accessible app/ }).waitFor();
        expect(await noSerious(page), tab).toEqual([]);
      }
      await page.goto(`${service.baseUrl}/console/clients/${registered.client_id as string}/registration`);
      await page.getByRole("heading", { name: "Dynamic registration (RFC 7591)" }).waitFor();
      expect(await noSerious(page), "registration metadata").toEqual([]);
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
    const clientId = unique("rotating");
    await signIn(page, service.adminToken);
    await createClient(page, "Rotating app", clientId);
    const oldSecret = await copyShownOnce(page, "Copy client secret");
    await page.getByRole("link", { name: "Open Rotating app" }).click();
    await page.getByRole("link", { name: "Credentials" }).click();
    await page.getByLabel("How long the old secret keeps working").selectOption("custom");
    await page.getByLabel("Seconds (0 to 604800)").fill("3");
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await expect.poll(() => page.getByRole("timer").isVisible()).toBe(true);
    await screenshot(page, "credentials-countdown");
    expect(await introspect(service, { token: oldSecret, client_id: clientId, token_type_hint: "client_secret" })).toMatchObject({
      active: true,
    });
    await expect.poll(() => page.getByText("Stopped working").isVisible(), { timeout: 20_000 }).toBe(true);
    await expect
      .poll(async () => (await introspect(service, { token: oldSecret, client_id: clientId, token_type_hint: "client_secret" })).active, {
        timeout: 20_000,
      })
      .toBe(false);
    const newSecret = await copyShownOnce(page, "Copy new client secret");
    expect(await introspect(service, { token: newSecret, client_id: clientId, token_type_hint: "client_secret" })).toMatchObject({
      active: true,
    });
  });

  it("shows an edit in one browser live in another's activity tab, and a stale edit gets the conflict screen", async () => {
    const first = (await open()).page;
    const second = (await open()).page;
    await signIn(first, service.adminToken);
    await signIn(second, service.adminToken);
    const clientId = unique("shared");
    await createClient(first, "Shared app", clientId);
    await first.goto(`${service.baseUrl}/console/clients/${clientId}/settings`);
    await second.goto(`${service.baseUrl}/console/clients/${clientId}/settings`);
    await second.getByLabel("Name", { exact: true }).waitFor();
    await first.getByRole("link", { name: "Activity", exact: true }).last().click();
    await expect.poll(() => first.getByText("Live: new entries appear").isVisible()).toBe(true);

    const editor = (await open()).page;
    await signIn(editor, service.adminToken);
    await editor.goto(`${service.baseUrl}/console/clients/${clientId}/settings`);
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
    expect(await adminRequest(service, "GET", `/api/v1/clientapplications/${clientId}`)).toMatchObject({
      displayName: "Shared app, renamed",
      description: "edited on a stale page",
    });
  });

  it("names the altered entry when Verify finds the stored activity stream edited", async () => {
    const clientId = await givenClient("Audited app");
    const { page } = await open();
    await signIn(page, service.adminToken);
    await page.getByRole("link", { name: "Activity", exact: true }).first().click();
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByText("The chain is intact").isVisible()).toBe(true);
    await screenshot(page, "activity");

    const db = new Database(join(service.dataDir, "read-models.sqlite"));
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
    const key = await adminRequest(service, "POST", `/api/v1/clientapplications/${clientId}/apikeys`, {
      name: "soon revoked",
      scopes: ["clientapps:read"],
      expiresOn: null,
    });
    await adminRequest(service, "DELETE", `/api/v1/clientapplications/${clientId}/apikeys/${key.id as string}`);
    const { page } = await open();
    await signIn(page, service.adminToken);
    await page.getByRole("link", { name: "Revocation feed" }).click();
    await expect.poll(() => page.getByRole("row", { name: new RegExp(`${clientId} api key revoked`) }).isVisible()).toBe(true);
    await screenshot(page, "revocations");
  });

  it("never puts a secret in a URL or the browser console, and forgets the session on sign-out", async () => {
    const watched = await open();
    const { page } = watched;
    await signIn(page, service.adminToken);
    await createClient(page, "Leak-checked app", unique("leaks"));
    const secret = await copyShownOnce(page, "Copy client secret");
    await page.getByRole("link", { name: "Open Leak-checked app" }).click();
    await page.getByRole("link", { name: "Manage API Key" }).click();
    await page.getByRole("button", { name: "Add an API key" }).click();
    await page.getByLabel("Name", { exact: true }).fill("watched key");
    await page.getByRole("button", { name: "Add key" }).click();
    const key = await copyShownOnce(page, "Copy api key");
    await page.getByRole("link", { name: "Credentials" }).click();
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotated = await copyShownOnce(page, "Copy new client secret");
    await page.getByRole("link", { name: "Client applications" }).first().click();
    await page.getByRole("link", { name: "Leak-checked app" }).waitFor();

    const handedOut = [secret, key, rotated];
    expect(handedOut.every((value) => value.startsWith("ca_"))).toBe(true);
    expect(watched.urls.length).toBeGreaterThan(0);
    for (const value of [...handedOut, service.adminToken]) {
      expect(watched.urls.filter((url) => url.includes(value))).toEqual([]);
      expect(watched.consoleMessages.filter((message) => message.includes(value))).toEqual([]);
      expect(await page.content()).not.toContain(value);
    }
    expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin token or API key").waitFor();
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(service.adminToken);
  });
});
