import { randomUUID } from "node:crypto";
import { clientApplicationsCheckpoint, clientApplicationViewId } from "@clientapps/client-read-models";
import type { ClientApplication } from "@clientapps/domain";
import type { Response } from "express";
import { z } from "zod";
import { callerOf } from "../../auth/authenticate.js";
import {
  PostHeaders,
  ReadHeaders,
  WriteHeaders,
  type ClientApplicationRouteDependencies,
} from "../../clientApplications/clientApplicationRoutes.js";
import { executeClientCommand, type Executed } from "../../commands/executeClientCommand.js";
import { freshClientSecret } from "../../commands/freshCredential.js";
import { sendWritten } from "../../commands/sendWritten.js";
import { etagOf } from "../../http/conditional.js";
import { minPosition } from "../../http/minPosition.js";
import { Problems } from "../../http/problem.js";
import { defineRoute, type Route } from "../../http/routes/defineRoute.js";
import { ETagHeader } from "../../http/routes/routeHeaders.js";
import { json, notFound, preconditionFailed, problem, writtenHeaders } from "../../http/routes/routeResponses.js";
import { CreatedOauthApp, CreateOauthAppRequest, ListOauthAppsQuery, OauthApp, UpdateOauthAppRequest } from "./oauthAppSchemas.js";

export const oauthAppsTag = "OAuth-apps dialect";
const tags = [oauthAppsTag];
const collection = "/oauth/apps";
const item = "/oauth/apps/{clientId}";
const appPath = (clientId: string): string => `${collection}/${encodeURIComponent(clientId)}`;

const Params = z.object({ clientId: z.string().min(1) });

export const toOauthApp = (client: ClientApplication): OauthApp => ({
  clientId: client.clientId,
  name: client.displayName,
  description: client.description,
  redirectUri: client.redirectUris[0] ?? null,
  scopes: [...client.scopes],
  isActive: client.isActive,
  createdAt: client.createdOn,
  updatedAt: client.updatedOn,
});

const adminsOnly = problem("Only admins change apps: the credential lacks the admin scope");

/** As that API documents it: only owners and admins change apps, so a credential with write access alone is refused. */
const requireAdmin = (response: Response): void => {
  if (!callerOf(response).scopes.has("admin")) throw Problems.forbidden("admin");
};

const sendApp = (response: Response, status: number, executed: Executed, extra: Record<string, unknown> = {}): void =>
  sendWritten(response, status, executed, extra, toOauthApp);

/**
 * The OAuth-apps API at `/oauth/apps`, over the same commands, events and read models
 * as `/api/v1/clientapplications`. Every app is a confidential client with one redirect URI.
 */
