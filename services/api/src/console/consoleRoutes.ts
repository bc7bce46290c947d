import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router, type Response } from "express";

/**
 * The console's built assets (services/console/dist). Both this file (src/console) and its build
 * (dist/console) sit three levels under services/, so one relative path serves tests and `pnpm start`.
 */
export const consoleAssetsDir = fileURLToPath(new URL("../../../console/dist/", import.meta.url));

/** No inline script or style, nothing framed, nothing fetched but from this origin. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const secured = (response: Response): Response =>
  response.set({
    "Content-Security-Policy": contentSecurityPolicy,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
  });

/**
 * `/console`: the single-page app, its hashed assets cached for long, and index.html for every other
 * path under /console so a reload of a deep link works. Without a build it says how to make one.
 */
export const consoleRoutes = (assetsDir = consoleAssetsDir): Router => {
  const router = Router();
  const index = join(assetsDir, "index.html");
  router.use("/console", (_request, response, next) => {
    secured(response);
    next();
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
