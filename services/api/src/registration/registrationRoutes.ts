import { randomBytes } from "node:crypto";
import { apiKeyScopes } from "@clientapps/domain";
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { z } from "zod";
import { setCaller } from "../auth/authenticate.js";
import type { WorkspaceStates } from "../workspaces/workspaceStates.js";
import type { ClientCredentials, VerifiedClient } from "../auth/clientCredentials.js";
import { executeClientCommand, type CommandDependencies, type Executed } from "../commands/executeClientCommand.js";
import { freshClientSecret, freshCredential } from "../commands/freshCredential.js";
import { toProblem } from "../http/errorHandler.js";
import { HttpProblem } from "../http/problem.js";
import {
  defineRoute,
  type CustomAuthentication,
  type ErrorFormat,
  type ResponseDeclaration,
  type Route,
} from "../http/routes/defineRoute.js";
import { CorrelationId, IdempotencyKey, PositionHeader } from "../http/routes/routeHeaders.js";
import { json, retryAfterHeaders } from "../http/routes/routeResponses.js";
import type { RateLimit, RateLimits } from "../rateLimits/readModelRateLimiter.js";
import { fromClientMetadata, registrationErrorOf, softwareStatementError, toClientInformation } from "./registrationMapping.js";
import {
  ClientInformationResponse,
  ClientMetadataRequest,
  ClientUpdateRequest,
  RegistrationError as RegistrationErrorDocument,
} from "./registrationSchemas.js";
import { publicBaseUrlOf } from "../http/publicBaseUrl.js";

export const registrationPath = "/api/v1/clientapplications/register";

/**
 * Who may register: callers with a credential (the default), or anyone, into one
 * workspace, at most `registrationsPerMinute` (default 20) per source address.
 */
export type RegistrationPolicy = Readonly<
  { mode: "credential" } | { mode: "open"; workspaceId: string; registrationsPerMinute?: number | undefined }
>;

export const defaultOpenRegistrationsPerMinute = 20;

