import type { CollectionDefinition, JsonValue } from "@clientapps/read-models";
import { upgradeLegacyActor, type Actor, type ActorType } from "@clientapps/domain";
import type { EventMessage } from "@clientapps/event-messages";

/**
 * One entry per event: who did what to which client application (or to the workspace itself), from where,
 * with each changed field before and after (credentials only as fingerprints),
 * chained to the workspace's previous entry by hash.
 */
export type ActivityEntry = Readonly<{
  workspaceId: string;
  sequence: number;
  eventId: string;
  eventType: string;
  operation: string;
  occurredAt: string;
  recordedAt: string;
  position: string;
  /** `credential`: an entry recorded before actors had types; read it with {@link actorOfEntry}. */
  actorType: ActorType | "credential";
  actorId: string;
  /** A user's display name and e-mail as their token carried them at the time; absent when it carried none. */
  actorName?: string;
  actorEmail?: string;
  /** A client application, or for a workspace's own events (its life, its admin tokens) the workspace. */
  objectType: "clientApplication" | "workspace";
  objectId: string;
  changes: { readonly [field: string]: Readonly<{ before: JsonValue; after: JsonValue }> };
  requestId: string | null;
  correlationId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  previousHash: string;
  hash: string;
}>;

/** What the hash covers: everything but the hash itself. */
export type ActivityContent = Omit<ActivityEntry, "hash">;

export const activityStreamCollection: CollectionDefinition = {
  name: "activityStream",
  indexes: [
    { fields: ["workspaceId", "sequence"], unique: true },
    { fields: ["workspaceId", "objectId", "sequence"] },
    { fields: ["workspaceId", "actorId", "sequence"] },
    { fields: ["workspaceId", "actorType", "sequence"] },
    { fields: ["workspaceId", "eventType", "sequence"] },
  ],
};

/** The newest sequence and hash per workspace, so that cutting entries off the end is detected too. */
export type ChainAnchor = Readonly<{ sequence: number; hash: string }>;

export const activityAnchorsCollection: CollectionDefinition = { name: "activityAnchors", indexes: [] };

/** Per workspace, the last entry an incremental verification found the chain sound up to (a ChainAnchor by shape). */
export const activityVerificationCollection: CollectionDefinition = { name: "activityVerifications", indexes: [] };

export const operations: Readonly<Record<EventMessage["type"], string>> = {
  ClientRegistered: "create",
  ClientUpdated: "update",
  ClientActivated: "activate",
  ClientDeactivated: "deactivate",
  SecretRotated: "rotate_secret",
  SecretRetired: "retire_secret",
  ApiKeyIssued: "issue_api_key",
  ApiKeyRevoked: "revoke_api_key",
  ApiKeyExpired: "expire_api_key",
  RegistrationTokenRotated: "rotate_registration_token",
  RegistrationMetadataReplaced: "update_registration",
  ClientDeleted: "delete",
  WorkspaceCreated: "create_workspace",
  WorkspaceRenamed: "rename_workspace",
  WorkspaceSuspended: "suspend_workspace",
  WorkspaceResumed: "resume_workspace",
  WorkspaceDeleted: "delete_workspace",
  AdminTokenIssued: "issue_admin_token",
  AdminTokenRevoked: "revoke_admin_token",
};

type ActorFields = Pick<ActivityEntry, "actorType" | "actorId" | "actorName" | "actorEmail">;

/** The entry's actor fields; a user's name and e-mail only when known, so an entry without them hashes as before. */
export const actorFields = (actor: Actor): ActorFields =>
  actor.type === "user"
    ? {
        actorType: actor.type,
        actorId: actor.id,
        ...(actor.name === null ? {} : { actorName: actor.name }),
        ...(actor.email === null ? {} : { actorEmail: actor.email }),
      }
    : { actorType: actor.type, actorId: actor.id };

/** Who the entry names, an entry of an untyped credential read as the kind its id names. */
export const actorOfEntry = (entry: ActorFields): Actor => {
  switch (entry.actorType) {
    case "credential":
      return upgradeLegacyActor(entry.actorId);
    case "user":
      return { type: "user", id: entry.actorId, name: entry.actorName ?? null, email: entry.actorEmail ?? null };
    default:
      return { type: entry.actorType, id: entry.actorId };
  }
};

/** What an entry is about: the client application its event names, or the workspace. */
export const objectOf = (event: EventMessage): Readonly<{ objectType: ActivityEntry["objectType"]; objectId: string }> =>
  event.clientId === null
    ? { objectType: "workspace", objectId: event.workspaceId }
    : { objectType: "clientApplication", objectId: event.clientId };
