import { clientApplicationEventTypes, publicEventData, type ClientApplicationEvent } from "@clientapps/domain";
import { toDomainEvent, type RecordedEvent } from "@clientapps/event-store";
import type { OutgoingMessage } from "@clientapps/message-bus";
import { z } from "zod";

/** The topic every event is published to, keyed by its client application. */
export const eventsTopic = "clientapps.events";

/**
 * An event as it travels on the bus: its facts without hashes, where it sits in
 * the log, and who did it from where. Consumers parse it with this schema.
 */
export const EventMessage = z.object({
  eventId: z.string().min(1),
  type: z.enum(clientApplicationEventTypes as [ClientApplicationEvent["type"], ...ClientApplicationEvent["type"][]]),
  streamName: z.string(),
  revision: z.number().int().nonnegative(),
  position: z.string(),
  recordedAt: z.string(),
  workspaceId: z.string(),
  clientId: z.string(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.object({
    occurredAt: z.string().optional(),
    actor: z.object({ type: z.string(), id: z.string() }).optional(),
    requestId: z.string().optional(),
    correlationId: z.string().optional(),
    causationId: z.string().nullable().optional(),
    sourceIp: z.string().nullable().optional(),
    userAgent: z.string().nullable().optional(),
  }),
});

export type EventMessage = z.infer<typeof EventMessage>;

/** Key: the client application, qualified by its workspace (client ids are unique per workspace only). */
export const messageKey = (workspaceId: string, clientId: string): string => `${workspaceId}:${clientId}`;

export const toEventMessage = (recorded: RecordedEvent): OutgoingMessage => {
  const event = toDomainEvent<ClientApplicationEvent>(recorded);
  const { workspaceId, clientId } = event.data;
  const value = {
    eventId: recorded.eventId,
    type: event.type,
    streamName: recorded.streamName,
    revision: recorded.revision,
    position: recorded.position,
    recordedAt: recorded.recordedAt,
    workspaceId,
    clientId,
    data: publicEventData(event),
    metadata: recorded.metadata,
  };
  return {
    key: messageKey(workspaceId, clientId),
    value: JSON.parse(JSON.stringify(value)) as OutgoingMessage["value"],
    headers: { "event-id": recorded.eventId, "event-type": event.type, "workspace-id": workspaceId },
  };
};
