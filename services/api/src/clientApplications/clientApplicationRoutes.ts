import { randomUUID } from "node:crypto";
import type { SecretHasher } from "@clientapps/credentials";
import type { ImmutableFields } from "@clientapps/domain";
import { clientApplicationViewId, clientApplicationsCheckpoint, type ClientApplicationView } from "@clientapps/client-read-models";
import type { ReadModelCollection } from "@clientapps/read-models";
import { z } from "zod";
import { callerOf } from "../auth/authenticate.js";
import { executeClientCommand, type CommandDependencies } from "../commands/executeClientCommand.js";
import { freshClientSecret } from "../commands/freshCredential.js";
import { sendWritten } from "../commands/sendWritten.js";
import { etagOf, ifNoneMatchHits } from "../http/conditional.js";
import { minPosition } from "../http/minPosition.js";
import { Problems } from "../http/problem.js";
import { defineRoute, type Route } from "../http/routes/defineRoute.js";
import { CorrelationId, ETagHeader, IdempotencyKey, IfMatch, IfNoneMatch, MinPosition } from "../http/routes/routeHeaders.js";
import { json, notFound, preconditionFailed, problem, writtenHeaders } from "../http/routes/routeResponses.js";
import { clientApplicationPath, clientApplicationsPath, toResource } from "./resource.js";
import {
  ClientApplicationResource,
  CreateClientApplicationRequest,
  CreatedClientApplicationResource,
  ListClientApplicationsQuery,
  PatchClientApplicationRequest,
  UpdateClientApplicationRequest,
} from "./schemas.js";

export type ClientApplicationRouteDependencies = CommandDependencies &
  Readonly<{ views: ReadModelCollection<ClientApplicationView>; hasher: SecretHasher }>;

const projection = clientApplicationsCheckpoint;
const reactivationForbidden = problem(
  "The credential lacks the scope; reactivating an inactive client (isActive: true) needs admin, since its credentials work again",
);

const tags = ["Client applications"];
const collection = "/api/v1/clientapplications";
const item = "/api/v1/clientapplications/{clientId}";

/** Path of every route under one client application. */
export const ClientIdParams = z.object({ clientId: z.string().min(1) });
export const ReadHeaders = z.object({ "X-Min-Position": MinPosition.optional() });
export const WriteHeaders = z.object({ "If-Match": IfMatch.optional(), "X-Correlation-Id": CorrelationId.optional() });
export const PostHeaders = z.object({ "Idempotency-Key": IdempotencyKey.optional(), "X-Correlation-Id": CorrelationId.optional() });

const mergePatchTypes = ["application/merge-patch+json", "application/json"];

const immutableOf = (body: Partial<ImmutableFields>): Partial<ImmutableFields> => ({
  clientId: body.clientId,
  isConfidential: body.isConfidential,
  workspaceId: body.workspaceId,
});

const written = (description: string) => ({ description, headers: writtenHeaders, content: json(ClientApplicationResource) });

