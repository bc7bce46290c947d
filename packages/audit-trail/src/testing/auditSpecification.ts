import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { DeliveredMessage, MessageBus, OutgoingMessage } from "@clientapps/message-bus";
import type { Document, ReadModelCollection, ReadModelStore, Stored } from "@clientapps/read-models";
import { eventsTopic, messageKey, revocationsTopic } from "@clientapps/event-messages";
import { createLogger, openEmbeddedEngines } from "@clientapps/runtime";
import { expect } from "vitest";
import { activityAnchorsCollection, activityStreamCollection, type ActivityEntry, type ChainAnchor } from "../activity/activityEntry.js";
import { chainHash, genesisHash } from "../activity/hashChain.js";
import { verifyActivityChain } from "../activity/verifyChain.js";
import { createAuditHandler } from "../auditConsumer.js";
import { revocationFeedCollection, type RevocationEntry } from "../tokens/revocationEntry.js";
import { hashKeysIn } from "./eventMessages.js";

/** What the audit consumer leaves behind: its collections, what it published and what it logged. */
export type AuditOutcome = Readonly<{
  /** By workspace, then sequence. */
  activity: readonly Stored<ActivityEntry>[];
  revocations: readonly Stored<RevocationEntry>[];
  anchors: readonly Stored<ChainAnchor>[];
  /** Messages on the revocations topic, by workspace, then sequence. */
  published: readonly DeliveredMessage[];
  logs: readonly Readonly<Record<string, unknown>>[];
  /** How many times the handler reported the lag of a new activity entry. */
  lagsObserved: number;
}>;

export type ExpectedActivity = Partial<Omit<ActivityEntry, "changes">> & Readonly<{ changes?: ActivityEntry["changes"] }>;

export type AuditExpectation = Readonly<{
  /** Each entry in workspace, then sequence order; `changes` must match exactly, other fields as given. */
  activity: readonly ExpectedActivity[];
  /** The feed in workspace, then sequence order, each entry with the fields given. */
  revocations?: readonly Partial<RevocationEntry>[];
  /** Messages skipped as unreadable. */
  skipped?: number;
  /** Strings (keyed hashes, say) that must appear nowhere the audit consumer writes. */
  neverShows?: readonly string[];
}>;

/** Spread over the four partitions of the embedded bus (crc32), so a sentinel follows whatever a partition holds. */
const sentinelKeys = Array.from({ length: 8 }, (_, index) => `sentinel-${index}`);
const pageSize = 500;

const readAll = async <T extends Document>(collection: ReadModelCollection<T>): Promise<Stored<T>[]> => {
  const numbered = collection as unknown as ReadModelCollection<Readonly<{ workspaceId: string; sequence: number }>>;
  const items: Stored<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = await numbered.find({ orderBy: { field: "sequence", direction: "asc" }, limit: pageSize, cursor });
    items.push(...(page.items as unknown as Stored<T>[]));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
};

type Numbered = Readonly<{ workspaceId: string; sequence: number }>;
const byWorkspaceAndSequence = (a: Numbered, b: Numbered): number =>
  a.workspaceId < b.workspaceId ? -1 : a.workspaceId > b.workspaceId ? 1 : a.sequence - b.sequence;

/**
 * Everything published to the revocations topic so far. A sentinel is published
 * after it under each key in play and spread over every partition; per-key (and
 * per-partition) order means that once a fresh group has seen all the sentinels,
 * it has seen everything published before them.
 */
const readPublished = async (bus: MessageBus, keys: readonly string[]): Promise<DeliveredMessage[]> => {
  const round = randomUUID();
  const sentinels = [...new Set([...keys, ...sentinelKeys])];
  await bus.publish(
    revocationsTopic,
    sentinels.map((key) => ({ key, value: { sentinel: round }, headers: { sentinel: round } })),
  );
  const published: DeliveredMessage[] = [];
  let seen = 0;
  let allSeen!: () => void;
  const done = new Promise<void>((resolve) => (allSeen = resolve));
  const consumer = await bus.consume({ groupId: `audit-spec-${round}`, topics: [revocationsTopic] }, async (message) => {
    if (message.headers.sentinel === undefined) published.push(message);
    else if (message.headers.sentinel === round && ++seen === sentinels.length) allSeen();
  });
  await done;
  await consumer.stop();
  return published.sort((a, b) => byWorkspaceAndSequence(a.value as Numbered, b.value as Numbered));
};

