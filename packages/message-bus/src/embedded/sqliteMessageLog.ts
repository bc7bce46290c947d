import { crc32 } from "node:zlib";
import { turnTransactions } from "@clientapps/sqlite";
import type Database from "better-sqlite3";
import { MessageBusError, MessageBusUnavailableError } from "../errors.js";
import type { DeliveredMessage, JsonValue } from "../messageBus.js";

/** A message serialised before its transaction, so that a value JSON cannot hold fails as the caller's error. */
export type EncodedMessage = Readonly<{ key: string; value: string; headers: string }>;

// "partition" and "offset" are SQL keywords, hence quoted. A topic's partition count is fixed
// when the topic is first used, by whichever process comes first: a process configured with
// another count still hashes a key to the same partition, so per-key order holds in the file.
const schema = `
  CREATE TABLE IF NOT EXISTS topics (
    topic TEXT PRIMARY KEY,
    partitions INTEGER NOT NULL CHECK (partitions > 0)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS messages (
    topic TEXT NOT NULL,
    "partition" INTEGER NOT NULL CHECK ("partition" >= 0),
    "offset" INTEGER NOT NULL CHECK ("offset" >= 0),
    key TEXT NOT NULL,
    value TEXT NOT NULL CHECK (json_valid(value)),
    headers TEXT NOT NULL CHECK (json_valid(headers)),
    published_at TEXT NOT NULL,
    PRIMARY KEY (topic, "partition", "offset")
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS group_offsets (
    group_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    next_offset INTEGER NOT NULL CHECK (next_offset >= 0),
    PRIMARY KEY (group_id, topic, "partition")
  ) STRICT, WITHOUT ROWID`;

type MessageRow = Readonly<{ partition: number; offset: number; key: string; value: string; headers: string }>;

const driverCode = (error: unknown): string | undefined =>
  error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;

/** Runs driver work, letting only the port's errors out; the driver's error stays as the cause. */
const guard = <T>(doing: string, work: () => T): T => {
  try {
    return work();
  } catch (error) {
    if (error instanceof MessageBusError) throw error;
    throw new MessageBusUnavailableError(`The SQLite message bus failed ${doing} (${driverCode(error) ?? "no SQLite code"}).`, {
      cause: error,
    });
  }
};

/**
 * The partition of a key. It must never change for a file that holds messages, or a key's
 * later messages would land in another partition and overtake its earlier ones.
 */
export const partitionOf = (key: string, partitions: number): number => crc32(key) % partitions;

/** How many commits to a partition go between two trims of what every group has consumed. */
export const trimEveryCommits = 256;

