import type { Consumer, DeliveredMessage, MessageBus } from "@clientapps/message-bus";
import type { ReadModelStore } from "@clientapps/read-models";
import { EventMessage, eventsTopic, messageKey, revocationsTopic } from "@clientapps/event-messages";
import { inSpan, type Logger } from "@clientapps/runtime";
import { activityChanges } from "./activity/activityChanges.js";
import {
  activityAnchorsCollection,
  actorFields,
  activityStreamCollection,
  objectOf,
  operations,
  type ActivityContent,
  type ActivityEntry,
  type ChainAnchor,
} from "./activity/activityEntry.js";
import { chainHash, genesisHash } from "./activity/hashChain.js";
import { createSequencedLog } from "./sequencedAppend.js";
import { revocationFeedCollection, revocationsOf, type Revocation, type RevocationEntry } from "./tokens/revocationEntry.js";

export const auditGroupId = "audit";

export type AuditDependencies = Readonly<{
  bus: MessageBus;
  readModels: ReadModelStore;
  logger: Logger;
  clock: () => Date;
  /** Told, per entry appended, how long after the write it landed in the activity stream. */
  observeLag?: (lagSeconds: number) => void;
  /** Told of every message skipped because it could not be read (an unknown type, data not as its type says). */
  onUnreadableMessage?: (topic: string) => void;
}>;

type ReadMessage =
  | Readonly<{ event: EventMessage; changes: ActivityContent["changes"]; revocations: readonly Revocation[] }>
  | Readonly<{ problem: string }>;

/**
 * The event and what it means for the audit, worked out before anything is written.
 * The schema checks the envelope and the data of each event type, so a message of a
 * type this build does not know, or whose data is not what its type says, is unreadable.
 */
const readEventMessage = (value: unknown): ReadMessage => {
  const parsed = EventMessage.safeParse(value);
  if (!parsed.success) return { problem: `${parsed.error.issues.length} schema issue(s)` };
  return { event: parsed.data, changes: activityChanges(parsed.data), revocations: revocationsOf(parsed.data) };
};

/** The audit consumer's state changes for one event message; each step is safe to repeat. */
export const createAuditHandler = async (deps: AuditDependencies): Promise<(message: DeliveredMessage) => Promise<void>> => {
  const activity = await deps.readModels.collection<ActivityEntry>(activityStreamCollection);
  const anchors = await deps.readModels.collection<ChainAnchor>(activityAnchorsCollection);
  const feed = await deps.readModels.collection<RevocationEntry>(revocationFeedCollection);
  const logger = deps.logger.child({ component: "audit" });
  const activityLog = createSequencedLog(activity);
  const feedLog = createSequencedLog(feed);

  const recordActivity = async (event: EventMessage, changes: ActivityContent["changes"]): Promise<void> => {
    const { metadata } = event;
    const appended = await activityLog.append(event.eventId, event.workspaceId, (sequence, previous) => {
      const content: ActivityContent = {
        workspaceId: event.workspaceId,
        sequence,
        eventId: event.eventId,
        eventType: event.type,
        operation: operations[event.type],
        occurredAt: metadata.occurredAt,
        recordedAt: event.recordedAt,
        position: event.position,
        ...actorFields(metadata.actor),
        ...objectOf(event),
        changes,
        requestId: metadata.requestId,
        correlationId: metadata.correlationId,
        sourceIp: metadata.sourceIp,
        userAgent: metadata.userAgent,
        previousHash: previous?.hash ?? genesisHash,
      };
      return { ...content, hash: chainHash(content.previousHash, content) };
    });
    if (appended) deps.observeLag?.((deps.clock().getTime() - Date.parse(event.recordedAt)) / 1000);
    // Also after a redelivery: a crash may have come between the entry and its anchor.
    const entry = appended ?? (await activity.get(event.eventId))?.document;
    if (entry) await anchors.upsert(event.workspaceId, entry.sequence, { sequence: entry.sequence, hash: entry.hash });
  };

  const recordRevocations = async (event: EventMessage, revocations: readonly Revocation[]): Promise<void> => {
    const entries: RevocationEntry[] = [];
    for (const [index, revocation] of revocations.entries()) {
      const id = `${event.eventId}:${index}`;
      const appended = await feedLog.append(id, event.workspaceId, (sequence) => ({
        ...revocation,
        workspaceId: event.workspaceId,
        sequence,
        eventId: event.eventId,
        clientId: event.clientId,
        occurredAt: event.metadata.occurredAt,
      }));
      const entry = appended ?? (await feed.get(id))?.document;
      if (entry) entries.push(entry);
    }
    // Published on every delivery, so a crash after storing never loses the message; subscribers dedupe by event id.
    if (entries.length > 0) {
      await deps.bus.publish(
        revocationsTopic,
        entries.map((entry) => ({
          key: messageKey(entry.workspaceId, entry.clientId),
          value: entry,
          headers: { "event-id": entry.eventId },
        })),
      );
    }
  };

  const consume = async (message: DeliveredMessage): Promise<void> => {
    const read = readEventMessage(message.value);
    if ("problem" in read) {
      deps.onUnreadableMessage?.(message.topic);
      // A message we cannot read would block its partition forever; it is logged with its place and skipped.
      logger.error(
        { topic: message.topic, partition: message.partition, offset: message.offset, problem: read.problem },
        "unreadable event message skipped",
      );
      return;
    }
    try {
      await recordActivity(read.event, read.changes);
      await recordRevocations(read.event, read.revocations);
    } catch (error) {
      // The bus redelivers the message; meanwhile the log says why the stream is not moving.
      logger.warn({ err: error, eventId: read.event.eventId, offset: message.offset }, "auditing an event failed; it will be retried");
      throw error;
    }
  };
  // Continues the trace the relay's message headers carry, so the activity entry joins the request that caused it.
  return (message) => inSpan("audit consume", { kind: "consumer", parent: message.headers.traceparent }, () => consume(message));
};

/** Consumes the event messages as the `audit` group until stopped. */
export const startAudit = async (deps: AuditDependencies): Promise<Consumer> =>
  deps.bus.consume({ groupId: auditGroupId, topics: [eventsTopic] }, await createAuditHandler(deps));
