import { clientApplicationStreamName, workspaceStreamName, type EventMetadata } from "@clientapps/domain";
import type { JsonObject, RecordedEvent } from "../eventStore.js";
import { Position } from "../position.js";

/** A client-application event as the decider makes it, or one of a type this build does not know. */
export type EventToRecord = Readonly<{ type: string; data: Readonly<{ workspaceId: string; clientId: string }> }>;

/** A workspace's own event: it names no client. */
export type WorkspaceEventToRecord = Readonly<{ type: string; data: Readonly<{ workspaceId: string; clientId?: undefined }> }>;

export type EventRecorderOptions = Readonly<{
  /** Position of the first event; a store that already holds others starts later. */
  firstPosition?: bigint;
  /** When the first event is recorded; each next one a second later. */
  firstRecordedAt?: number;
  /** The metadata of the n-th event (from 1), before the overrides given to `record`. */
  metadata?: (n: number, event: EventToRecord | WorkspaceEventToRecord) => EventMetadata;
}>;

/** Who did it from where, as the api records it; numbered, so the same events always get the same metadata. */
export const requestMetadata = (n: number, event: EventToRecord | WorkspaceEventToRecord, recordedAt: number): EventMetadata => ({
  occurredAt: new Date(recordedAt - 7).toISOString(),
  actor: { type: "adminToken", id: "cred-admin" },
  workspaceId: event.data.workspaceId,
  requestId: `req-${n}`,
  correlationId: `corr-${n}`,
  causationId: null,
  sourceIp: "203.0.113.7",
  userAgent: "awork-cli/2.4.1",
});

/**
 * Records events the way the event store and the api would: each on its client's (or workspace's)
 * stream, revisions from 0 per stream, positions increasing across streams, times
 * a second apart, request metadata. Ids and times are numbered, so the same events
 * always give the same records. The data is taken as given, unchecked, so a test
 * can record events of types this build does not know.
 */
export const eventRecorder = (options: EventRecorderOptions = {}) => {
  const firstPosition = options.firstPosition ?? 1n;
  const firstRecordedAt = options.firstRecordedAt ?? Date.UTC(2025, 0, 1);
  const revisions = new Map<string, number>();
  const all: RecordedEvent[] = [];
  return {
    recorded: all as readonly RecordedEvent[],
    record: (event: EventToRecord | WorkspaceEventToRecord, overrides: Partial<EventMetadata> = {}): RecordedEvent => {
      const index = all.length;
      const { workspaceId, clientId } = event.data;
      const streamName = clientId === undefined ? workspaceStreamName(workspaceId) : clientApplicationStreamName(workspaceId, clientId);
      const revision = (revisions.get(streamName) ?? -1) + 1;
      revisions.set(streamName, revision);
      const recordedAt = firstRecordedAt + index * 1000;
      const metadata = options.metadata?.(index + 1, event) ?? requestMetadata(index + 1, event, recordedAt);
      const recorded: RecordedEvent = {
        eventId: `event-${index + 1}`,
        type: event.type,
        data: toJson(event.data),
        metadata: { ...metadata, ...overrides },
        streamName,
        revision,
        position: Position.of(firstPosition + BigInt(index)),
        recordedAt: new Date(recordedAt).toISOString(),
      };
      all.push(recorded);
      return recorded;
    },
  };
};

/** As the store keeps it: what JSON can hold (`undefined` members dropped). */
const toJson = (data: object): JsonObject => JSON.parse(JSON.stringify(data)) as JsonObject;

/** Records the events in order on fresh streams. */
export const recorded = (...events: readonly EventToRecord[]): RecordedEvent[] => {
  const recorder = eventRecorder();
  return events.map((event) => recorder.record(event));
};
