import { describe, expect, it } from "vitest";
import { focusedElement, introspect, screenshot, signIn, skipReason, startService, unique } from "./consoleHarness.js";
import { clipboard, consoleSuite, copyShownOnce, createClient, tabTo } from "./consoleSuite.js";

const reason = skipReason();
if (reason) process.stdout.write(`console browser tests skipped: ${reason}\n`);

describe.skipIf(reason !== undefined)(
  "the console in Chromium: the guide's flows, by mouse and by keyboard, without leaking a secret",
  () => {
    const { service, open } = consoleSuite();

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
      await signIn(page, service().adminToken);
      await createClient(page, "Reporting job", unique("reporting"));
      await page.getByRole("link", { name: "Open Reporting job" }).click();
      await page.getByRole("link", { name: "Manage API Key" }).click();
      await page.getByRole("button", { name: "Add an API key" }).click();
      await page.getByLabel("Name", { exact: true }).fill("nightly export");
      await page.getByRole("button", { name: "Add key" }).click();
      await expect.poll(() => page.getByText("it will not be shown again").isVisible()).toBe(true);
      const key = await copyShownOnce(page, "Copy api key");
      expect(await introspect(service(), { token: key, token_type_hint: "api_key" })).toMatchObject({ active: true });
      await screenshot(page, "api-keys");

      await page.getByRole("button", { name: "Revoke nightly export" }).click();
      await page.getByRole("button", { name: "Yes, revoke" }).click();
      await expect.poll(() => page.getByRole("cell", { name: "revoked" }).isVisible()).toBe(true);
      expect(await introspect(service(), { token: key, token_type_hint: "api_key" })).toMatchObject({ active: false });
    });

    it("works from the keyboard alone: sign in, + API Client, Manage API Key, add a key and copy it, the focus always shown", async () => {
      const { page } = await open();
      const clientId = unique("keyboard");
      await page.getByLabel("Admin token or API key").waitFor();
      await tabTo(page, "Admin token or API key");
      await page.keyboard.type(service().adminToken);
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
      expect(await introspect(service(), { token: key ?? "", token_type_hint: "api_key" })).toMatchObject({ active: true });
    });

    it("never puts a secret in a URL or the browser console, and forgets the session on sign-out", async () => {
      const watched = await open();
      const { page } = watched;
      await signIn(page, service().adminToken);
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
      for (const value of [...handedOut, service().adminToken]) {
        expect(watched.urls.filter((url) => url.includes(value))).toEqual([]);
        expect(watched.consoleMessages.filter((message) => message.includes(value))).toEqual([]);
        expect(await page.content()).not.toContain(value);
      }
      expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByLabel("Admin token or API key").waitFor();
      expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(service().adminToken);
    });
  },
);
