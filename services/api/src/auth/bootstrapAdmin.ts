import { randomUUID } from "node:crypto";
import { credentialKindOf, fingerprintOf, generateCredential, newCredentialId, type SecretHasher } from "@clientapps/credentials";
import { WorkspaceRejections, workspaceDecider, workspaceStreamName, type EventMetadata, type NewAdminToken } from "@clientapps/domain";
import { handleCommand, type EventStore } from "@clientapps/event-store";

export class InvalidAdminTokenError extends Error {
  readonly code = "invalid_admin_token";
  constructor() {
    super("CLIENTAPPS_ADMIN_TOKEN is not a clientapps admin token (ca_admin_…); generate one with `pnpm admin-token`.");
  }
}

export class InvalidPlatformTokenError extends Error {
  readonly code = "invalid_platform_token";
  constructor() {
    super("CLIENTAPPS_PLATFORM_TOKEN is not a clientapps platform token (ca_platform_…); generate one with `pnpm platform-token`.");
  }
}

/** The server acting on its own at start: the actor of the bootstrap's events. */
export const bootstrapMetadata = (workspaceId: string, now: Date): EventMetadata => {
  const requestId = randomUUID();
  return {
    occurredAt: now.toISOString(),
    actor: { type: "system", id: "bootstrap" },
    workspaceId,
    requestId,
    correlationId: requestId,
    causationId: null,
    sourceIp: null,
    userAgent: null,
  };
};

export type BootstrapDependencies = Readonly<{ eventStore: EventStore; hasher: SecretHasher }>;

/**
 * Makes sure the admin workspace can be administered, through events of its stream: the
 * workspace is created when it does not exist. A configured token is issued (by hash)
 * and revokes every other admin token of the workspace when it first arrives; a restart
 * with the same token changes nothing. Otherwise the very first start issues one and
 * hands it to `announce`, the only time it exists outside the caller's hands.
 */
export const bootstrapAdmin = async (
  deps: BootstrapDependencies,
  options: Readonly<{ configuredToken: string | undefined; workspaceId: string; now: Date; announce: (token: string) => void }>,
): Promise<void> => {
  const configured = options.configuredToken !== undefined;
  if (configured && credentialKindOf(options.configuredToken) !== "adminToken") throw new InvalidAdminTokenError();
  const token = options.configuredToken ?? generateCredential("adminToken");
  const adminToken: NewAdminToken = {
    tokenId: newCredentialId("adm"),
    token: { hash: deps.hasher.hash(token), fingerprint: fingerprintOf(token) },
    label: configured ? "configured admin token" : "bootstrap admin token",
    scopes: ["admin"],
    expiresOn: null,
  };
  const handled = await handleCommand(
    deps.eventStore,
    workspaceDecider,
    workspaceStreamName(options.workspaceId),
    { type: "BootstrapAdminToken", data: { workspaceId: options.workspaceId, adminToken, configured }, metadata: { now: options.now } },
    { metadata: bootstrapMetadata(options.workspaceId, options.now), newEventId: randomUUID },
  );
  if (handled.kind === "rejected") throw new Error(`The admin workspace could not be bootstrapped: ${handled.rejection.detail}`);
  const issued = handled.events.some((event) => event.type === "AdminTokenIssued" && event.data.adminToken.tokenId === adminToken.tokenId);
  if (issued && !configured) options.announce(token);
};

/**
 * Makes sure a workspace exists, created by the server when it does not (the workspace
 * that open registration registers into, say); a suspended or deleted one stays so.
 */
export const ensureWorkspace = async (eventStore: EventStore, workspaceId: string, now: Date): Promise<void> => {
  const handled = await handleCommand(
    eventStore,
    workspaceDecider,
    workspaceStreamName(workspaceId),
    { type: "CreateWorkspace", data: { workspaceId, displayName: workspaceId }, metadata: { now } },
    { metadata: bootstrapMetadata(workspaceId, now), newEventId: randomUUID },
  );
  if (handled.kind === "rejected" && handled.rejection.code !== WorkspaceRejections.alreadyExists) {
    throw new Error(`The workspace '${workspaceId}' could not be created: ${handled.rejection.detail}`);
  }
};
