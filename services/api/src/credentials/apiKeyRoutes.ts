import { fingerprintOf, generateCredential, newCredentialId } from "@clientapps/credentials";
import { isApiKeyLive, type ApiKey } from "@clientapps/domain";
import { clientApplicationViewId, clientApplicationsCheckpoint } from "@clientapps/client-read-models";
import { Router, type Request } from "express";
import { callerOf, mayGrant, requireAccess, type Caller } from "../auth/authenticate.js";
import { executeClientCommand } from "../clientApplications/clientApplicationCommands.js";
import { minPosition, type ClientApplicationRouteDependencies } from "../clientApplications/clientApplicationRoutes.js";
import { clientApplicationPath } from "../clientApplications/resource.js";
import { Problems } from "../http/problem.js";
import { parseOrThrow } from "../http/validate.js";
import { IssueApiKeyRequest, type ApiKeyResource } from "./credentialSchemas.js";

export const toApiKeyResource = (key: ApiKey, now: Date): ApiKeyResource => ({
  id: key.keyId,
  name: key.name,
  scopes: [...key.scopes],
  fingerprint: key.fingerprint,
  status: key.revokedOn !== null ? "revoked" : isApiKeyLive(key, now) ? "active" : "expired",
  createdOn: key.createdOn,
  expiresOn: key.expiresOn,
  revokedOn: key.revokedOn,
});

/** A caller hands out at most what it holds: only an admin may mint admin keys. */
const assertMayGrant = (caller: Caller, scopes: readonly string[]): void => {
  const beyond = scopes.filter((scope) => !mayGrant(caller, scope));
  if (beyond.length > 0) throw Problems.forbidden(beyond.join(" "));
};

/** `/clientapplications/{clientId}/apikeys`: issue, list (metadata only) and revoke a client's API keys. */
export const apiKeyRoutes = (deps: ClientApplicationRouteDependencies): Router => {
  const router = Router({ mergeParams: true });
  const clientIdOf = (request: Request): string => String(request.params.clientId);

  router.post("/:clientId/apikeys", requireAccess("write"), async (request, response) => {
    const body = parseOrThrow(IssueApiKeyRequest, request.body, "request body");
    assertMayGrant(callerOf(response), body.scopes);
    const token = generateCredential("apiKey");
    const keyId = newCredentialId("key");
    const executed = await executeClientCommand(deps, request, response, clientIdOf(request), (caller, now) => ({
      type: "IssueApiKey",
      data: {
        workspaceId: caller.workspaceId,
        clientId: clientIdOf(request),
        keyId,
        name: body.name,
        scopes: body.scopes,
        expiresOn: body.expiresOn ?? null,
        key: { hash: deps.hasher.hash(token), fingerprint: fingerprintOf(token) },
      },
      metadata: { now },
    }));
    const key = executed.state.status === "registered" ? executed.state.client.apiKeys.find((candidate) => candidate.keyId === keyId) : undefined;
    if (!key) throw new Error("an accepted IssueApiKey left no key");
    if (executed.position) response.setHeader("X-Position", executed.position);
    response
      .status(201)
      .set({ Location: `${clientApplicationPath(clientIdOf(request))}/apikeys/${keyId}`, "Cache-Control": "no-store" })
      .json({ ...toApiKeyResource(key, deps.clock()), key: token });
  });

  router.get("/:clientId/apikeys", requireAccess("read"), async (request, response) => {
    const caller = callerOf(response);
    await deps.readYourWrites.waitFor(caller.credentialId, clientApplicationsCheckpoint, minPosition(request));
    const stored = await deps.views.get(clientApplicationViewId(caller.workspaceId, clientIdOf(request)));
    if (!stored || stored.document.deleted) {
      throw Problems.notFound("client_not_found", `There is no client application '${clientIdOf(request)}'.`);
    }
    const now = deps.clock();
    response.setHeader("Cache-Control", "private, no-cache");
    response.json(stored.document.apiKeys.map((key) => toApiKeyResource(key, now)));
  });

  router.delete("/:clientId/apikeys/:keyId", requireAccess("write"), async (request, response) => {
    const executed = await executeClientCommand(deps, request, response, clientIdOf(request), (caller, now) => ({
      type: "RevokeApiKey",
      data: { workspaceId: caller.workspaceId, clientId: clientIdOf(request), keyId: String(request.params.keyId) },
      metadata: { now },
    }));
    if (executed.position) response.setHeader("X-Position", executed.position);
    response.status(204).end();
  });

  return router;
};
