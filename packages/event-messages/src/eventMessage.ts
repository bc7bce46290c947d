import { isWorkspaceEvent, publicEvent, publicWorkspaceEvent, type EventMetadata, type RegistryEvent } from "@clientapps/domain";
import type { RecordedEvent } from "@clientapps/event-store";
import type { OutgoingMessage } from "@clientapps/message-bus";
import { z } from "zod";
import { ActorSchema, EventMetadataSchema, PublicEvent } from "./publicEventSchemas.js";
import { PublicWorkspaceEventSchema } from "./workspaceEventSchemas.js";

/** The topic every event is published to, keyed by its client application (a workspace's own events by the workspace). */
export const eventsTopic = "clientapps.events";

/** The topic the audit publishes the revocation feed to, for services that would rather consume than poll. */
export const revocationsTopic = "clientapps.revocations";

/** Where the event sits in the log. */
const Envelope = z.object({
  eventId: z.string().min(1),
  streamName: z.string(),
  revision: z.number().int().nonnegative(),
  position: z.string(),
  recordedAt: z.string(),
  workspaceId: z.string(),
  metadata: EventMetadataSchema,
});

/** An event of a client application's stream: the envelope names the client. */
export const ClientEventMessage = z.intersection(Envelope.extend({ clientId: z.string() }), PublicEvent);

/** An event of a workspace's own stream (its life, its admin tokens): no client, so `clientId` is null. */
export const WorkspaceEventMessage = z.intersection(Envelope.extend({ clientId: z.null() }), PublicWorkspaceEventSchema);

/**
 * An event as it travels on the bus: its facts without hashes (typed per event
 * type), where it sits in the log, and who did it from where. Consumers parse it
 * with this schema; a message of an unknown type fails it.
 */
export const EventMessage = z.union([ClientEventMessage, WorkspaceEventMessage]);

export type EventMessage = z.output<typeof EventMessage>;

/**
 * Key: the client application, qualified by its workspace (client ids are unique per
 * workspace only); a workspace's own events are keyed by the workspace alone.
 */
export const messageKey = (workspaceId: string, clientId: string | null): string =>
  clientId === null ? workspaceId : `${workspaceId}:${clientId}`;

/**
 * Metadata as recorded. Events written before every field was recorded lack some;
 * they get the values that say "not known" rather than failing every consumer.
 */
const RecordedMetadata = EventMetadataSchema.omit({ actor: true }).partial();

const metadataOf = (recorded: RecordedEvent, workspaceId: string): EventMetadata => {
  const parsed = RecordedMetadata.safeParse(recorded.metadata);
  const metadata = parsed.success ? parsed.data : {};
  // Read on its own, so that an actor this build cannot read costs only the actor.
  const raw: unknown = recorded.metadata;
  const actor = ActorSchema.safeParse(typeof raw === "object" && raw !== null && "actor" in raw ? raw.actor : undefined);
  return {
    occurredAt: metadata.occurredAt ?? recorded.recordedAt,
    actor: actor.success ? actor.data : { type: "unknown", id: "unknown" },
    workspaceId: metadata.workspaceId ?? workspaceId,
    requestId: metadata.requestId ?? recorded.eventId,
    correlationId: metadata.correlationId ?? recorded.eventId,
    causationId: metadata.causationId ?? null,
    sourceIp: metadata.sourceIp ?? null,
    userAgent: metadata.userAgent ?? null,
  };
};

const publicPart = (event: RegistryEvent) =>
  isWorkspaceEvent(event) ? { ...publicWorkspaceEvent(event), clientId: null } : { ...publicEvent(event), clientId: event.data.clientId };

export const toEventMessage = (event: RegistryEvent, recorded: RecordedEvent): OutgoingMessage => {
  const { workspaceId } = event.data;
  const part = publicPart(event);
  const message: EventMessage = {
    ...part,
    eventId: recorded.eventId,
    streamName: recorded.streamName,
    revision: recorded.revision,
    position: recorded.position,
    recordedAt: recorded.recordedAt,
    workspaceId,
    metadata: metadataOf(recorded, workspaceId),
  };
  return {
    key: messageKey(workspaceId, part.clientId),
    // Every bus serialises the value as JSON on publish, so what a consumer gets is what survives
    // that (an undefined field is left out); no copy is made here.
    value: message,
    headers: { "event-id": recorded.eventId, "event-type": event.type, "workspace-id": workspaceId },
  };
};