export const clientApplicationRoutes = (deps: ClientApplicationRouteDependencies): Route[] => [
  defineRoute({
    method: "get",
    path: collection,
    operationId: "listClientApplications",
    tags,
    summary: "List the workspace's client applications",
    access: "read",
    query: ListClientApplicationsQuery,
    headers: ReadHeaders,
    responses: {
      200: {
        description: "One page; the next one is in the Link header (rel=next)",
        headers: z.object({ Link: z.string().optional() }),
        content: json(z.array(ClientApplicationResource)),
      },
    },
    handler: async ({ query }, request, response) => {
      const caller = callerOf(response);
      await deps.readYourWrites.waitFor(caller.credentialId, projection, minPosition(request));
      const page = await deps.views.find({
        where: {
          workspaceId: caller.workspaceId,
          deleted: false,
          ...(query.isConfidential !== undefined ? { isConfidential: query.isConfidential } : {}),
          ...(query.isActive !== undefined ? { isActive: query.isActive } : {}),
        },
        contains: query.q ? { field: "displayName", text: query.q } : undefined,
        orderBy: { field: "clientId", direction: "asc" },
        limit: query.pageSize,
        cursor: query.cursor,
      });
      if (page.nextCursor) {
        const next = new URLSearchParams(request.url.split("?")[1] ?? "");
        next.set("cursor", page.nextCursor);
        response.setHeader("Link", `<${clientApplicationsPath}?${next.toString()}>; rel="next"`);
      }
      response.setHeader("Cache-Control", "private, no-cache");
      response.json(page.items.map((stored) => toResource(stored.document)));
    },
  }),
  defineRoute({
    method: "post",
    path: collection,
    operationId: "createClientApplication",
    tags,
    summary: "Register a client application",
    access: "write",
    idempotent: true,
    headers: PostHeaders,
    body: { schema: CreateClientApplicationRequest, contentTypes: ["application/json"], required: true },
    responses: {
      201: {
        description: "Created; confidential clients get `clientSecret`, this once",
        headers: writtenHeaders.extend({ Location: z.string() }),
        content: json(CreatedClientApplicationResource),
      },
      409: problem("The client id exists (or existed) in this workspace, or an Idempotency-Key request is in flight"),
    },
    handler: async ({ body }, request, response) => {
      const clientId = body.clientId ?? randomUUID().replaceAll("-", "");
      let clientSecret: string | undefined;
      const executed = await executeClientCommand(deps, request, response, clientId, (caller, now) => {
        const fresh = body.isConfidential ? freshClientSecret(deps.hasher, now) : undefined;
        clientSecret = fresh?.value;
        return {
          type: "RegisterClient",
          data: { ...body, clientId, workspaceId: caller.workspaceId, secret: fresh?.secret ?? null },
          metadata: { now },
        };
      });
      response.setHeader("Location", clientApplicationPath(clientId));
      response.setHeader("Cache-Control", "no-store");
      sendWritten(response, 201, executed, clientSecret ? { clientSecret } : {});
    },
  }),
  defineRoute({
    method: "get",
    path: item,
    operationId: "getClientApplication",
    tags,
    summary: "Read one client application",
    access: "read",
    params: ClientIdParams,
    headers: ReadHeaders.extend({ "If-None-Match": IfNoneMatch.optional() }),
    responses: {
      200: { description: "The client application", headers: z.object({ ETag: ETagHeader }), content: json(ClientApplicationResource) },
      304: { description: "Not modified since the ETag given", headers: z.object({ ETag: ETagHeader }) },
      404: notFound(),
    },
    handler: async ({ params }, request, response) => {
      const caller = callerOf(response);
      await deps.readYourWrites.waitFor(caller.credentialId, projection, minPosition(request));
      const stored = await deps.views.get(clientApplicationViewId(caller.workspaceId, params.clientId));
      if (!stored || stored.document.deleted) {
        throw Problems.notFound("client_not_found", `There is no client application '${params.clientId}'.`);
      }
      const etag = etagOf(stored.revision);
      response.setHeader("ETag", etag);
      response.setHeader("Cache-Control", "private, no-cache");
      if (ifNoneMatchHits(request, etag)) return void response.status(304).end();
      response.json(toResource(stored.document));
    },
  }),
  defineRoute({
    method: "put",
    path: item,
    operationId: "updateClientApplication",
    tags,
    summary: "Update the updatable fields present in the body",
    description: "`displayName` and `redirectUris` set to null are left unchanged, as awork's API documents them.",
    access: "write",
    params: ClientIdParams,
    headers: WriteHeaders,
    body: { schema: UpdateClientApplicationRequest, contentTypes: ["application/json"], required: true },
    responses: {
      200: written("Updated"),
      403: reactivationForbidden,
      404: notFound(),
      409: problem("The change is not allowed in the client's state, or it changed concurrently"),
      412: preconditionFailed,
    },
    handler: async ({ params, body }, request, response) => {
      const { clientId, isConfidential, workspaceId, secrets, registration, createdOn, updatedOn, related, ...present } = body;
      const { displayName, redirectUris, ...changes } = present;
      const executed = await executeClientCommand(deps, request, response, params.clientId, (caller, now) => ({
        type: "UpdateClient",
        data: {
          workspaceId: caller.workspaceId,
          clientId: params.clientId,
          // null, as awork's clients send for what they leave alone, keeps the value (PATCH's null resets it, per RFC 7396).
          changes: {
            ...changes,
            ...(displayName === null || displayName === undefined ? {} : { displayName }),
            ...(redirectUris === null || redirectUris === undefined ? {} : { redirectUris }),
          },
          immutable: immutableOf({ clientId, isConfidential, workspaceId }),
          // Reactivation makes every credential the client still holds work again: admins only.
          mayReactivate: caller.scopes.has("admin"),
        },
        metadata: { now },
      }));
      sendWritten(response, 200, executed);
    },
  }),
  defineRoute({
    method: "patch",
    path: item,
    operationId: "patchClientApplication",
    tags,
    summary: "Apply a JSON Merge Patch (RFC 7396)",
    description: "Another patch format (JSON Patch, say) is a 415 naming the accepted ones in Accept-Patch (RFC 5789 §2.2).",
    access: "write",
    params: ClientIdParams,
    headers: WriteHeaders,
    body: { schema: PatchClientApplicationRequest, contentTypes: mergePatchTypes, required: true },
    responses: {
      200: written("Patched"),
      403: reactivationForbidden,
      404: notFound(),
      409: problem("The change is not allowed in the client's state, or it changed concurrently"),
      412: preconditionFailed,
    },
    handler: async ({ params, body }, request, response) => {
      const { clientId, isConfidential, workspaceId, secrets, registration, createdOn, updatedOn, related, ...patch } = body;
      const executed = await executeClientCommand(deps, request, response, params.clientId, (caller, now) => ({
        type: "PatchClient",
        data: {
          workspaceId: caller.workspaceId,
          clientId: params.clientId,
          patch,
          immutable: immutableOf({ clientId, isConfidential, workspaceId }),
          // Reactivation makes every credential the client still holds work again: admins only.
          mayReactivate: caller.scopes.has("admin"),
        },
        metadata: { now },
      }));
      sendWritten(response, 200, executed);
    },
  }),
  defineRoute({
    method: "delete",
    path: item,
    operationId: "deleteClientApplication",
    tags,
    summary: "Delete; its credentials stop working at once and its id is never reused",
    access: "write",
    params: ClientIdParams,
    headers: WriteHeaders,
    responses: {
      204: { description: "Deleted", headers: writtenHeaders },
      404: notFound(),
      409: problem("It changed concurrently"),
      412: preconditionFailed,
    },
    handler: async ({ params }, request, response) => {
      const executed = await executeClientCommand(deps, request, response, params.clientId, (caller, now) => ({
        type: "DeleteClient",
        data: { workspaceId: caller.workspaceId, clientId: params.clientId },
        metadata: { now },
      }));
      sendWritten(response, 204, executed);
    },
  }),
];