export type RegistrationDependencies = CommandDependencies &
  Readonly<{
    hasher: { hash: (secret: string) => string; matches: (secret: string, hash: string) => boolean };
    clientCredentials: ClientCredentials;
    policy: RegistrationPolicy;
    rateLimits: RateLimits;
    /** Anonymous registrations go into the policy's workspace only while it is active. */
    workspaces: WorkspaceStates;
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
  `${publicBaseUrlOf(request)}${registrationPath}/${encodeURIComponent(clientId)}`;

const sendInformation = (response: Response, status: number, information: Record<string, unknown>): void => {
  response.status(status).set({ "Cache-Control": "no-store", Pragma: "no-cache" }).json(information);
};

/** This API's own permissions are granted by its admins, never taken by a client registering itself. */
const assertNoReservedScope = (request: Readonly<{ scope?: string | undefined }>): void => {
  const reserved = (request.scope ?? "").split(" ").filter((scope) => (apiKeyScopes as readonly string[]).includes(scope));
  if (reserved.length > 0) throw invalidMetadata(`scope ${reserved.join(", ")} is reserved for this API's own credentials.`);
};

/** The schema refuses every software statement (no issuer is trusted); RFC 7591 §3.2.2 names two errors for that. */
const softwareStatementRefusal = (body: unknown): Readonly<{ error: string; error_description: string }> => {
  const statement = typeof body === "object" && body !== null && "software_statement" in body ? body.software_statement : undefined;
  const error = typeof statement === "string" ? softwareStatementError(statement) : "invalid_software_statement";
  return {
    error,
    error_description:
      error === "invalid_software_statement"
        ? "The software statement is not a signed JWT."
        : "This server accepts no software statements: no issuer is trusted.",
  };
};

/** The client as a write left it; a registration write always leaves one. */
const clientOf = (executed: Executed) => {
  if (executed.state.status !== "registered") throw new Error("an accepted registration write left no client");
  return executed.state.client;
};

const verifiedKey = "registeredClient";
const verifiedOf = (response: Response): VerifiedClient => response.locals[verifiedKey] as VerifiedClient;

/** RFC 7592 §2: the registration access token authenticates, and only for its own client. */
const authenticateRegistration =
  (clientCredentials: ClientCredentials): RequestHandler =>
  async (request, response, next) => {
    const [scheme, token] = (request.header("authorization") ?? "").trim().split(/\s+/);
    const verified = scheme?.toLowerCase() === "bearer" && token ? await clientCredentials.registrationToken(token) : undefined;
    if (!verified || verified.client.clientId !== request.params.client_id) throw invalidToken();
    response.locals[verifiedKey] = verified;
    setCaller(response, {
      credentialId: `registration:${verified.client.clientId}`,
      workspaceId: verified.client.workspaceId,
      scopes: new Set(),
      credential: { kind: "registrationToken", clientId: verified.client.clientId },
      actor: { type: "registrationToken", id: verified.client.clientId },
    });
    next();
  };

/**
 * Open registration: anyone may register, at a limited rate per source address. An
 * anonymous caller cannot prove it is the one that sent a first request, and a
 * replay would hand that request's client_secret and registration access token to
 * whoever else sends the same key and body from the same address (a NAT, a proxy);
 * a replay without them would leave a client nobody can use. So Idempotency-Key is
 * refused here; a caller that needs it registers with a credential.
 */
const anonymousRegistration = (workspaceId: string, perAddress: RateLimit, workspaces: WorkspaceStates): CustomAuthentication => ({
  handler: async (request, response, next) => {
    // A suspended or deleted workspace takes no new clients, whose credentials would not work anyway.
    if (!(await workspaces.isActive(workspaceId))) {
      throw new RegistrationError(403, "access_denied", "Registration is closed: the workspace it registers into is suspended.");
    }
    const retryAfter = await perAddress.consume(request.ip ?? "");
    if (retryAfter !== undefined) {
      throw new RegistrationError(429, "invalid_request", `Too many registrations from this address; retry in ${retryAfter} s.`, {
        "Retry-After": String(retryAfter),
      });
    }
    if (request.header("idempotency-key") !== undefined) {
      throw new RegistrationError(
        400,
        "invalid_request",
        "Idempotency-Key needs a credential: an anonymous caller cannot prove it sent the first request, " +
          "so its one-time secrets are never replayed.",
      );
    }
    setCaller(response, {
      credentialId: `anonymous:${request.ip ?? ""}`,
      workspaceId,
      scopes: new Set(),
      credential: { kind: "anonymous" },
      // The source address is in every event's metadata already.
      actor: { type: "anonymous", id: "anonymous" },
    });
    next();
  },
  // Anonymous, or with a credential: then that caller's workspace and scopes.
  security: [{}, { bearer: [] }],
  refusals: {},
  anonymousOnly: true,
});

const tags = ["Dynamic registration"];
const management = `${registrationPath}/{client_id}`;
const ClientIdParams = z.object({ client_id: z.string().min(1) });
const informationHeaders = z.object({ "X-Position": PositionHeader, "Cache-Control": z.literal("no-store") });

export const registrationRoutes = (deps: RegistrationDependencies): Route[] => {
  const { policy } = deps;
  const errorFormat: ErrorFormat = { contentType: "application/json", schema: RegistrationErrorDocument, handler: registrationErrors };
  const registrationAuth: CustomAuthentication = {
    handler: authenticateRegistration(deps.clientCredentials),
    security: [{ registrationAccessToken: [] }],
    refusals: { 401: "invalid_token: not this client's registration access token" },
  };
  const openRegistration: CustomAuthentication | undefined =
    policy.mode === "open"
      ? anonymousRegistration(
          policy.workspaceId,
          deps.rateLimits.limit({
            name: "register:address",
            points: policy.registrationsPerMinute ?? defaultOpenRegistrationsPerMinute,
            durationSeconds: 60,
          }),
          deps.workspaces,
        )
      : undefined;

  const anonymousRefusals: Record<number, ResponseDeclaration> = openRegistration
    ? {
        403: {
          description: "access_denied: the workspace open registration registers into is suspended",
          content: json(RegistrationErrorDocument),
        },
        429: {
          description: "invalid_request: too many registrations from this address; see Retry-After",
          headers: retryAfterHeaders,
          content: json(RegistrationErrorDocument),
        },
      }
    : {};

  return [
    defineRoute({
      method: "post",
      path: registrationPath,
      operationId: "registerClient",
      tags,
      summary: "RFC 7591 dynamic client registration",
      description:
        "Needs a credential with clientapps:write or clientapps:register (an initial access token), " +
        "unless open registration is configured. With open registration, a caller that sends a credential is that caller; " +
        "callers without one are anonymous: each source address may register a limited number of clients a minute " +
        "(429 with Retry-After beyond it), and Idempotency-Key is refused with 400, because a replay would hand the one-time " +
        "client_secret and registration_access_token to anyone sending the same key and body from the same address.",
      access: "register",
      ...(openRegistration ? { authentication: openRegistration } : {}),
      idempotent: true,
      headers: z.object({ "Idempotency-Key": IdempotencyKey.optional(), "X-Correlation-Id": CorrelationId.optional() }),
      body: { schema: ClientMetadataRequest, contentTypes: ["application/json"], required: false },
      errorFormat,
      responses: {
        201: {
          description: "Registered; client_secret and registration_access_token are shown this once",
          headers: informationHeaders.extend({ Location: z.string() }),
          content: json(ClientInformationResponse),
        },
        400: {
          description:
            "invalid_redirect_uri, invalid_client_metadata, invalid_software_statement or unapproved_software_statement; " +
            "invalid_request for Idempotency-Key from an anonymous caller (open registration)",
          content: json(RegistrationErrorDocument),
        },
        ...anonymousRefusals,
      },
      handler: async ({ body }, request, response) => {
        assertNoReservedScope(body);
        const fields = fromClientMetadata(body);
        const clientId = `dcr_${randomBytes(12).toString("hex")}`;
        const token = freshCredential(deps.hasher, "registrationAccessToken");
        let clientSecret: string | undefined;
        const executed = await executeClientCommand(deps, request, response, clientId, (caller, now) => {
          const fresh = fields.isConfidential ? freshClientSecret(deps.hasher, now) : undefined;
          clientSecret = fresh?.value;
          return {
            type: "RegisterClient",
            data: {
              workspaceId: caller.workspaceId,
              clientId,
              displayName: fields.displayName ?? clientId,
              redirectUris: fields.redirectUris,
              isConfidential: fields.isConfidential,
              grantTypes: fields.grantTypes,
              scopes: fields.scopes,
              secret: fresh?.secret ?? null,
              registration: { token: token.stored, metadata: fields.metadata },
            },
            metadata: { now },
          };
        });
        if (executed.position) response.setHeader("X-Position", executed.position);
        response.setHeader("Location", clientUri(request, clientId));
        sendInformation(
          response,
          201,
          toClientInformation(clientOf(executed), clientUri(request, clientId), { clientSecret, registrationAccessToken: token.value }),
        );
      },
    }),
    defineRoute({
      method: "get",
      path: management,
      operationId: "readClientRegistration",
      tags,
      summary: "RFC 7592 read, with the registration access token",
      access: "none",
      authentication: registrationAuth,
      params: ClientIdParams,
      errorFormat,
      responses: { 200: { description: "The registered metadata", content: json(ClientInformationResponse) } },
      handler: (_input, request, response) => {
        const { client } = verifiedOf(response);
        sendInformation(response, 200, toClientInformation(client, clientUri(request, client.clientId)));
      },
    }),
    defineRoute({
      method: "put",
      path: management,
      operationId: "updateClientRegistration",
      tags,
      summary: "RFC 7592 full replacement; answers with a new registration access token",
      access: "none",
      authentication: registrationAuth,
      params: ClientIdParams,
      headers: z.object({ "X-Correlation-Id": CorrelationId.optional() }),
      body: { schema: ClientUpdateRequest, contentTypes: ["application/json"], required: true },
      errorFormat,
      responses: {
        200: {
          description: "Replaced; the old token stops working",
          headers: informationHeaders,
          content: json(ClientInformationResponse),
        },
        400: { description: "invalid_redirect_uri or invalid_client_metadata", content: json(RegistrationErrorDocument) },
        409: { description: "invalid_request: the client changed concurrently", content: json(RegistrationErrorDocument) },
      },
      handler: async ({ body }, request, response) => {
        const { client, revision } = verifiedOf(response);
        assertNoReservedScope(body);
        if (body.client_id !== client.clientId) throw invalidMetadata("client_id must be the client's own identifier (RFC 7592 §2.2).");
        const presented = body.client_secret;
        if (presented !== undefined && !client.secrets.some((secret) => deps.hasher.matches(presented, secret.hash))) {
          throw invalidMetadata("client_secret does not match the client's current secret (RFC 7592 §2.2).");
        }
        const fields = fromClientMetadata(body);
        const token = freshCredential(deps.hasher, "registrationAccessToken");
        const executed = await executeClientCommand(
          deps,
          request,
          response,
          client.clientId,
          (_caller, now) => ({
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
              token: token.stored,
            },
            metadata: { now },
          }),
          revision,
        );
        if (executed.position) response.setHeader("X-Position", executed.position);
        sendInformation(
          response,
          200,
          toClientInformation(clientOf(executed), clientUri(request, client.clientId), { registrationAccessToken: token.value }),
        );
      },
    }),
    defineRoute({
      method: "delete",
      path: management,
      operationId: "deleteClientRegistration",
      tags,
      summary: "RFC 7592 deregistration",
      access: "none",
      authentication: registrationAuth,
      params: ClientIdParams,
      headers: z.object({ "X-Correlation-Id": CorrelationId.optional() }),
      errorFormat,
      responses: {
        204: { description: "Deleted; every credential of the client stops working", headers: z.object({ "X-Position": PositionHeader }) },
        409: { description: "invalid_request: the client changed concurrently", content: json(RegistrationErrorDocument) },
      },
      handler: async (_input, request, response) => {
        const { client, revision } = verifiedOf(response);
        const executed = await executeClientCommand(
          deps,
          request,
          response,
          client.clientId,
          (_caller, now) => ({
            type: "DeleteClient",
            data: { workspaceId: client.workspaceId, clientId: client.clientId },
            metadata: { now },
          }),
          revision,
        );
        if (executed.position) response.setHeader("X-Position", executed.position);
        response.status(204).set("Cache-Control", "no-store").end();
      },
    }),
  ];
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
  if (error.status === 400 && error.errors.some((violation) => violation.field === "software_statement")) {
    return rfc(400, softwareStatementRefusal(request.body));
  }
  if (error.status === 400 && error.errors.length > 0) return rfc(400, registrationErrorOf(error.errors));
  if (error.status === 400) return rfc(400, { error: "invalid_client_metadata", error_description: error.detail });
  if (error.status === 401) return rfc(401, { error: "invalid_token", error_description: error.detail });
  if (error.status === 403) return rfc(403, { error: "insufficient_scope", error_description: error.detail });
  if (error.status === 404) return rfc(401, { error: "invalid_token", error_description: "The client does not exist." });
  if (error.status < 500) return rfc(error.status, { error: "invalid_request", error_description: error.detail });
  next(thrown);
};
