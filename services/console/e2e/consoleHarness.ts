import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startBuiltService } from "@clientapps/test-support";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const entry = join(repo, "services/standalone/dist/main.js");
export const chromiumPath = "/usr/bin/chromium";
export const screenshotsDir = join(repo, "docs/screenshots");
export const takeScreenshots = process.env.CONSOLE_SCREENSHOTS === "1";

/** Why the browser suite cannot run here, or undefined when it can. */
export const skipReason = (): string | undefined => {
  if (!existsSync(chromiumPath))
    return `${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests`;
  return undefined;
};

export type Service = Readonly<{ baseUrl: string; adminToken: string; dataDir: string; stop: () => Promise<void> }>;

/** The built service as `pnpm start` runs it, on a free port and a throwaway data directory, with these settings added. */
export const startService = async (env: Readonly<Record<string, string>> = {}): Promise<Service> => {
  const dataDir = mkdtempSync(join(tmpdir(), "clientapps-console-e2e-"));
  const adminToken = spawnSync(process.execPath, [entry, "admin-token"], { encoding: "utf8" }).stdout.trim();
  const service = await startBuiltService(entry, dataDir, {
    CLIENTAPPS_ADMIN_TOKEN: adminToken,
    CLIENTAPPS_SCHEDULER_INTERVAL_MS: "250",
    CLIENTAPPS_POLL_INTERVAL_MS: "50",
    ...env,
  });
  return {
    baseUrl: service.baseUrl,
    adminToken,
    dataDir,
    stop: async () => {
      await service.kill("SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });

export type ConsolePage = Readonly<{ context: BrowserContext; page: Page; consoleMessages: string[]; urls: string[] }>;

/** A fresh context (its own sessionStorage) allowed to use the clipboard, recording every console message and URL. */
export const openConsole = async (browser: Browser, service: Service, viewport = { width: 1280, height: 900 }): Promise<ConsolePage> => {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: service.baseUrl });
  const page = await context.newPage();
  const consoleMessages: string[] = [];
  const urls: string[] = [];
  page.on("console", (message) => consoleMessages.push(message.text()));
  page.on("pageerror", (error) => consoleMessages.push(error.message));
  page.on("framenavigated", (frame) => urls.push(frame.url()));
  page.on("request", (request) => urls.push(request.url()));
  await page.goto(`${service.baseUrl}/console/`);
  return { context, page, consoleMessages, urls };
};

export const signIn = async (page: Page, credential: string): Promise<void> => {
  await page.getByLabel("Admin token or API key").fill(credential);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
};

export const screenshot = async (page: Page, name: string): Promise<void> => {
  if (!takeScreenshots) return;
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
};

export const introspect = async (service: Service, body: Record<string, string>): Promise<{ active: boolean }> => {
  const response = await fetch(`${service.baseUrl}/api/v1/credentials/introspect`, {
    method: "POST",
    headers: { Authorization: `Bearer ${service.adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { active: boolean };
};

/** A client id (or name) no other test uses, so each test stands on what it made. */
export const unique = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;

/** A request to the api with the admin token, for what a test needs to exist before the page shows it. */
export const adminRequest = async (service: Service, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${service.adminToken}`,
      "Content-Type": "application/json",
      "Idempotency-Key": randomUUID(),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
};

/** Where the keyboard focus is: the focused element's accessible name, and whether a ring shows it. */
export const focusedElement = (page: Page): Promise<{ name: string; ringVisible: boolean }> =>
  page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement) || element === document.body) return { name: "", ringVisible: false };
    const labels = "labels" in element ? (element as HTMLInputElement).labels : null;
    const name = element.getAttribute("aria-label") ?? labels?.[0]?.textContent ?? element.textContent ?? "";
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 && style.outlineColor !== "rgba(0, 0, 0, 0)";
    return { name: name.trim(), ringVisible: outline || style.boxShadow !== "none" };
  });
