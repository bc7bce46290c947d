import { randomUUID } from "node:crypto";
import { newCredentialId, type SecretHasher } from "@clientapps/credentials";
import type { NewAdminToken } from "@clientapps/domain";
import { workspacesCheckpoint, type WorkspaceView } from "@clientapps/client-read-models";
import type { ReadModelCollection } from "@clientapps/read-models";
import type { Response } from "express";
import { z } from "zod";
import { callerOf, type Caller } from "../auth/authenticate.js";
import { PostHeaders, ReadHeaders, WriteHeaders } from "../clientApplications/clientApplicationRoutes.js";
import { freshCredential } from "../commands/freshCredential.js";
import { etagOf, ifNoneMatchHits } from "../http/conditional.js";
import { minPosition } from "../http/minPosition.js";
import { Problems } from "../http/problem.js";
import { defineRoute, type Route } from "../http/routes/defineRoute.js";
import { ETagHeader, IfNoneMatch } from "../http/routes/routeHeaders.js";
import { json, notFound, preconditionFailed, problem, writtenHeaders } from "../http/routes/routeResponses.js";
import { executeWorkspaceCommand, type ExecutedWorkspaceCommand, type WorkspaceCommandDependencies } from "./executeWorkspaceCommand.js";
import { toAdminTokenResource, toWorkspaceResource, workspacePath, workspacesPath } from "./workspaceResource.js";
import {
  AdminTokenParams,
  CreatedWorkspaceResource,
  CreateWorkspaceRequest,
  IssueAdminTokenRequest,
  IssuedAdminTokenResource,
  ListWorkspacesQuery,
  RenameWorkspaceRequest,
  WorkspaceIdParams,
  WorkspaceResource,
} from "./workspaceSchemas.js";

export type WorkspaceRouteDependencies = WorkspaceCommandDependencies &
  Readonly<{ views: ReadModelCollection<WorkspaceView>; hasher: SecretHasher }>;

const tags = ["Workspaces"];
const item = "/api/v1/workspaces/{workspaceId}";
const tokens = `${item}/admintokens`;
const mergePatchTypes = ["application/merge-patch+json", "application/json"];

const unknownWorkspace = (workspaceId: string) => Problems.notFound("workspace_not_found", `There is no workspace '${workspaceId}'.`);

/** The operator sees every workspace; a workspace's admin only its own (another one is a 404, never a 403). */
const maySee = (caller: Caller, workspaceId: string): boolean =>
  caller.credential.kind === "platformOperator" || caller.workspaceId === workspaceId;

/** A new admin token as the request asks for it: the token for the answer, its hash for the event. */
const freshAdminToken = (hasher: SecretHasher, request: z.infer<typeof IssueAdminTokenRequest>) => {
  const { value, stored } = freshCredential(hasher, "adminToken");
  const adminToken: NewAdminToken = {
    tokenId: newCredentialId("adm"),
    token: stored,
    label: request.label,
    scopes: request.scopes,
    expiresOn: request.expiresOn ?? null,
  };
  return { value, adminToken };
};

/** A write's answer: the workspace as the write left it, its ETag, and where the write landed. */
const sendWorkspace = (response: Response, status: number, executed: ExecutedWorkspaceCommand, now: Date, extra: object = {}): void => {
  if (executed.revision !== undefined) response.setHeader("ETag", etagOf(executed.revision));
  if (executed.position) response.setHeader("X-Position", executed.position);
  if (executed.state.status !== "present" || executed.state.workspace.status === "deleted") return void response.status(204).end();
  response.status(status).json({ ...toWorkspaceResource(executed.state.workspace, now), ...extra });
};

const written = (description: string) => ({ description, headers: writtenHeaders, content: json(WorkspaceResource) });

/**
 * `/workspaces`: the platform operator's API. The operator (`platform:admin`) creates
 * workspaces with their first admin token, renames, suspends, resumes and deletes them,
 * and issues and revokes their admin tokens; a workspace's admin reads its own workspace.
 */
