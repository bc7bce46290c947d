import type { Route } from "../http/routes/defineRoute.js";
import { routesDocument } from "../http/routes/routesDocument.js";

/** The API's OpenAPI 3.1 document: every path and schema comes from the route declarations. */
export const buildOpenApiDocument = (routes: readonly Route[]): Record<string, unknown> =>
  routesDocument(routes, {
    info: {
      title: "clientapps",
      version: "1.0.0",
      description:
        "Event-sourced OAuth 2.0 client-application registry. Every change is an event; " +
        "reads follow a projection and wait for the caller's own writes. " +
        "A known path asked with a method it does not have answers 405 with an Allow header.",
    },
    servers: [{ url: "/" }],
    tags: [
      {
        name: "Workspaces",
        description: "The platform operator's API (platform:admin): onboard tenants, their admin tokens, suspension and deletion.",
      },
      {
        name: "Client applications",
        description: "Register and manage OAuth 2.0 client applications: awork's dialect, the API's own.",
      },
      {
        name: "AWX dialect",
        description: "Ansible AWX's /api/v2/applications/, with its discovery, over the same client applications.",
      },
      {
        name: "OAuth-apps dialect",
        description: "The OAuth-apps API of developer platforms (/oauth/apps), over the same client applications.",
      },
      { name: "Credentials", description: "Secret rotation with a grace period, API keys, introspection." },
      { name: "Dynamic registration", description: "RFC 7591 registration and RFC 7592 management, in the RFCs' snake_case." },
      { name: "Audit", description: "The hash-chained activity stream, the token-revocation feed and point-in-time history." },
      { name: "Operations", description: "Liveness, readiness and metrics." },
    ],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An admin token or API key, bound to one workspace; or, for /workspaces, the platform operator's token.",
        },
        registrationAccessToken: { type: "http", scheme: "bearer", description: "The registration access token of one client (RFC 7592)." },
        metricsToken: { type: "http", scheme: "bearer", description: "CLIENTAPPS_METRICS_TOKEN, for the Prometheus scraper." },
      },
    },
  });
