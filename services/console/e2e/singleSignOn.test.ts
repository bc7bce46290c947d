import { startIdentityProvider, type IdentityProvider } from "@clientapps/test-support/identityProvider";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openConsole, skipReason, startService, unique, type ConsolePage, type Service } from "./consoleHarness.js";
import { createClient, noSerious } from "./consoleSuite.js";

const reason = skipReason();
if (reason) process.stdout.write(`console single sign-on browser tests skipped: ${reason}\n`);

const audience = "https://clientapps.test/api";
const consoleClientId = "registry-console-spa";
// The bootstrap admin token's workspace (CLIENTAPPS_ADMIN_WORKSPACE's default): onboarded, so a token for it is let in.
const ada = { sub: "ada-7f3e", name: "Ada Lovelace", email: "ada@example.com", workspaceId: "default", permissions: ["clientapps:write"] };
// A person the provider knows, for a workspace the registry was never told of.
const eve = { sub: "eve-0b21", name: "Eve", workspaceId: "not-onboarded", permissions: ["clientapps:write"] };

describe.skipIf(reason !== undefined)("the console's single sign-on in Chromium, at a real identity provider", () => {
  let idp: IdentityProvider | undefined;
  let service: Service | undefined;
  let browser: Browser | undefined;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    const first = await startIdentityProvider({ audience, users: [ada, eve], service: { workspaceId: "default", permissions: [] } });
    idp = first;
    service = await startService({
      CLIENTAPPS_OIDC_ISSUER: first.issuer,
      CLIENTAPPS_OIDC_AUDIENCE: audience,
      CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID: consoleClientId,
      CLIENTAPPS_OIDC_CONSOLE_PROVIDER_NAME: "Acme ID",
      CLIENTAPPS_OIDC_CONSOLE_SCOPE: "openid profile email clientapps:write",
    });
    // The console's redirect URI is known once the service listens: the provider registers it then, on the same port.
    idp = await first.restartWith(first.keys, {
      publicClient: { clientId: consoleClientId, redirectUris: [`${service.baseUrl}/console/callback`] },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const { context } of opened) await context.close();
    await browser?.close();
    await service?.stop();
    await idp?.stop();
  });

  const open = async () => {
    if (!browser || !service) throw new Error("the single sign-on suite did not start");
    const consolePage = await openConsole(browser, service);
    opened.push(consolePage);
    return consolePage;
  };

  it("signs a person in at the provider, acts as them, and keeps their token out of the address bar and the console", async () => {
    const { page, consoleMessages, urls } = await open();
    await page.getByRole("button", { name: "Sign in with Acme ID" }).waitFor();
    expect(await noSerious(page)).toEqual([]);
    await page.getByRole("button", { name: "Sign in with Acme ID" }).click();
    // The provider's own login form.
    await page.locator('input[name="login"]').fill(ada.sub);
    await page.locator('input[name="password"]').fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();

    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await expect.poll(() => page.getByText(`Signed in as ${ada.name} <${ada.email}>`).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/console/");
    expect(page.url()).not.toMatch(/code=|state=/);
    const stored = await page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
    expect(stored.local).toEqual({});
    const session = JSON.parse(stored.session["clientapps.console.session"] ?? "{}") as { credential?: string; method?: string };
    expect(session.method).toBe("singleSignOn");
    const token = session.credential ?? "";
    // An RFC 9068 access token for the registry, issued by the provider.
    expect(token.split(".")).toHaveLength(3);
    expect(stored.session["clientapps.console.singleSignOn"]).toBeUndefined();

    const name = unique("Signed-in app");
    await createClient(page, name, unique("sso"));
    await page.getByRole("link", { name: "Activity" }).first().click();
    await expect.poll(() => page.getByText(`by user ${ada.name} <${ada.email}>`).first().isVisible()).toBe(true);

    // The token never went through an address, nor reached a console message.
    expect(urls.some((url) => url.includes(token))).toBe(false);
    expect(consoleMessages.some((message) => message.includes(token))).toBe(false);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in with Acme ID" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("clientapps.console.session"))).toBeNull();
  });

  it("shows plainly why the provider did not sign a person in, and stays signed out", async () => {
    const { page } = await open();
    if (!service || !idp) throw new Error("the single sign-on suite did not start");
    const authorization = page.waitForRequest((request) => request.url().startsWith(`${idp?.issuer}/auth?`));
    await page.getByRole("button", { name: "Sign in with Acme ID" }).click();
    const asked = new URL((await authorization).url()).searchParams;
    expect(asked.get("code_challenge_method")).toBe("S256");
    expect(asked.get("resource")).toBe(audience);
    const state = asked.get("state") ?? "";
    expect(state).not.toBe("");
    await page.locator('input[name="login"]').waitFor();
    // The provider answers the redirect URI with an error instead of a code, as it does when a person declines.
    const denied = new URLSearchParams({ error: "access_denied", error_description: "the person declined", state, iss: idp.issuer });
    await page.goto(`${service.baseUrl}/console/callback?${denied.toString()}`);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("access_denied: the person declined");
    expect(new URL(page.url()).search).toBe("");
    expect(await page.evaluate(() => sessionStorage.getItem("clientapps.console.session"))).toBeNull();
    await page.getByRole("button", { name: "Sign in with Acme ID" }).waitFor();
  });

  it("explains a token the registry refuses instead of signing the person in", async () => {
    const { page } = await open();
    await page.getByRole("button", { name: "Sign in with Acme ID" }).click();
    await page.locator('input[name="login"]').fill(eve.sub);
    await page.locator('input[name="password"]').fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/^The registry did not accept the identity provider's token/);
    expect(await page.evaluate(() => sessionStorage.getItem("clientapps.console.session"))).toBeNull();
    expect(new URL(page.url()).search).toBe("");
  });
});