export const workspaceRoutes = (deps: WorkspaceRouteDependencies): Route[] => {
  const lifecycle = (path: "suspend" | "resume", summary: string): Route =>
    defineRoute({
      method: "post",
      path: `${item}/${path}`,
      operationId: `${path}Workspace`,
      tags,
      summary,
      access: "platform",
      idempotent: true,
      params: WorkspaceIdParams,
      headers: PostHeaders.extend({ "If-Match": WriteHeaders.shape["If-Match"] }),
      responses: {
        200: written(path === "suspend" ? "Suspended" : "Resumed"),
        404: notFound("No such workspace"),
        412: preconditionFailed,
      },
      handler: async ({ params: { workspaceId } }, request, response) => {
        const executed = await executeWorkspaceCommand(deps, request, response, workspaceId, (now) => ({
          type: path === "suspend" ? "SuspendWorkspace" : "ResumeWorkspace",
          data: { workspaceId },
          metadata: { now },
        }));
        sendWorkspace(response, 200, executed, deps.clock());
      },
    });

  return [
    defineRoute({
      method: "get",
      path: workspacesPath,
      operationId: "listWorkspaces",
      tags,
      summary: "List the workspaces: every one for the operator, its own for a workspace's admin",
      access: "workspace",
      query: ListWorkspacesQuery,
      headers: ReadHeaders,
      responses: {
        200: {
          description: "One page; the next one is in the Link header (rel=next)",
          headers: z.object({ Link: z.string().optional() }),
          content: json(z.array(WorkspaceResource)),
        },
      },
      handler: async ({ query }, request, response) => {
        const caller = callerOf(response);
        await deps.readYourWrites.waitFor(caller.credentialId, workspacesCheckpoint, minPosition(request));
        const operator = caller.credential.kind === "platformOperator";
        const page = await deps.views.find({
          where: { deleted: false, ...(operator ? {} : { workspaceId: caller.workspaceId }) },
          orderBy: { field: "workspaceId", direction: "asc" },
          limit: query.pageSize,
          cursor: query.cursor,
        });
        if (page.nextCursor) {
          const next = new URLSearchParams(request.url.split("?")[1] ?? "");
          next.set("cursor", page.nextCursor);
          response.setHeader("Link", `<${workspacesPath}?${next.toString()}>; rel="next"`);
        }
        response.setHeader("Cache-Control", "private, no-cache");
        response.json(page.items.map((stored) => toWorkspaceResource(stored.document, deps.clock())));
      },
    }),
    defineRoute({
      method: "post",
      path: workspacesPath,
      operationId: "createWorkspace",
      tags,
      summary: "Create a workspace, with its first admin token",
      access: "platform",
      idempotent: true,
      headers: PostHeaders,
      body: { schema: CreateWorkspaceRequest, contentTypes: ["application/json"], required: true },
      responses: {
        201: {
          description: "Created; `adminToken.token` is shown this once",
          headers: writtenHeaders.extend({ Location: z.string() }),
          content: json(CreatedWorkspaceResource),
        },
        409: problem("The workspace id exists (or existed), or an Idempotency-Key request is in flight"),
      },
      handler: async ({ body }, request, response) => {
        const workspaceId = body.workspaceId ?? `ws_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
        const first = freshAdminToken(deps.hasher, body.adminToken ?? IssueAdminTokenRequest.parse({}));
        const executed = await executeWorkspaceCommand(deps, request, response, workspaceId, (now) => ({
          type: "CreateWorkspace",
          data: { workspaceId, displayName: body.displayName, firstAdminToken: first.adminToken },
          metadata: { now },
        }));
        const now = deps.clock();
        const issued =
          executed.state.status === "present"
            ? executed.state.workspace.adminTokens.find((token) => token.tokenId === first.adminToken.tokenId)
            : undefined;
        if (!issued) throw new Error("a created workspace lacks the admin token it was created with");
        response.setHeader("Location", workspacePath(workspaceId));
        response.setHeader("Cache-Control", "no-store");
        sendWorkspace(response, 201, executed, now, { adminToken: { ...toAdminTokenResource(issued, now), token: first.value } });
      },
    }),
    defineRoute({
      method: "get",
      path: item,
      operationId: "getWorkspace",
      tags,
      summary: "Read one workspace",
      access: "workspace",
      params: WorkspaceIdParams,
      headers: ReadHeaders.extend({ "If-None-Match": IfNoneMatch.optional() }),
      responses: {
        200: { description: "The workspace", headers: z.object({ ETag: ETagHeader }), content: json(WorkspaceResource) },
        304: { description: "Not modified since the ETag given", headers: z.object({ ETag: ETagHeader }) },
        404: notFound("No such workspace, or not the caller's"),
      },
      handler: async ({ params: { workspaceId } }, request, response) => {
        const caller = callerOf(response);
        if (!maySee(caller, workspaceId)) throw unknownWorkspace(workspaceId);
        await deps.readYourWrites.waitFor(caller.credentialId, workspacesCheckpoint, minPosition(request));
        const stored = await deps.views.get(workspaceId);
        if (!stored || stored.document.deleted) throw unknownWorkspace(workspaceId);
        const etag = etagOf(stored.revision);
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "private, no-cache");
        if (ifNoneMatchHits(request, etag)) return void response.status(304).end();
        response.json(toWorkspaceResource(stored.document, deps.clock()));
      },
    }),
    defineRoute({
      method: "patch",
      path: item,
      operationId: "renameWorkspace",
      tags,
      summary: "Rename a workspace (JSON Merge Patch of its display name)",
      access: "platform",
      params: WorkspaceIdParams,
      headers: WriteHeaders,
      body: { schema: RenameWorkspaceRequest, contentTypes: mergePatchTypes, required: true },
      responses: { 200: written("Renamed"), 404: notFound("No such workspace"), 412: preconditionFailed },
      handler: async ({ params: { workspaceId }, body }, request, response) => {
        const executed = await executeWorkspaceCommand(deps, request, response, workspaceId, (now) => ({
          type: "RenameWorkspace",
          data: { workspaceId, displayName: body.displayName },
          metadata: { now },
        }));
        sendWorkspace(response, 200, executed, deps.clock());
      },
    }),
    lifecycle("suspend", "Suspend a workspace: every credential of it stops from the next request"),
    lifecycle("resume", "Resume a suspended workspace: its credentials that still hold on their own work again"),
    defineRoute({
      method: "delete",
      path: item,
      operationId: "deleteWorkspace",
      tags,
      summary: "Delete a workspace: every credential of it stops at once, and its id is never given out again",
      access: "platform",
      params: WorkspaceIdParams,
      headers: WriteHeaders,
      responses: { 204: { description: "Deleted", headers: writtenHeaders }, 404: notFound("No such workspace"), 412: preconditionFailed },
      handler: async ({ params: { workspaceId } }, request, response) => {
        const executed = await executeWorkspaceCommand(deps, request, response, workspaceId, (now) => ({
          type: "DeleteWorkspace",
          data: { workspaceId },
          metadata: { now },
        }));
        sendWorkspace(response, 204, executed, deps.clock());
      },
    }),
    defineRoute({
      method: "post",
      path: tokens,
      operationId: "issueAdminToken",
      tags,
      summary: "Issue an admin token for a workspace",
      access: "platform",
      idempotent: true,
      params: WorkspaceIdParams,
      headers: PostHeaders,
      body: { schema: IssueAdminTokenRequest, contentTypes: ["application/json"], required: true },
      responses: {
        201: { description: "Issued; `token` is shown this once", headers: writtenHeaders, content: json(IssuedAdminTokenResource) },
        404: notFound("No such workspace"),
      },
      handler: async ({ params: { workspaceId }, body }, request, response) => {
        const fresh = freshAdminToken(deps.hasher, body);
        const executed = await executeWorkspaceCommand(deps, request, response, workspaceId, (now) => ({
          type: "IssueAdminToken",
          data: { workspaceId, adminToken: fresh.adminToken },
          metadata: { now },
        }));
        const issued =
          executed.state.status === "present"
            ? executed.state.workspace.adminTokens.find((token) => token.tokenId === fresh.adminToken.tokenId)
            : undefined;
        if (!issued) throw new Error("an accepted admin token is missing from its workspace");
        if (executed.revision !== undefined) response.setHeader("ETag", etagOf(executed.revision));
        if (executed.position) response.setHeader("X-Position", executed.position);
        response.setHeader("Cache-Control", "no-store");
        response.status(201).json({ ...toAdminTokenResource(issued, deps.clock()), token: fresh.value });
      },
    }),
    defineRoute({
      method: "delete",
      path: `${tokens}/{tokenId}`,
      operationId: "revokeAdminToken",
      tags,
      summary: "Revoke an admin token: it fails from the next request on",
      access: "platform",
      params: AdminTokenParams,
      headers: WriteHeaders,
      responses: {
        204: { description: "Revoked (or it already was)", headers: writtenHeaders },
        404: notFound("No such workspace or admin token"),
        412: preconditionFailed,
      },
      handler: async ({ params: { workspaceId, tokenId } }, request, response) => {
        const executed = await executeWorkspaceCommand(deps, request, response, workspaceId, (now) => ({
          type: "RevokeAdminToken",
          data: { workspaceId, tokenId },
          metadata: { now },
        }));
        if (executed.revision !== undefined) response.setHeader("ETag", etagOf(executed.revision));
        if (executed.position) response.setHeader("X-Position", executed.position);
        response.status(204).end();
      },
    }),
  ];
};
