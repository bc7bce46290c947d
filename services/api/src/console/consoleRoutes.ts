import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { OidcConfig } from "@clientapps/runtime";
import express, { Router } from "express";

/**
 * The console's built assets (services/console/dist). Both this file (src/console) and its build
 * (dist/console) sit three levels under services/, so one relative path serves tests and `pnpm start`.
 */
export const consoleAssetsDir = fileURLToPath(new URL("../../../console/dist/", import.meta.url));

/**
 * No inline script or style, nothing framed, nothing fetched but from this origin, and from the identity
 * provider's origin only when the console signs in there (its discovery document and token endpoint).
 */
const contentSecurityPolicy = (connectOrigins: readonly string[]) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connectOrigins].join(" "),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

/** What the console reads at start: whether it offers single sign-on, and with which public client. Nothing secret. */
export type ConsoleConfig = Readonly<{
  singleSignOn:
    | Readonly<{ enabled: false }>
    | Readonly<{ enabled: true; issuer: string; clientId: string; scope: string; resource: string; providerName: string }>;
}>;

export const consoleConfigOf = (oidc: OidcConfig | undefined): ConsoleConfig => ({
  singleSignOn:
    oidc?.console === undefined
      ? { enabled: false }
      : {
          enabled: true,
          issuer: oidc.issuer,
          clientId: oidc.console.clientId,
          scope: oidc.console.scope,
          resource: oidc.audience,
          providerName: oidc.console.providerName,
        },
});

/**
 * `/console`: the single-page app, its hashed assets cached for long, and index.html for every other
 * path under /console so a reload of a deep link works. Without a build it says how to make one.
 */
export const consoleRoutes = (oidc?: OidcConfig, assetsDir = consoleAssetsDir): Router => {
  const router = Router();
  const index = join(assetsDir, "index.html");
  const config = consoleConfigOf(oidc);
  const headers = {
    "Content-Security-Policy": contentSecurityPolicy(config.singleSignOn.enabled ? [new URL(config.singleSignOn.issuer).origin] : []),
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
  };
  router.use("/console", (_request, response, next) => {
    response.set(headers);
    next();
  });
  router.get("/console/config.json", (_request, response) => {
    response.set("Cache-Control", "no-cache").json(config);
  });
  router.use("/console/assets", express.static(join(assetsDir, "assets"), { index: false, immutable: true, maxAge: "365d" }));
  router.use("/console/assets", (_request, response) => {
    response.status(404).type("text/plain").send("No such asset.\n");
  });
  router.get(["/console", "/console/{*path}"], (_request, response) => {
    if (!existsSync(index)) {
      response.status(404).type("text/plain").send("The console is not built: run pnpm --filter @clientapps/console build.\n");
      return;
    }
    response.set("Cache-Control", "no-cache").sendFile(index);
  });
  return router;
};
