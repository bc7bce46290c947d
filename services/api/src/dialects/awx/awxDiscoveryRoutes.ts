import { z } from "zod";
import { callerOf } from "../../auth/authenticate.js";
import { defineRoute, type Route } from "../../http/routes/defineRoute.js";
import { json } from "../../http/routes/routeResponses.js";
import { awxApplicationsPath, organizationOf } from "./awxApplication.js";
import { awxPage, awxTag } from "./awxSchemas.js";

const tags = [awxTag];

/** The AWX release whose API this dialect follows; AWX's clients read it from `/api/v2/ping/`. */
export const awxVersion = "24.6.1";

const AwxRoot = z.object({
  description: z.string(),
  current_version: z.string(),
  available_versions: z.object({ v2: z.string() }),
  custom_logo: z.string(),
  custom_login_info: z.string(),
  login_redirect_override: z.string(),
});

const AwxUser = z.object({
  id: z.number().int(),
  type: z.literal("user"),
  url: z.string(),
  username: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  email: z.string(),
  is_superuser: z.boolean(),
  is_system_auditor: z.boolean(),
  summary_fields: z.object({ organization: z.object({ id: z.number().int(), name: z.string(), description: z.string() }) }),
});

/**
 * What AWX's clients read before anything else: the API root, the v2 root (which
 * names the resources, only those served here), `ping/` and `me/`.
 */
export const awxDiscoveryRoutes = (): Route[] => [
  defineRoute({
    method: "get",
    path: "/api/",
    operationId: "awxApiRoot",
    tags,
    summary: "AWX's API root: the versions",
    access: "none",
    responses: { 200: { description: "The root", content: json(AwxRoot) } },
    handler: (_input, _request, response) => {
      response.json({
        description: "clientapps: AWX REST API dialect",
        current_version: "/api/v2/",
        available_versions: { v2: "/api/v2/" },
        custom_logo: "",
        custom_login_info: "",
        login_redirect_override: "",
      });
    },
  }),
  defineRoute({
    method: "get",
    path: "/api/v2/",
    operationId: "awxVersionRoot",
    tags,
    summary: "AWX's v2 root: the resources served",
    access: "none",
    responses: { 200: { description: "Resource name → path", content: json(z.record(z.string(), z.string())) } },
    handler: (_input, _request, response) => {
      response.json({ ping: "/api/v2/ping/", me: "/api/v2/me/", applications: awxApplicationsPath });
    },
  }),
  defineRoute({
    method: "get",
    path: "/api/v2/ping/",
    operationId: "awxPing",
    tags,
    summary: "AWX's ping: the version, without a credential",
    access: "none",
    responses: {
      200: {
        description: "Alive",
        content: json(
          z.object({
            ha: z.boolean(),
            version: z.string(),
            active_node: z.string(),
            instances: z.array(z.unknown()),
            instance_groups: z.array(z.unknown()),
          }),
        ),
      },
    },
    handler: (_input, _request, response) => {
      response.json({ ha: false, version: awxVersion, active_node: "clientapps", instances: [], instance_groups: [] });
    },
  }),
  defineRoute({
    method: "get",
    path: "/api/v2/me/",
    operationId: "awxMe",
    tags,
    summary: "The caller, as AWX's one-item list of users: its credential, and its workspace as organization",
    access: "read",
    responses: { 200: { description: "The caller", content: json(awxPage(AwxUser)) } },
    handler: (_input, _request, response) => {
      const caller = callerOf(response);
      response.setHeader("Cache-Control", "private, no-cache");
      response.json({
        count: 1,
        next: null,
        previous: null,
        results: [
          {
            id: 1,
            type: "user",
            url: "/api/v2/me/",
            username: caller.credentialId,
            first_name: "",
            last_name: "",
            email: "",
            is_superuser: caller.scopes.has("admin"),
            is_system_auditor: false,
            summary_fields: { organization: organizationOf(caller) },
          },
        ],
      });
    },
  }),
];
