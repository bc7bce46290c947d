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
