import { createRequire } from "node:module";
import { dirname } from "node:path";
import express, { Router } from "express";
import type { Route } from "../http/routes/defineRoute.js";
import { buildOpenApiDocument } from "./openApiDocument.js";

// The package's folder, found through its package.json: its main module would load (parse and
// compile) the whole Swagger UI bundle into the service at start, only to give this path.
const swaggerUiPath = (): string => dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const docsPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>clientapps API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

// Kept out of the page so a strict Content-Security-Policy (no inline scripts) holds.
const initScript =
  'window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", ' + "deepLinking: true, persistAuthorization: false });";

/** `GET /openapi.json`, and `/docs` rendering it with Swagger UI served from our own package (works offline). */
export const openApiRoutes = (routes: readonly Route[]): Router => {
  const router = Router();
  const document = JSON.stringify(buildOpenApiDocument(routes));
  router.get("/openapi.json", (_request, response) => {
    response.type("application/json").send(document);
  });
  router.get("/docs", (_request, response) => {
    response
      .set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
      .type("html")
      .send(docsPage);
  });
  router.get("/docs/init.js", (_request, response) => {
    response.type("application/javascript").send(initScript);
  });
  router.use("/docs/assets", express.static(swaggerUiPath(), { index: false, maxAge: "1h" }));
  return router;
};
