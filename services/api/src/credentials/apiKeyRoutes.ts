import { newCredentialId } from "@clientapps/credentials";
import { CredentialRejections, isApiKeyLive, type ApiKey } from "@clientapps/domain";
import { clientApplicationViewId, clientApplicationsCheckpoint } from "@clientapps/client-read-models";
import { z } from "zod";
import { callerOf, mayGrant, type Caller } from "../auth/authenticate.js";
import {
  ClientIdParams,
  PostHeaders,
  ReadHeaders,
  WriteHeaders,
  type ClientApplicationRouteDependencies,
} from "../clientApplications/clientApplicationRoutes.js";
import { clientApplicationPath } from "../clientApplications/resource.js";
import { executeClientCommand } from "../commands/executeClientCommand.js";
import { freshCredential } from "../commands/freshCredential.js";
import { minPosition } from "../http/minPosition.js";
import { HttpProblem, Problems } from "../http/problem.js";
import { defineRoute, type Route } from "../http/routes/defineRoute.js";
import { PositionHeader } from "../http/routes/routeHeaders.js";
import { json, notFound, preconditionFailed, problem } from "../http/routes/routeResponses.js";
import { ApiKeyResource, IssueApiKeyRequest, IssuedApiKeyResource } from "./credentialSchemas.js";

export const toApiKeyResource = (key: ApiKey, now: Date): z.infer<typeof ApiKeyResource> => ({
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

/**
 * A key issued by a credential must not outlive it or reach beyond it. An API key
 * issues only for its own client (the decider, told the issuing key, then holds the
 * new key to the issuer's scopes and expiry and revokes it with the issuer); an
 * admin token that expires issues only keys that expire no later.
 */
const assertMayIssueFor = (caller: Caller, clientId: string, expiresOn: string | null): void => {
  const { credential } = caller;
  if (credential.kind === "apiKey" && credential.clientId !== clientId) {
    throw new HttpProblem(
      403,
      "other_client",
      "Forbidden",
      "An API key issues API keys only for its own client application; use an admin token for another one.",
    );
  }
  if (credential.kind === "adminToken" && credential.expiresOn !== null) {
    if (expiresOn === null || Date.parse(expiresOn) > Date.parse(credential.expiresOn)) {
      throw new HttpProblem(
        400,
        CredentialRejections.beyondIssuer,
        "Beyond the issuer",
        "A key holds no more than the credential that issues it.",
        [
          {
            field: "expiresOn",
            code: "beyond_issuer",
            message: `must be no later than the issuing token's expiry, ${credential.expiresOn}`,
          },
        ],
      );
    }
  }
};

const tags = ["Credentials"];
const keys = "/api/v1/clientapplications/{clientId}/apikeys";
const positionHeaders = z.object({ "X-Position": PositionHeader });

/** `/clientapplications/{clientId}/apikeys`: issue, list (metadata only) and revoke a client's API keys. */
export const apiKeyRoutes = (deps: ClientApplicationRouteDependencies): Route[] => [
  defineRoute({
    method: "post",
    path: keys,
    operationId: "issueApiKey",
    tags,
    summary: "Issue an API key; it authenticates calls to this API with its scopes, in this workspace",
    access: "write",
    idempotent: true,
    params: ClientIdParams,
    headers: PostHeaders,
    body: { schema: IssueApiKeyRequest, contentTypes: ["application/json"], required: true },
    responses: {
      201: {
        description: "The key, shown this once",
        headers: positionHeaders.extend({ Location: z.string(), "Cache-Control": z.literal("no-store") }),
        content: json(IssuedApiKeyResource),
      },
      400: problem("Invalid, or beyond the issuing credential (beyond_issuer): an expiry after its own, or a scope an issuing key lacks"),
      403: problem(
        "The credential lacks the scope, a scope to grant is beyond its own, or it is an API key of another client (other_client)",
      ),
      404: notFound(),
      409: problem("The client is inactive or has too many keys, or an Idempotency-Key request is in flight"),
    },
    handler: async ({ params: { clientId }, body }, request, response) => {
      const issuer = callerOf(response);
      assertMayGrant(issuer, body.scopes);
      assertMayIssueFor(issuer, clientId, body.expiresOn ?? null);
      const token = freshCredential(deps.hasher, "apiKey");
      const keyId = newCredentialId("key");
      const executed = await executeClientCommand(deps, request, response, clientId, (caller, now) => ({
        type: "IssueApiKey",
        data: {
          workspaceId: caller.workspaceId,
          clientId,
          keyId,
          name: body.name,
          scopes: body.scopes,
          expiresOn: body.expiresOn ?? null,
          key: token.stored,
          ...(caller.credential.kind === "apiKey" ? { issuedByKeyId: caller.credentialId } : {}),
        },
        metadata: { now },
      }));
      const key =
        executed.state.status === "registered" ? executed.state.client.apiKeys.find((candidate) => candidate.keyId === keyId) : undefined;
      if (!key) throw new Error("an accepted IssueApiKey left no key");
      if (executed.position) response.setHeader("X-Position", executed.position);
      response
        .status(201)
        .set({ Location: `${clientApplicationPath(clientId)}/apikeys/${keyId}`, "Cache-Control": "no-store" })
        .json({ ...toApiKeyResource(key, deps.clock()), key: token.value });
    },
  }),
  defineRoute({
    method: "get",
    path: keys,
    operationId: "listApiKeys",
    tags,
    summary: "The client's API keys, metadata only",
    access: "read",
    params: ClientIdParams,
    headers: ReadHeaders,
    responses: { 200: { description: "Keys, newest last", content: json(z.array(ApiKeyResource)) }, 404: notFound() },
    handler: async ({ params: { clientId } }, request, response) => {
      const caller = callerOf(response);
      await deps.readYourWrites.waitFor(caller.credentialId, clientApplicationsCheckpoint, minPosition(request));
      const stored = await deps.views.get(clientApplicationViewId(caller.workspaceId, clientId));
      if (!stored || stored.document.deleted) throw Problems.notFound("client_not_found", `There is no client application '${clientId}'.`);
      const now = deps.clock();
      response.setHeader("Cache-Control", "private, no-cache");
      response.json(stored.document.apiKeys.map((key) => toApiKeyResource(key, now)));
    },
  }),
  defineRoute({
    method: "delete",
    path: `${keys}/{keyId}`,
    operationId: "revokeApiKey",
    tags,
    summary: "Revoke an API key; it stops working at once",
    access: "write",
    params: ClientIdParams.extend({ keyId: z.string().min(1) }),
    headers: WriteHeaders,
    responses: {
      204: { description: "Revoked (or already)", headers: positionHeaders },
      404: notFound("Unknown key or client"),
      409: problem("It changed concurrently"),
      412: preconditionFailed,
    },
    handler: async ({ params: { clientId, keyId } }, request, response) => {
      const executed = await executeClientCommand(deps, request, response, clientId, (caller, now) => ({
        type: "RevokeApiKey",
        data: { workspaceId: caller.workspaceId, clientId, keyId },
        metadata: { now },
      }));
      if (executed.position) response.setHeader("X-Position", executed.position);
      response.status(204).end();
    },
  }),
];
