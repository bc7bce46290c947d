import { credentialKindOf } from "@clientapps/credentials";
import type { Actor } from "@clientapps/domain";
import type { RequestHandler, Response } from "express";
import { Problems } from "../http/problem.js";
import type { WorkspaceStates } from "../workspaces/workspaceStates.js";
import { platformScope, type AccessCredentials } from "./accessCredentials.js";
import type { ClientCredentials } from "./clientCredentials.js";
import type { JwtAccessTokens } from "./jwtAccessTokens.js";

export type Caller = Readonly<{
  credentialId: string;
  workspaceId: string;
  scopes: ReadonlySet<string>;
  /**
   * What authenticated: an admin token, an API key (with the client it belongs to),
   * a registration access token, or nobody (open registration). A credential hands
   * on no more than it holds, so issuing checks what it is and until when it works.
   */
  credential: CallerCredential;
  /** Who is recorded as making the changes this caller makes. */
  actor: Actor;
}>;

export type CallerCredential =
  | Readonly<{ kind: "adminToken"; expiresOn: string | null }>
  | Readonly<{ kind: "apiKey"; clientId: string; expiresOn: string | null }>
  | Readonly<{ kind: "registrationToken"; clientId: string }>
  /** A person signed in through the platform's identity provider; their authority is theirs, not the token's lifetime. */
  | Readonly<{ kind: "user" }>
  | Readonly<{ kind: "platformOperator" }>
  | Readonly<{ kind: "anonymous" }>;

const callerKey = "caller";

/**
 * Bearer authentication (RFC 6750). A value that is not one of our credentials,
 * or whose checksum fails, is refused before any lookup.
 */
/** Who may call: admin tokens, and API keys with their scopes inside their client's workspace. */
const callerFor = async (
  token: string,
  credentials: AccessCredentials,
  clientCredentials: ClientCredentials,
  now: Date,
): Promise<Caller | undefined> => {
  switch (credentialKindOf(token)) {
    case "adminToken": {
      const credential = await credentials.find(token, now);
      return (
        credential && {
          credentialId: credential.credentialId,
          workspaceId: credential.workspaceId,
          scopes: new Set(credential.scopes),
          credential: { kind: "adminToken", expiresOn: credential.expiresOn },
          actor: { type: "adminToken", id: credential.credentialId },
        }
      );
    }
    case "apiKey": {
      const verified = await clientCredentials.apiKey(token, now);
      return (
        verified && {
          credentialId: verified.key.keyId,
          workspaceId: verified.client.workspaceId,
          scopes: new Set(verified.key.scopes),
          credential: { kind: "apiKey", clientId: verified.client.clientId, expiresOn: verified.key.expiresOn },
          actor: { type: "apiKey", id: verified.key.keyId },
        }
      );
    }
    case "platformToken":
      return platformOperatorCaller(token, credentials);
    default:
      // Client secrets and registration access tokens authenticate elsewhere, never here.
      return undefined;
  }
};

/**
 * The operator of the whole deployment. It belongs to no workspace (an empty id, which
 * no workspace can have) and holds `platform:admin` only, so it administers workspaces
 * and cannot read any workspace's client applications.
 */
const platformOperatorCaller = (token: string, credentials: AccessCredentials): Caller | undefined => {
  const operator = credentials.platformOperator(token);
  return (
    operator && {
      credentialId: operator.credentialId,
      workspaceId: "",
      scopes: new Set(operator.scopes),
      credential: { kind: "platformOperator" },
      actor: { type: "platformOperator", id: operator.credentialId },
    }
  );
};

/**
 * A caller whose workspace is suspended or deleted is refused, whatever its credential:
 * every caller path (admin tokens, API keys, and any added later) goes through this.
 */
export const admittedCaller = async (caller: Caller | undefined, workspaces: WorkspaceStates): Promise<Caller | undefined> => {
  if (!caller) return undefined;
  if (caller.credential.kind === "platformOperator") return caller;
  return (await workspaces.isActive(caller.workspaceId)) ? caller : undefined;
};

/**
 * Bearer authentication (RFC 6750). A value that is not one of our credentials,
 * or whose checksum fails, is refused before any lookup.
 */
