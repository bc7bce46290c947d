import { randomBytes } from "node:crypto";
import { fingerprintOf, generateCredential, newCredentialId } from "@clientapps/credentials";
import { apiKeyScopes, type ClientApplication } from "@clientapps/domain";
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import type { AccessCredentials } from "../auth/accessCredentials.js";
import { authenticate, requireAccess, setCaller } from "../auth/authenticate.js";
import type { ClientCredentials, VerifiedClient } from "../auth/clientCredentials.js";
import { executeClientCommand, type CommandDependencies } from "../clientApplications/clientApplicationCommands.js";
import { toProblem } from "../http/errorHandler.js";
import { HttpProblem } from "../http/problem.js";
import { parseOrThrow } from "../http/validate.js";
import { fromClientMetadata, registrationErrorOf, softwareStatementError, toClientInformation } from "./registrationMapping.js";
import { ClientMetadataRequest, ClientUpdateRequest, serverIssuedMembers } from "./registrationSchemas.js";

export const registrationPath = "/api/v1/clientapplications/register";

/** Who may register: callers with a credential (the default), or anyone, into one workspace. */
export type RegistrationPolicy = Readonly<{ mode: "credential" } | { mode: "open"; workspaceId: string }>;

export type RegistrationDependencies = CommandDependencies &
  Readonly<{
    hasher: { hash: (secret: string) => string; matches: (secret: string, hash: string) => boolean };
    credentials: AccessCredentials;
    clientCredentials: ClientCredentials;
    policy: RegistrationPolicy;
    /** Idempotency-Key handling, applied once the registering caller is known. */
    idempotentPosts: RequestHandler;
  }>;

/** An error in the RFC's own format (RFC 7591 §3.2.2, RFC 6750 §3.1). */
class RegistrationError extends HttpProblem {
  constructor(status: number, error: string, description: string, headers: Readonly<Record<string, string>> = {}) {
    super(status, error, error, description, [], headers);
  }
}

const invalidMetadata = (description: string) => new RegistrationError(400, "invalid_client_metadata", description);

const invalidToken = () =>
  new RegistrationError(401, "invalid_token", "The registration access token is not valid for this client.", {
    "WWW-Authenticate": 'Bearer realm="clientapps", error="invalid_token"',
  });

const clientUri = (request: Request, clientId: string): string =>
  `${request.protocol}://${request.get("host")}${registrationPath}/${encodeURIComponent(clientId)}`;

const sendInformation = (response: Response, status: number, information: Record<string, unknown>): void => {
  response.status(status).set({ "Cache-Control": "no-store", Pragma: "no-cache" }).json(information);
};

/** Parses RFC 7591 metadata, refusing what the server issues itself and any software statement it cannot trust. */
const parseMetadata = <Schema extends typeof ClientMetadataRequest>(schema: Schema, body: unknown): ReturnType<Schema["parse"]> => {
  if (typeof body === "object" && body !== null) {
    const issued = serverIssuedMembers.filter((member) => member in body);
    if (issued.length > 0) throw invalidMetadata(`${issued.join(", ")} are issued by the server and must not be sent (RFC 7592 §2.2).`);
  }
  const request = parseOrThrow(schema, body ?? {}, "client metadata") as ReturnType<Schema["parse"]>;
  // This API's own permissions are granted by its admins, never taken by a client registering itself.
  const reserved = (request.scope ?? "").split(" ").filter((scope) => (apiKeyScopes as readonly string[]).includes(scope));
  if (reserved.length > 0) throw invalidMetadata(`scope ${reserved.join(", ")} is reserved for this API's own credentials.`);
  if (request.software_statement !== undefined) {
    const error = softwareStatementError(request.software_statement);
    throw new RegistrationError(
      400,
      error,
      error === "invalid_software_statement"
        ? "The software statement is not a signed JWT."
        : "This server accepts no software statements: no issuer is trusted.",
    );
  }
  return request;
};

const verifiedKey = "registeredClient";
const verifiedOf = (response: Response): VerifiedClient => response.locals[verifiedKey] as VerifiedClient;

/** RFC 7592 §2: the registration access token authenticates, and only for its own client. */
const authenticateRegistration =
  (clientCredentials: ClientCredentials): RequestHandler =>
  async (request, response, next) => {
    const [scheme, token] = (request.header("authorization") ?? "").trim().split(/\s+/);
    const verified = scheme?.toLowerCase() === "bearer" && token ? await clientCredentials.registrationToken(token) : undefined;
    if (!verified || verified.client.clientId !== request.params.clientId) throw invalidToken();
    response.locals[verifiedKey] = verified;
    setCaller(response, { credentialId: `registration:${verified.client.clientId}`, workspaceId: verified.client.workspaceId, scopes: new Set() });
    next();
  };

