import { randomUUID } from "node:crypto";
import { fingerprintOf, generateCredential, newCredentialId, type SecretHasher } from "@clientapps/credentials";
import type { ClientSecret, ImmutableFields } from "@clientapps/domain";
import { Position } from "@clientapps/event-store";
import { clientApplicationViewId, clientApplicationsCheckpoint, type ClientApplicationView } from "@clientapps/client-read-models";
import type { ReadModelCollection } from "@clientapps/read-models";
import { Router, type Request, type RequestHandler } from "express";
import { callerOf, requireAccess } from "../auth/authenticate.js";
import { etagOf, ifNoneMatchHits } from "../http/conditional.js";
import { Problems } from "../http/problem.js";
import { parseOrThrow } from "../http/validate.js";
import { executeClientCommand, sendWritten, type CommandDependencies } from "./clientApplicationCommands.js";
import { clientApplicationPath, clientApplicationsPath, toResource } from "./resource.js";
import {
  CreateClientApplicationRequest,
  ListClientApplicationsQuery,
  PatchClientApplicationRequest,
  UpdateClientApplicationRequest,
} from "./schemas.js";

export type ClientApplicationRouteDependencies = CommandDependencies &
  Readonly<{ views: ReadModelCollection<ClientApplicationView>; hasher: SecretHasher }>;

const projection = clientApplicationsCheckpoint;

export const minPosition = (request: Request): Position | undefined => {
  const header = request.header("x-min-position");
  if (header === undefined) return undefined;
  const position = Position.parse(header.trim());
  if (!position) throw Problems.badRequest("invalid_position", "X-Min-Position must be a value from an X-Position header.");
  return position;
};

const mergePatchTypes = ["application/merge-patch+json", "application/json"];

/**
 * The body parser takes any `application/*+json`, but a PATCH applies only a merge
 * patch: another patch format (JSON Patch, say) is a 415 naming the accepted ones
 * (RFC 5789 §2.2), never misread as a merge patch.
 */
const requireMergePatch: RequestHandler = (request, _response, next) => {
  if (request.is(mergePatchTypes) === false) {
    throw Problems.unsupportedMediaType("a JSON Merge Patch (application/merge-patch+json)", { "Accept-Patch": mergePatchTypes.join(", ") });
  }
  next();
};

const immutableOf = (body: Partial<ImmutableFields>): Partial<ImmutableFields> => ({
  clientId: body.clientId,
  isConfidential: body.isConfidential,
  workspaceId: body.workspaceId,
});

export const clientApplicationRoutes = (deps: ClientApplicationRouteDependencies): Router => {
  const router = Router();
  const clientIdOf = (request: Request): string => String(request.params.clientId);

  router.get("/", requireAccess("read"), async (request, response) => {
    const query = parseOrThrow(ListClientApplicationsQuery, request.query, "query");
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
      const next = new URLSearchParams(request.query as Record<string, string>);
      next.set("cursor", page.nextCursor);
      response.setHeader("Link", `<${clientApplicationsPath}?${next.toString()}>; rel="next"`);
    }
    response.setHeader("Cache-Control", "private, no-cache");
    response.json(page.items.map((item) => toResource(item.document)));
  });

  router.post("/", requireAccess("write"), async (request, response) => {
    const body = parseOrThrow(CreateClientApplicationRequest, request.body, "request body");
    const clientId = body.clientId ?? randomUUID().replaceAll("-", "");
    const clientSecret = body.isConfidential ? generateCredential("clientSecret") : undefined;
    const executed = await executeClientCommand(deps, request, response, clientId, (caller, now) => {
      const secret: ClientSecret | null = clientSecret
        ? {
            secretId: newCredentialId("sec"),
            hash: deps.hasher.hash(clientSecret),
            fingerprint: fingerprintOf(clientSecret),
            createdOn: now.toISOString(),
            expiresOn: null,
          }
        : null;
      return { type: "RegisterClient", data: { ...body, clientId, workspaceId: caller.workspaceId, secret }, metadata: { now } };
    });
    response.setHeader("Location", clientApplicationPath(clientId));
    response.setHeader("Cache-Control", "no-store");
    sendWritten(response, 201, executed, clientSecret ? { clientSecret } : {});
  });

  router.get("/:clientId", requireAccess("read"), async (request, response) => {
    const caller = callerOf(response);
    await deps.readYourWrites.waitFor(caller.credentialId, projection, minPosition(request));
    const stored = await deps.views.get(clientApplicationViewId(caller.workspaceId, clientIdOf(request)));
    if (!stored || stored.document.deleted) {
      throw Problems.notFound("client_not_found", `There is no client application '${clientIdOf(request)}'.`);
    }
    const etag = etagOf(stored.revision);
    response.setHeader("ETag", etag);
    response.setHeader("Cache-Control", "private, no-cache");
    if (ifNoneMatchHits(request, etag)) {
      response.status(304).end();
      return;
    }
    response.json(toResource(stored.document));
  });

  router.put("/:clientId", requireAccess("write"), async (request, response) => {
    const body = parseOrThrow(UpdateClientApplicationRequest, request.body, "request body");
    const { clientId, isConfidential, workspaceId, secrets, createdOn, updatedOn, related, ...changes } = body;
    const executed = await executeClientCommand(deps, request, response, clientIdOf(request), (caller, now) => ({
      type: "UpdateClient",
      data: { workspaceId: caller.workspaceId, clientId: clientIdOf(request), changes, immutable: immutableOf({ clientId, isConfidential, workspaceId }) },
      metadata: { now },
    }));
    sendWritten(response, 200, executed);
  });

  router.patch("/:clientId", requireAccess("write"), requireMergePatch, async (request, response) => {
    const body = parseOrThrow(PatchClientApplicationRequest, request.body, "merge patch");
    const { clientId, isConfidential, workspaceId, secrets, createdOn, updatedOn, related, ...patch } = body;
    const executed = await executeClientCommand(deps, request, response, clientIdOf(request), (caller, now) => ({
      type: "PatchClient",
      data: { workspaceId: caller.workspaceId, clientId: clientIdOf(request), patch, immutable: immutableOf({ clientId, isConfidential, workspaceId }) },
      metadata: { now },
    }));
    sendWritten(response, 200, executed);
  });

  router.delete("/:clientId", requireAccess("write"), async (request, response) => {
    const executed = await executeClientCommand(deps, request, response, clientIdOf(request), (caller, now) => ({
      type: "DeleteClient",
      data: { workspaceId: caller.workspaceId, clientId: clientIdOf(request) },
      metadata: { now },
    }));
    sendWritten(response, 204, executed);
  });

  return router;
};