export const oauthAppRoutes = (deps: ClientApplicationRouteDependencies): Route[] => [
  defineRoute({
    method: "get",
    path: collection,
    operationId: "oauthAppsList",
    tags,
    summary: "List the workspace's apps",
    access: "read",
    query: ListOauthAppsQuery,
    headers: ReadHeaders,
    responses: {
      200: {
        description: "One page, by client id; the next one is in the Link header (rel=next)",
        headers: z.object({ Link: z.string().optional() }),
        content: json(z.array(OauthApp)),
      },
    },
    handler: async ({ query }, request, response) => {
      const caller = callerOf(response);
      await deps.readYourWrites.waitFor(caller.credentialId, clientApplicationsCheckpoint, minPosition(request));
      const page = await deps.views.find({
        where: { workspaceId: caller.workspaceId, deleted: false },
        orderBy: { field: "clientId", direction: "asc" },
        limit: query.limit,
        cursor: query.cursor,
      });
      if (page.nextCursor) {
        const next = new URLSearchParams({ limit: String(query.limit), cursor: page.nextCursor });
        response.setHeader("Link", `<${collection}?${next.toString()}>; rel="next"`);
      }
      response.setHeader("Cache-Control", "private, no-cache");
      response.json(page.items.map((stored) => toOauthApp(stored.document)));
    },
  }),
  defineRoute({
    method: "post",
    path: collection,
    operationId: "oauthAppsCreate",
    tags,
    summary: "Create an app; its client id and secret are made here and never change",
    access: "write",
    idempotent: true,
    headers: PostHeaders,
    body: { schema: CreateOauthAppRequest, contentTypes: ["application/json"], required: true },
    responses: {
      201: {
        description: "Created; `clientSecret` this once",
        headers: writtenHeaders.extend({ Location: z.string() }),
        content: json(CreatedOauthApp),
      },
      403: adminsOnly,
    },
    handler: async ({ body }, request, response) => {
      requireAdmin(response);
      const clientId = randomUUID().replaceAll("-", "");
      let clientSecret = "";
      const executed = await executeClientCommand(deps, request, response, clientId, (caller, now) => {
        const fresh = freshClientSecret(deps.hasher, now);
        clientSecret = fresh.value;
        return {
          type: "RegisterClient",
          data: {
            clientId,
            workspaceId: caller.workspaceId,
            displayName: body.name,
            description: body.description,
            redirectUris: [body.redirectUri],
            isConfidential: true,
            scopes: body.scopes,
            isActive: body.isActive,
            secret: fresh.secret,
          },
          metadata: { now },
        };
      });
      response.setHeader("Location", appPath(clientId));
      response.setHeader("Cache-Control", "no-store");
      sendApp(response, 201, executed, { clientSecret });
    },
  }),
  defineRoute({
    method: "get",
    path: item,
    operationId: "oauthAppsGet",
    tags,
    summary: "Read one app",
    access: "read",
    params: Params,
    headers: ReadHeaders,
    responses: {
      200: { description: "The app", headers: z.object({ ETag: ETagHeader }), content: json(OauthApp) },
      404: notFound(),
    },
    handler: async ({ params }, request, response) => {
      const caller = callerOf(response);
      await deps.readYourWrites.waitFor(caller.credentialId, clientApplicationsCheckpoint, minPosition(request));
      const stored = await deps.views.get(clientApplicationViewId(caller.workspaceId, params.clientId));
      if (!stored || stored.document.deleted) throw Problems.notFound("client_not_found", `There is no app '${params.clientId}'.`);
      response.setHeader("ETag", etagOf(stored.revision));
      response.setHeader("Cache-Control", "private, no-cache");
      response.json(toOauthApp(stored.document));
    },
  }),
  defineRoute({
    method: "put",
    path: item,
    operationId: "oauthAppsUpdate",
    tags,
    summary: "Update the fields present; the client id cannot change and the secret is never taken",
    description: "`redirectUri` replaces every redirect URI of the client with that one.",
    access: "write",
    params: Params,
    headers: WriteHeaders,
    body: { schema: UpdateOauthAppRequest, contentTypes: ["application/json"], required: true },
    responses: {
      200: { description: "Updated", headers: writtenHeaders, content: json(OauthApp) },
      403: adminsOnly,
      404: notFound(),
      409: problem("The change is not allowed in the client's state, or it changed concurrently"),
      412: preconditionFailed,
    },
    handler: async ({ params, body }, request, response) => {
      requireAdmin(response);
      const executed = await executeClientCommand(deps, request, response, params.clientId, (caller, now) => ({
        type: "UpdateClient",
        data: {
          workspaceId: caller.workspaceId,
          clientId: params.clientId,
          changes: {
            ...(body.name !== undefined ? { displayName: body.name } : {}),
            ...(body.description !== undefined ? { description: body.description } : {}),
            ...(body.redirectUri !== undefined ? { redirectUris: [body.redirectUri] } : {}),
            ...(body.scopes !== undefined ? { scopes: body.scopes } : {}),
            ...(body.isActive !== undefined ? { isActive: body.isActive } : {}),
          },
          immutable: { clientId: body.clientId },
          mayReactivate: true,
        },
        metadata: { now },
      }));
      sendApp(response, 200, executed);
    },
  }),
  defineRoute({
    method: "delete",
    path: item,
    operationId: "oauthAppsDelete",
    tags,
    summary: "Delete; its credentials stop working at once and its client id is never reused",
    access: "write",
    params: Params,
    headers: WriteHeaders,
    responses: {
      204: { description: "Deleted", headers: writtenHeaders },
      403: adminsOnly,
      404: notFound(),
      409: problem("It changed concurrently"),
      412: preconditionFailed,
    },
    handler: async ({ params }, request, response) => {
      requireAdmin(response);
      const executed = await executeClientCommand(deps, request, response, params.clientId, (caller, now) => ({
        type: "DeleteClient",
        data: { workspaceId: caller.workspaceId, clientId: params.clientId },
        metadata: { now },
      }));
      sendApp(response, 204, executed);
    },
  }),
];