export const authenticate =
  (
    credentials: AccessCredentials,
    clientCredentials: ClientCredentials,
    clock: () => Date,
    workspaces: WorkspaceStates,
    /** With an identity provider configured, a Bearer value that is none of ours is tried as its JWT access token. */
    jwtAccessTokens?: JwtAccessTokens,
  ): RequestHandler =>
  async (request, response, next) => {
    const header = request.header("authorization");
    if (!header) throw Problems.unauthorized("This API needs a Bearer credential.", false);
    const [scheme, token, ...rest] = header.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== "bearer" || !token || rest.length > 0) {
      throw Problems.unauthorized("The Authorization header must be: Bearer <credential>.", false);
    }
    if (credentialKindOf(token) === undefined) {
      if (jwtAccessTokens === undefined) throw Problems.unauthorized("The credential is malformed.", true);
      const verified = await jwtAccessTokens.verify(token, clock());
      if ("rejected" in verified) throw Problems.unauthorized(verified.rejected, true);
      const user = await admittedCaller(verified.caller, workspaces);
      if (!user) throw Problems.unauthorized("The workspace the token names is unknown, suspended or deleted.", true);
      response.locals[callerKey] = user;
      // The provider unreachable ends a stream too: its reconnect is answered 503 with Retry-After.
      response.locals[stillWorksKey] = (): Promise<boolean> =>
        jwtAccessTokens.verify(token, clock()).then(
          async (again) => "caller" in again && (await admittedCaller(again.caller, workspaces)) !== undefined,
          () => false,
        );
      return next();
    }
    const caller = await admittedCaller(await callerFor(token, credentials, clientCredentials, clock()), workspaces);
    if (!caller) throw Problems.unauthorized("The credential is unknown, expired or revoked, or its workspace is suspended.", true);
    response.locals[callerKey] = caller;
    // A long answer (a live stream) asks again later: a revocation must end it, not only the next request.
    response.locals[stillWorksKey] = async (): Promise<boolean> =>
      (await admittedCaller(await callerFor(token, credentials, clientCredentials, clock()), workspaces)) !== undefined;
    next();
  };

const stillWorksKey = "credentialStillWorks";

/**
 * Whether the credential the request authenticated with still works now (not revoked,
 * expired, or its client deactivated or deleted since). For routes authenticated in
 * another way there is nothing to ask again: they answer at once and hold no stream.
 */
export const credentialStillWorks = (response: Response): (() => Promise<boolean>) => {
  const stillWorks = response.locals[stillWorksKey] as (() => Promise<boolean>) | undefined;
  return stillWorks ?? (() => Promise.resolve(false));
};

/** For routes that authenticate in their own way (RFC 7592), after they have. */
export const setCaller = (response: Response, caller: Caller): void => {
  response.locals[callerKey] = caller;
};

export const callerOf = (response: Response): Caller => {
  const caller = response.locals[callerKey] as Caller | undefined;
  if (!caller) throw new Error("callerOf used on a route without authentication");
  return caller;
};

/**
 * `platform`: the platform operator only (creating and changing workspaces);
 * `workspace`: the operator, or a workspace's admin (reading that workspace only).
 */
export type Access = "read" | "write" | "register" | "platform" | "workspace";

/** Scopes that grant each access; `workspace-manage-config:*` are the documented aliases. */
const grants: Readonly<Record<Access, readonly string[]>> = {
  read: ["admin", "clientapps:read", "clientapps:write", "workspace-manage-config:read", "workspace-manage-config:write"],
  write: ["admin", "clientapps:write", "workspace-manage-config:write"],
  register: ["admin", "clientapps:write", "workspace-manage-config:write", "clientapps:register"],
  platform: [platformScope],
  workspace: [platformScope, "admin"],
};

/** The scope a refusal names (RFC 6750 `scope`): the one to ask for. */
const requiredScope: Readonly<Record<Access, string>> = {
  read: "clientapps:read",
  write: "clientapps:write",
  register: "clientapps:register",
  platform: platformScope,
  workspace: "admin",
};

export const hasAccess = (caller: Caller, access: Access): boolean => grants[access].some((scope) => caller.scopes.has(scope));

/** The access a scope stands for; aliases stand for the same as their clientapps names. */
const accessOf: Readonly<Record<string, Access | "admin">> = {
  admin: "admin",
  "clientapps:read": "read",
  "clientapps:write": "write",
  "clientapps:register": "register",
  "workspace-manage-config:read": "read",
  "workspace-manage-config:write": "write",
};

/** Whether a caller may hand this scope on (to an API key): it must hold the access the scope gives. */
export const mayGrant = (caller: Caller, scope: string): boolean => {
  const access = accessOf[scope];
  if (access === undefined) return false;
  if (access === "admin") return caller.scopes.has("admin");
  return hasAccess(caller, access);
};

export const requireAccess =
  (access: Access): RequestHandler =>
  (_request, response, next) => {
    if (!hasAccess(callerOf(response), access)) throw Problems.forbidden(requiredScope[access]);
    next();
  };