/** The log's tables and every statement the bus runs on them; all of it is synchronous. */
export const createSqliteMessageLog = (db: Database.Database, defaultPartitions: number) => {
  // Beside the read models in a derived file, publishes and offset commits join the turn's transaction.
  const turn = guard("to open the message log", () => turnTransactions(db));
  const statements = guard("to create its schema", () => {
    turn.schema(() => db.exec(schema));
    return {
      createTopic: db.prepare<[string, number]>("INSERT INTO topics (topic, partitions) VALUES (?, ?) ON CONFLICT DO NOTHING"),
      partitions: db.prepare<[string], { partitions: number }>("SELECT partitions FROM topics WHERE topic = ?"),
      nextOffset: db.prepare<[string, number], { next: number }>(
        `SELECT coalesce(max("offset") + 1, 0) AS next FROM messages WHERE topic = ? AND "partition" = ?`,
      ),
      insert: db.prepare<[string, number, number, string, string, string, string]>(
        `INSERT INTO messages (topic, "partition", "offset", key, value, headers, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      read: db.prepare<[string, number, number, number], MessageRow>(
        `SELECT "partition", "offset", key, value, headers FROM messages
         WHERE topic = ? AND "partition" = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?`,
      ),
      committed: db.prepare<[string, string, number], { next_offset: number }>(
        `SELECT next_offset FROM group_offsets WHERE group_id = ? AND topic = ? AND "partition" = ?`,
      ),
      // Never moves a commit back: should two processes consume one group (each then gets
      // every message), the slower one must not make the group repeat what the other committed.
      commit: db.prepare<[string, string, number, number]>(
        `INSERT INTO group_offsets (group_id, topic, "partition", next_offset) VALUES (?, ?, ?, ?)
         ON CONFLICT (group_id, topic, "partition") DO UPDATE SET next_offset = excluded.next_offset
         WHERE excluded.next_offset > group_offsets.next_offset`,
      ),
      // What every group that consumes the partition has passed, but for the last message,
      // whose offset numbers the next one.
      trim: db.prepare<{ topic: string; partition: number }>(
        `DELETE FROM messages WHERE topic = @topic AND "partition" = @partition
         AND "offset" < (SELECT min(next_offset) FROM group_offsets WHERE topic = @topic AND "partition" = @partition)
         AND "offset" < (SELECT max("offset") FROM messages WHERE topic = @topic AND "partition" = @partition)`,
      ),
    };
  });

  // Commits per partition since its last trim.
  const commitsSinceTrim = new Map<string, number>();

  // A topic's partition count never changes once created, so it is read once per process.
  const knownPartitions = new Map<string, number>();

  const partitionsOf = (topic: string): number => {
    const known = knownPartitions.get(topic);
    if (known !== undefined) return known;
    const partitions = guard(`to create topic '${topic}'`, () => {
      turn.schema(() => statements.createTopic.run(topic, defaultPartitions));
      return statements.partitions.get(topic)?.partitions;
    });
    if (partitions === undefined) throw new MessageBusUnavailableError(`Topic '${topic}' vanished from the SQLite file.`);
    knownPartitions.set(topic, partitions);
    return partitions;
  };

  // Runs IMMEDIATE (see `append`): the write lock is taken before the highest offsets are read,
  // so publishers on other connections wait instead of reading the same offsets.
  const appendTransaction = db.transaction((topic: string, partitions: number, messages: readonly EncodedMessage[]) => {
    const publishedAt = new Date().toISOString();
    const nextOffsets = new Map<number, number>();
    for (const { key, value, headers } of messages) {
      const partition = partitionOf(key, partitions);
      const offset = nextOffsets.get(partition) ?? statements.nextOffset.get(topic, partition)?.next ?? 0;
      statements.insert.run(topic, partition, offset, key, value, headers, publishedAt);
      nextOffsets.set(partition, offset + 1);
    }
  });

  return {
    partitionsOf,

    /** Commits what this turn wrote, before the handle's owner closes it (which would roll it back). */
    flush: (): void => {
      guard("to commit the message log", () => turn.commitNow());
    },

    /** Answers when the file can be read. */
    ping: (): void => {
      guard("to reach the message log", () => db.prepare("SELECT 1").get());
    },

    /** Appends all the messages or, should any fail, none. */
    append: (topic: string, messages: readonly EncodedMessage[]): void => {
      const partitions = partitionsOf(topic);
      guard(`to publish to '${topic}'`, () => turn.write(() => appendTransaction.immediate(topic, partitions, messages)));
    },

    read: (topic: string, partition: number, fromOffset: number, limit: number): DeliveredMessage[] =>
      guard(`to read '${topic}'`, () =>
        statements.read.all(topic, partition, fromOffset, limit).map((row) => ({
          topic,
          partition: row.partition,
          offset: row.offset,
          key: row.key,
          value: JSON.parse(row.value) as { readonly [key: string]: JsonValue },
          headers: JSON.parse(row.headers) as Record<string, string>,
        })),
      ),

    /** Where the group goes on in the partition; a group that never committed starts at the beginning. */
    committedOffset: (groupId: string, topic: string, partition: number): number =>
      guard(`to read the offset of group '${groupId}'`, () => statements.committed.get(groupId, topic, partition)?.next_offset ?? 0),

    /**
     * Records where the group goes on in the partition. Every `trimEveryCommits` commits to a
     * partition, the messages every group consuming it has passed are removed, so that the log
     * does not grow without end; a group that has never committed starts at the earliest kept.
     */
    commit: (groupId: string, topic: string, partition: number, nextOffset: number): void => {
      guard(`to commit the offset of group '${groupId}'`, () =>
        turn.write(() => statements.commit.run(groupId, topic, partition, nextOffset)),
      );
      const key = `${partition}:${topic}`;
      const commits = (commitsSinceTrim.get(key) ?? 0) + 1;
      commitsSinceTrim.set(key, commits % trimEveryCommits);
      if (commits === trimEveryCommits) guard(`to trim '${topic}'`, () => turn.write(() => statements.trim.run({ topic, partition })));
    },
  };
};

export type SqliteMessageLog = ReturnType<typeof createSqliteMessageLog>;
