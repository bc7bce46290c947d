import { clientApplicationStreamName, type ClientApplicationEvent } from "@clientapps/domain";
import { Position, type JsonObject, type RecordedEvent } from "@clientapps/event-store";
import type { OutgoingMessage } from "@clientapps/message-bus";
import { EventMessage, toEventMessage } from "@clientapps/relay";

/** Who did it from where, as the api records it with every event of a request. */
export type RequestMetadata = Readonly<{
  occurredAt: string;
  actor: Readonly<{ type: string; id: string }>;
  requestId: string;
  correlationId: string;
  causationId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
}>;

/** When the first event of a log is recorded; each next one a second later. */
const firstRecordedAt = Date.UTC(2025, 2, 25, 11, 15, 0);
/** Positions of a store that already holds other events. */
const firstPosition = 100n;

/**
 * Records domain events the way the event store and the api would (each on its
 * client's stream, revisions from 0 per stream, positions increasing across
 * streams, request metadata) and turns them into bus messages with the relay's
 * own {@link toEventMessage}. Ids, times and request ids are numbered, so the
 * same events always give the same messages.
 */
export const eventLog = () => {
  let count = 0;
  const revisions = new Map<string, number>();
  const recorded: RecordedEvent[] = [];
  return {
    recorded: recorded as readonly RecordedEvent[],
    record: (event: ClientApplicationEvent, metadata: Partial<RequestMetadata> = {}): OutgoingMessage => {
      count += 1;
      const streamName = clientApplicationStreamName(event.data.workspaceId, event.data.clientId);
      const revision = (revisions.get(streamName) ?? -1) + 1;
      revisions.set(streamName, revision);
      const recordedAt = firstRecordedAt + count * 1000;
      const requestMetadata: RequestMetadata = {
        occurredAt: new Date(recordedAt - 7).toISOString(),
        actor: { type: "credential", id: "cred-admin" },
        requestId: `req-${count}`,
        correlationId: `corr-${count}`,
        causationId: null,
        sourceIp: "203.0.113.7",
        userAgent: "awork-cli/2.4.1",
        ...metadata,
      };
      const recordedEvent: RecordedEvent = {
        eventId: `evt-${count}`,
        type: event.type,
        data: event.data as unknown as JsonObject,
        metadata: { ...requestMetadata, workspaceId: event.data.workspaceId },
        streamName,
        revision,
        position: Position.of(firstPosition + BigInt(count)),
        recordedAt: new Date(recordedAt).toISOString(),
      };
      recorded.push(recordedEvent);
      return toEventMessage(recordedEvent);
    },
  };
};

/** The same event in another workspace. */
export const inWorkspace = <E extends ClientApplicationEvent>(event: E, workspaceId: string): E => ({ ...event, data: { ...event.data, workspaceId } });

/** The messages of the events, recorded in order on fresh streams. */
export const messagesOf = (...events: readonly ClientApplicationEvent[]): OutgoingMessage[] => {
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
  return Object.entries(value).flatMap(([key, inner]) => [...(/hash/i.test(key) ? [`${path}.${key}`] : []), ...hashKeysIn(inner, `${path}.${key}`)]);
};

/**
 * The fields of an activity entry that come straight from its message: which
 * event, where in the log, who did it from where, to which client application.
 */
export const provenanceOf = (message: OutgoingMessage) => {
  const { eventId, type, position, recordedAt, workspaceId, clientId, metadata } = EventMessage.parse(message.value);
  return {
    workspaceId,
    eventId,
    eventType: type,
    occurredAt: metadata.occurredAt,
    recordedAt,
    position,
    actorType: metadata.actor?.type,
    actorId: metadata.actor?.id,
    objectType: "clientApplication",
    objectId: clientId,
    requestId: metadata.requestId,
    correlationId: metadata.correlationId,
    sourceIp: metadata.sourceIp,
    userAgent: metadata.userAgent,
  } as const;
};
