import type { ClientApplicationEvent, EventMetadata, WorkspaceEvent } from "@clientapps/domain";
import { EventMessage, toEventMessage } from "@clientapps/event-messages";
import { actorFields, objectOf } from "../activity/activityEntry.js";
import { eventRecorder } from "@clientapps/event-store/testing";
import type { OutgoingMessage } from "@clientapps/message-bus";

/** When the first event of a log is recorded; each next one a second later. */
const firstRecordedAt = Date.UTC(2025, 2, 25, 11, 15, 1);
/** Positions of a store that already holds other events. */
const firstPosition = 101n;

/**
 * Records domain events the way the event store and the api would (see
 * {@link eventRecorder}) and turns them into bus messages with the relay's own
 * {@link toEventMessage}, so the same events always give the same messages.
 */
export const eventLog = () => {
  const recorder = eventRecorder({ firstPosition, firstRecordedAt });
  return {
    recorded: recorder.recorded,
    record: (event: ClientApplicationEvent | WorkspaceEvent, metadata: Partial<EventMetadata> = {}): OutgoingMessage =>
      toEventMessage(event, recorder.record(event, metadata)),
  };
};

/** The same event in another workspace. */
export const inWorkspace = <E extends ClientApplicationEvent>(event: E, workspaceId: string): E => ({
  ...event,
  data: { ...event.data, workspaceId },
});

/** The messages of the events, recorded in order on fresh streams. */
export const messagesOf = (...events: readonly (ClientApplicationEvent | WorkspaceEvent)[]): OutgoingMessage[] => {
  const log = eventLog();
  return events.map((event) => log.record(event));
};

/** Every string held under a key that names a hash: what must never leave the event store. */
export const secretsIn = (events: readonly ClientApplicationEvent[]): string[] => {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (/hash/i.test(key) && typeof inner === "string") found.push(inner);
        else walk(inner);
      }
    }
  };
  events.forEach((event) => walk(event.data));
  return found;
};

/** Keys, at any depth, that name a hash. */
export const hashKeysIn = (value: unknown, path = "$"): string[] => {
  if (Array.isArray(value)) return value.flatMap((inner, index) => hashKeysIn(inner, `${path}[${index}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(/hash/i.test(key) ? [`${path}.${key}`] : []),
    ...hashKeysIn(inner, `${path}.${key}`),
  ]);
};

/**
 * The fields of an activity entry that come straight from its message: which
 * event, where in the log, who did it from where, to which client application (or workspace).
 */
export const provenanceOf = (message: OutgoingMessage) => {
  const parsed = EventMessage.parse(message.value);
  const { eventId, type, position, recordedAt, workspaceId, metadata } = parsed;
  return {
    workspaceId,
    eventId,
    eventType: type,
    occurredAt: metadata.occurredAt,
    recordedAt,
    position,
    ...actorFields(metadata.actor),
    ...objectOf(parsed),
    requestId: metadata.requestId,
    correlationId: metadata.correlationId,
    sourceIp: metadata.sourceIp,
    userAgent: metadata.userAgent,
  } as const;
};
