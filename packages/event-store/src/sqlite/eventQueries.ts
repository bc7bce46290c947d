import type { JsonObject, RecordedEvent } from "../eventStore.js";
import { Position } from "../position.js";

/** The columns of every event read, in the shape of an `EventRow`. */
const columns = "position, stream_name, revision, event_id, type, data, metadata, recorded_at";

const select = (where: string, order: string): string => `SELECT ${columns} FROM events WHERE ${where} ORDER BY ${order} LIMIT @limit`;

/**
 * The reads of the SQLite event store, named parameters and all. A subscription reads a page
 * in position order, which the primary key gives by seeking; on the prefix reads, the unary
 * plus keeps the planner off the stream-name index, through which it would visit every event of
 * the prefix and sort them in a temporary tree, a cost growing with the log. Every prefix the
 * services subscribe to covers most of the log (the client applications' streams), so filtering
 * the rows read in position order discards few.
 */
export const eventQueries = {
  stream: select("stream_name = @streamName AND revision >= @fromRevision", "revision"),
  all: select("position > @after", "position"),
  prefix: select("position > @after AND +stream_name >= @from AND +stream_name < @to", "position"),
  openPrefix: select("position > @after AND +stream_name >= @from", "position"),
} as const;

// The index of UNIQUE (stream_name, revision) serves reading a stream and reading a range
// of stream names (a prefix), so no other index is needed.
export const schema = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_name TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision >= 0),
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data)),
    metadata TEXT NOT NULL CHECK (json_valid(metadata)),
    recorded_at TEXT NOT NULL,
    UNIQUE (stream_name, revision)
  ) STRICT`;

export type EventRow = Readonly<{
  position: bigint;
  stream_name: string;
  revision: bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}>;

export type EventInsert = Readonly<{
  streamName: string;
  revision: number;
  eventId: string;
  type: string;
  data: string;
  metadata: string;
  recordedAt: string;
}>;

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  type: row.type,
  data: JSON.parse(row.data) as JsonObject,
  metadata: JSON.parse(row.metadata) as JsonObject,
  streamName: row.stream_name,
  revision: Number(row.revision),
  position: Position.of(row.position),
  recordedAt: row.recorded_at,
});
