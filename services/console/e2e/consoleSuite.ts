import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import {
  adminRequest,
  focusedElement,
  launchBrowser,
  openConsole,
  startService,
  unique,
  type ConsolePage,
  type Service,
} from "./consoleHarness.js";

/**
 * One built service and one Chromium for the tests of a file, started before them and
 * stopped after, with every page they opened: call it inside the file's `describe`.
 */
export const consoleSuite = () => {
  let service: Service | undefined;
  let browser: Browser | undefined;
  const opened: ConsolePage[] = [];
  beforeAll(async () => {
    service = await startService();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const { context } of opened) await context.close();
    await browser?.close();
    await service?.stop();
  });
  const started = (): Service => {
    if (!service) throw new Error("the console suite's service is not started");
    return service;
  };
  return {
    service: started,
    open: async (viewport?: { width: number; height: number }, target: Service = started()) => {
      if (!browser) throw new Error("the console suite's browser is not started");
      const consolePage = await openConsole(browser, target, viewport);
      opened.push(consolePage);
      return consolePage;
    },
    /** A client made through the api, for tests about what the page shows of it. */
    givenClient: async (name: string) => {
      const clientId = unique("app");
      await adminRequest(started(), "POST", "/api/v1/clientapplications", {
        clientId,
        displayName: name,
        redirectUris: ["https://app.example.com/callback"],
      });
      return clientId;
    },
  };
};

/** What reached the clipboard of the page's context. */
export const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** Copies the secret or key shown once with its copy button, and answers what reached the clipboard. */
export const copyShownOnce = async (page: Page, button: string) => {
  await page.getByRole("button", { name: button }).click();
  await expect.poll(() => page.getByText("Copied to the clipboard.").isVisible()).toBe(true);
  return clipboard(page);
};

/** Presses Tab until the focus reaches the control of that name, checking that each stop on the way shows its focus. */
export const tabTo = async (page: Page, name: string | RegExp, key = "Tab") => {
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

export const createClient = async (page: Page, name: string, clientId: string, redirectUri = "https://app.example.com/callback") => {
  await page.getByRole("link", { name: "+ API Client" }).first().click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Client id").fill(clientId);
  await page.getByRole("textbox", { name: "Redirect URL 1", exact: true }).fill(redirectUri);
  await page.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => page.getByRole("heading", { name: `${name} is registered` }).isVisible()).toBe(true);
};

export const noSerious = async (page: Page) => {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => violation.id);
};