export const registrationRoutes = (deps: RegistrationDependencies): Router => {
  const router = Router();
  const registrationAuth = authenticateRegistration(deps.clientCredentials);

  const { policy } = deps;
  const registrationCaller: RequestHandler[] =
    policy.mode === "open"
      ? [
          (request, response, next) => {
            // Anonymous callers are told apart by address, so one cannot replay another's
            // idempotent registration (and with it, its secret).
            setCaller(response, { credentialId: `anonymous:${request.ip ?? ""}`, workspaceId: policy.workspaceId, scopes: new Set() });
            next();
          },
        ]
      : [authenticate(deps.credentials, deps.clientCredentials, deps.clock), requireAccess("register")];

  router.post("/", ...registrationCaller, deps.idempotentPosts, async (request, response) => {
    const fields = fromClientMetadata(parseMetadata(ClientMetadataRequest, request.body));
    const clientId = `dcr_${randomBytes(12).toString("hex")}`;
    const clientSecret = fields.isConfidential ? generateCredential("clientSecret") : undefined;
    const token = generateCredential("registrationAccessToken");
    const executed = await executeClientCommand(deps, request, response, clientId, (caller, now) => ({
      type: "RegisterClient",
      data: {
        workspaceId: caller.workspaceId,
        clientId,
        displayName: fields.displayName ?? clientId,
        redirectUris: fields.redirectUris,
        isConfidential: fields.isConfidential,
        grantTypes: fields.grantTypes,
        scopes: fields.scopes,
        secret: clientSecret
          ? { secretId: newCredentialId("sec"), hash: deps.hasher.hash(clientSecret), fingerprint: fingerprintOf(clientSecret), createdOn: now.toISOString(), expiresOn: null }
          : null,
        registration: { token: { hash: deps.hasher.hash(token), fingerprint: fingerprintOf(token) }, metadata: fields.metadata },
      },
      metadata: { now },
    }));
    const client = (executed.state as { client: ClientApplication }).client;
    if (executed.position) response.setHeader("X-Position", executed.position);
    response.setHeader("Location", clientUri(request, clientId));
    sendInformation(response, 201, toClientInformation(client, clientUri(request, clientId), { clientSecret, registrationAccessToken: token }));
  });

  router.get("/:clientId", registrationAuth, (request, response) => {
    const { client } = verifiedOf(response);
    sendInformation(response, 200, toClientInformation(client, clientUri(request, client.clientId)));
  });

  router.put("/:clientId", registrationAuth, async (request, response) => {
    const { client, revision } = verifiedOf(response);
    const body = parseMetadata(ClientUpdateRequest, request.body);
    if (body.client_id !== client.clientId) throw invalidMetadata("client_id must be the client's own identifier (RFC 7592 §2.2).");
    if (body.client_secret !== undefined && !client.secrets.some((secret) => deps.hasher.matches(body.client_secret!, secret.hash))) {
      throw invalidMetadata("client_secret does not match the client's current secret (RFC 7592 §2.2).");
    }
    const fields = fromClientMetadata(body);
    const token = generateCredential("registrationAccessToken");
    const executed = await executeClientCommand(deps, request, response, client.clientId, (_caller, now) => ({
      type: "ReplaceRegistration",
      data: {
        workspaceId: client.workspaceId,
        clientId: client.clientId,
        changes: {
          displayName: fields.displayName ?? client.clientId,
          redirectUris: fields.redirectUris,
          grantTypes: fields.grantTypes,
          scopes: fields.scopes,
        },
        immutable: { isConfidential: fields.isConfidential },
        metadata: fields.metadata,
        token: { hash: deps.hasher.hash(token), fingerprint: fingerprintOf(token) },
      },
      metadata: { now },
    }), revision);
    const updated = (executed.state as { client: ClientApplication }).client;
    if (executed.position) response.setHeader("X-Position", executed.position);
    sendInformation(response, 200, toClientInformation(updated, clientUri(request, client.clientId), { registrationAccessToken: token }));
  });

  router.delete("/:clientId", registrationAuth, async (request, response) => {
    const { client, revision } = verifiedOf(response);
    const executed = await executeClientCommand(
      deps,
      request,
      response,
      client.clientId,
      (_caller, now) => ({ type: "DeleteClient", data: { workspaceId: client.workspaceId, clientId: client.clientId }, metadata: { now } }),
      revision,
    );
    if (executed.position) response.setHeader("X-Position", executed.position);
    response.status(204).set("Cache-Control", "no-store").end();
  });

  return router;
};

/**
 * Every error under the registration endpoints in the RFC's format rather than as problem
 * details. Mounted after the body parser as well as the routes, so a body that is not JSON
 * is answered in this format too.
 */
export const registrationErrors: ErrorRequestHandler = (thrown: unknown, request, response, next) => {
  const error = toProblem(thrown, request);
  if (!error || response.headersSent) return next(thrown);
  const rfc = (status: number, body: Readonly<{ error: string; error_description: string }>) =>
    response.status(status).set(error.headers).set("Cache-Control", "no-store").json(body);
  if (error instanceof RegistrationError) return rfc(error.status, { error: error.code, error_description: error.detail });
  if (error.status === 400 && error.errors.length > 0) return rfc(400, registrationErrorOf(error.errors));
  if (error.status === 400) return rfc(400, { error: "invalid_client_metadata", error_description: error.detail });
  if (error.status === 401) return rfc(401, { error: "invalid_token", error_description: error.detail });
  if (error.status === 403) return rfc(403, { error: "insufficient_scope", error_description: error.detail });
  if (error.status === 404) return rfc(401, { error: "invalid_token", error_description: "The client does not exist." });
  if (error.status < 500) return rfc(error.status, { error: "invalid_request", error_description: error.detail });
  next(thrown);
};