const deliveryOf = (message: OutgoingMessage, offset: number): DeliveredMessage => ({
  ...message,
  topic: eventsTopic,
  partition: 0,
  offset,
  headers: message.headers ?? {},
});

type AuditRun = Readonly<{
  /** Hands the messages to the handler in order, each with its offset in the given list. */
  deliver: (indexes: readonly number[]) => Promise<void>;
  outcome: () => Promise<AuditOutcome>;
  readModels: ReadModelStore;
}>;

/** Runs `work` against the embedded engines in a fresh directory, deleted afterwards whatever happened. */
const withAudit = async <R>(messages: readonly OutgoingMessage[], work: (run: AuditRun) => Promise<R>): Promise<R> => {
  const dataDir = await mkdtemp(join(tmpdir(), "audit-spec-"));
  try {
    const engines = openEmbeddedEngines({ dataDir, pollIntervalMs: 20 });
    try {
      const logs: Record<string, unknown>[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logs.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
          done();
        },
      });
      let lagsObserved = 0;
      const handle = await createAuditHandler({
        bus: engines.bus,
        readModels: engines.readModels,
        logger: createLogger({ level: "debug" }, sink),
        clock: () => new Date(),
        observeLag: () => (lagsObserved += 1),
      });
      const activity = await engines.readModels.collection<ActivityEntry>(activityStreamCollection);
      const feed = await engines.readModels.collection<RevocationEntry>(revocationFeedCollection);
      const anchors = await engines.readModels.collection<ChainAnchor>(activityAnchorsCollection);
      return await work({
        readModels: engines.readModels,
        deliver: async (indexes) => {
          for (const index of indexes) await handle(deliveryOf(messages[index]!, index));
        },
        outcome: async () => ({
          activity: (await readAll(activity)).sort((a, b) => byWorkspaceAndSequence(a.document, b.document)),
          revocations: (await readAll(feed)).sort((a, b) => byWorkspaceAndSequence(a.document, b.document)),
          anchors: (await readAll(anchors)).sort((a, b) => (a.id < b.id ? -1 : 1)),
          published: await readPublished(
            engines.bus,
            messages.map((message) => message.key),
          ),
          logs: [...logs],
          lagsObserved,
        }),
      });
    } finally {
      await engines.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
};

/** What holds after any messages: numbering, hash links, anchors, published feed, no hashes. */
const expectInvariants = async (outcome: AuditOutcome, readModels: ReadModelStore): Promise<void> => {
  const activity = await readModels.collection<ActivityEntry>(activityStreamCollection);
  const anchors = await readModels.collection<ChainAnchor>(activityAnchorsCollection);
  const workspaces = [...new Set(outcome.activity.map(({ document }) => document.workspaceId))];
  for (const workspaceId of workspaces) {
    const entries = outcome.activity.filter(({ document }) => document.workspaceId === workspaceId).map(({ document }) => document);
    expect(
      entries.map((entry) => entry.sequence),
      `sequences of ${workspaceId}`,
    ).toEqual(entries.map((_, index) => index + 1));
    entries.forEach(({ hash, ...content }, index) => {
      expect(content.previousHash, `previousHash of ${workspaceId}#${content.sequence}`).toBe(entries[index - 1]?.hash ?? genesisHash);
      expect(hash, `hash of ${workspaceId}#${content.sequence}`).toBe(chainHash(content.previousHash, content));
    });
    expect(await verifyActivityChain(activity, anchors, workspaceId)).toEqual({
      valid: true,
      entriesChecked: entries.length,
      firstBroken: null,
    });
    const last = entries.at(-1)!;
    expect(outcome.anchors.find((anchor) => anchor.id === workspaceId)?.document, `anchor of ${workspaceId}`).toEqual({
      sequence: last.sequence,
      hash: last.hash,
    });
  }
  expect(outcome.anchors.map((anchor) => anchor.id)).toEqual([...workspaces].sort());
  for (const workspaceId of new Set(outcome.revocations.map(({ document }) => document.workspaceId))) {
    const entries = outcome.revocations.filter(({ document }) => document.workspaceId === workspaceId);
    expect(
      entries.map(({ document }) => document.sequence),
      `feed sequences of ${workspaceId}`,
    ).toEqual(entries.map((_, index) => index + 1));
  }
  expect(hashKeysIn(outcome.activity.map(({ document }) => document.changes)), "hashes in the activity changes").toEqual([]);
  expect(hashKeysIn(outcome.revocations), "hashes in the feed").toEqual([]);
  expect(hashKeysIn(outcome.published.map((message) => message.value)), "hashes in the published revocations").toEqual([]);
};

/** The revocation messages, each once, as comparable text. */
const distinctPublished = (outcome: AuditOutcome): string[] =>
  [...new Set(outcome.published.map(({ key, value, headers }) => JSON.stringify({ key, value, headers })))].sort();

const collections = ({ activity, revocations, anchors }: AuditOutcome) => ({ activity, revocations, anchors });

/**
 * Given/then for the audit consumer, against the real SQLite read models and
 * embedded bus: `given(messages).then({ activity, revocations })` delivers the
 * messages once, in order, and asserts the activity stream and the feed (plus
 * the invariants every outcome keeps); `thenAppliedTwiceIsTheSame()` asserts
 * that a redelivery of all of them, and each delivered twice in a row, leave
 * the collections and anchors as one delivery does, and publish only copies.
 */
export const AuditSpecification = {
  given: (messages: readonly OutgoingMessage[]) => {
    const once = messages.map((_, index) => index);
    return {
      then: (expected: AuditExpectation): Promise<AuditOutcome> =>
        withAudit(messages, async ({ deliver, outcome: read, readModels }) => {
          await deliver(once);
          const outcome = await read();
          await expectInvariants(outcome, readModels);
          const activity = outcome.activity.map(({ document }) => document);
          expect(activity.length, "activity entries").toBe(expected.activity.length);
          expected.activity.forEach(({ changes, ...fields }, index) => {
            expect(activity[index], `activity entry ${index}`).toMatchObject(fields);
            if (changes !== undefined) expect(activity[index]?.changes, `changes of activity entry ${index}`).toStrictEqual(changes);
          });
          const feed = outcome.revocations.map(({ document }) => document);
          expect(feed).toMatchObject(expected.revocations ?? []);
          expect(
            outcome.published.map((message) => message.value),
            "published revocations",
          ).toStrictEqual(feed);
          for (const { key, value, headers } of outcome.published) {
            const entry = value as RevocationEntry;
            expect({ key, headers }).toEqual({
              key: messageKey(entry.workspaceId, entry.clientId),
              headers: { "event-id": entry.eventId },
            });
          }
          const skipped = outcome.logs.filter((log) => log.msg === "unreadable event message skipped");
          expect(skipped, "messages skipped as unreadable").toHaveLength(expected.skipped ?? 0);
          expect(outcome.lagsObserved, "lags observed").toBe(activity.length);
          const written = JSON.stringify([
            outcome.activity,
            outcome.revocations,
            outcome.published.map((message) => message.value),
            outcome.logs,
          ]);
          for (const secret of expected.neverShows ?? []) expect(written, "a secret was written").not.toContain(secret);
          return outcome;
        }),

      thenAppliedTwiceIsTheSame: async (): Promise<void> => {
        const first = await withAudit(messages, async ({ deliver, outcome }) => {
          await deliver(once);
          const applied = await outcome();
          expect(applied.activity.length, "the messages should make at least one entry").toBeGreaterThan(0);
          await deliver(once);
          const replayed = await outcome();
          expect(collections(replayed), "after a redelivery of all the messages").toStrictEqual(collections(applied));
          expect(distinctPublished(replayed), "published after a redelivery").toEqual(distinctPublished(applied));
          expect(replayed.lagsObserved, "lags observed after a redelivery").toBe(applied.lagsObserved);
          return applied;
        });
        await withAudit(messages, async ({ deliver, outcome }) => {
          await deliver(once.flatMap((index) => [index, index]));
          const doubled = await outcome();
          expect(collections(doubled), "after each message was delivered twice in a row").toStrictEqual(collections(first));
          expect(distinctPublished(doubled), "published after each message was delivered twice").toEqual(distinctPublished(first));
        });
      },
    };
  },
};

/**
 * Runs `work` on the read models after the handler took the messages; `deliverLater`
 * hands it the `later` ones, so that a test can append while it reads.
 */
export const withAuditedMessages = <R>(
  messages: readonly OutgoingMessage[],
  work: (readModels: ReadModelStore, deliverLater: () => Promise<void>) => Promise<R>,
  later: readonly OutgoingMessage[] = [],
): Promise<R> =>
  withAudit([...messages, ...later], async ({ deliver, readModels }) => {
    await deliver(messages.map((_, index) => index));
    return work(readModels, () => deliver(later.map((_, index) => messages.length + index)));
  });
