import {
  ConcurrencyError,
  EventStoreUnavailableError,
  type EventStore,
  type EventSubscription,
  type Position,
  type RecordedEvent,
} from "@clientapps/event-store";
import { BACKWARDS, END, type KurrentDBClient } from "@kurrent/kurrentdb-client";
import { disposeKurrentDbClient, kurrentDbClients } from "./kurrentDbClients.js";
import { createKurrentDbSubscription } from "./kurrentDbSubscription.js";
import { readAllPages } from "./readAllPages.js";
import { withDeadline } from "./withDeadline.js";
import {
  allEventsFilter,
  isSelected,
  isStreamNotFound,
  readStart,
  requireCount,
  toDriverRevision,
  toEventData,
  toPosition,
  toRecordedEvent,
  toRevision,
  toStreamState,
  translateError,
} from "./mapping.js";

/**
 * An event store on EventStoreDB 22.10+ or KurrentDB. The store owns the client: `close()`
 * ends the store's subscriptions and disposes of it. System events (types starting with `$`)
 * are never returned from $all. Event ids must be lowercase UUIDs, as the server keeps
 * UUIDs; an append of no events is refused with a RangeError.
 */
export type KurrentDbEventStoreOptions = Readonly<{
  /** How long a read (of a stream, of $all, of the head, of an append's position) may take before it fails as unavailable. */
  readDeadlineMs?: number;
  /** What `close()` does with the client once the store's subscriptions have ended; disposes of it by default. */
  release?: (client: KurrentDBClient) => Promise<void>;
}>;

const defaultReadDeadlineMs = 10_000;

export const createKurrentDbEventStore = (
  client: KurrentDBClient,
  { readDeadlineMs = defaultReadDeadlineMs, release = disposeKurrentDbClient }: KurrentDbEventStoreOptions = {},
): EventStore => {
  const subscriptions = new Set<EventSubscription>();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new EventStoreUnavailableError("The event store is closed.");
  };

  /** Runs a piece of client work, letting only the port's errors out. */
  const guard = async <T>(doing: string, work: () => Promise<T>): Promise<T> => {
    assertOpen();
    try {
      return await work();
    } catch (error) {
      throw translateError(error, doing);
    }
  };

  /**
   * The position of the event at `revision`, read back from the leader. The append's own
   * answer is not used: the server reports its commit position as both commit and prepare
   * position, which need not be the position the event is read at, and a writer waiting
   * for a reader to reach its write needs the latter. Should this read fail, the append has
   * happened all the same; the caller sees the store as unavailable.
   */
  const positionAt = async (streamName: string, revision: bigint): Promise<Position> => {
    const read = client.readStream(streamName, { fromRevision: revision, maxCount: 1, requiresLeader: true });
    for await (const resolved of withDeadline(read, readDeadlineMs, `to read back the append to '${streamName}'`)) {
      if (resolved.event !== undefined) return toRecordedEvent(resolved.event).position;
    }
    throw new EventStoreUnavailableError(`The event appended to '${streamName}' at revision ${revision} could not be read back.`);
  };

  /** The stream's revision now, for a conflict the client reported without throwing. */
  const currentRevision = async (streamName: string): Promise<number | "no_stream"> => {
    try {
      const read = client.readStream(streamName, { direction: BACKWARDS, fromRevision: END, maxCount: 1, requiresLeader: true });
      for await (const resolved of withDeadline(read, readDeadlineMs, `to read the revision of '${streamName}'`)) {
        if (resolved.event !== undefined) return toRevision(resolved.event.revision);
      }
      return "no_stream";
    } catch (error) {
      if (isStreamNotFound(error)) return "no_stream";
      throw error;
    }
  };

  return {
    appendToStream: async (streamName, events, { expectedRevision }) => {
      if (events.length === 0) throw new RangeError("An append needs at least one event.");
      const streamState = toStreamState(expectedRevision);
      const eventData = events.map(toEventData);
      assertOpen();
      try {
        const result = await client.appendToStream(streamName, eventData, { streamState });
        // Only a client built with throwOnAppendFailure=false answers a conflict this way.
        if (!result.success) throw new ConcurrencyError(streamName, expectedRevision, await currentRevision(streamName));
        return {
          nextExpectedRevision: toRevision(result.nextExpectedRevision),
          position: await positionAt(streamName, result.nextExpectedRevision),
        };
      } catch (error) {
        throw translateError(error, `to append to '${streamName}'`, { streamName, expected: expectedRevision });
      }
    },

    readStream: async (streamName, { fromRevision = 0, maxCount } = {}) => {
      const from = toDriverRevision(fromRevision, "fromRevision");
      if (maxCount !== undefined && requireCount("maxCount", maxCount) === 0) return [];
      return guard(`to read '${streamName}'`, async () => {
        const events: RecordedEvent[] = [];
        try {
          const read = client.readStream(streamName, {
            fromRevision: from,
            requiresLeader: true,
            ...(maxCount === undefined ? {} : { maxCount }),
          });
          for await (const resolved of withDeadline(read, readDeadlineMs, `to read '${streamName}'`)) {
            if (resolved.event !== undefined) events.push(toRecordedEvent(resolved.event));
          }
        } catch (error) {
          if (isStreamNotFound(error)) return [];
          throw error;
        }
        return events;
      });
    },

    readAll: async ({ after, maxCount, streamPrefix }) => {
      if (requireCount("maxCount", maxCount) === 0) return [];
      const filter = allEventsFilter(streamPrefix);
      return guard("to read all events", () =>
        readAllPages(
          (start, pageSize) =>
            withDeadline(
              client.readAll({ fromPosition: readStart(start), maxCount: pageSize, filter, requiresLeader: true }),
              readDeadlineMs,
              "to read all events",
            ),
          { after, maxCount, streamPrefix },
        ),
      );
    },

    subscribeToAll: ({ after, streamPrefix } = {}) => {
      assertOpen();
      const subscription: EventSubscription = createKurrentDbSubscription({
        selection: { after, streamPrefix },
        open: (from) => client.subscribeToAll({ fromPosition: readStart(from), filter: allEventsFilter(streamPrefix) }),
        onClose: () => subscriptions.delete(subscription),
      });
      subscriptions.add(subscription);
      return subscription;
    },

    headPosition: async () =>
      guard("to read the head position", async () => {
        // Backwards to the last event readAll would return: the server's filter lets events
        // of system streams through, and a head readers can never reach would hold them waiting.
        const read = client.readAll({ direction: BACKWARDS, fromPosition: END, filter: allEventsFilter(undefined), requiresLeader: true });
        for await (const { event } of withDeadline(read, readDeadlineMs, "to read the head position")) {
          if (event?.position !== undefined && isSelected(event, {})) return toPosition(event.position);
        }
        return undefined;
      }),

    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      try {
        await release(client);
      } catch (error) {
        throw translateError(error, "to close its client");
      }
    },
  };
};

/**
 * A store on the process's client for the connection string (kurrentdb://…), for
 * composition roots: stores on the same string share one client, and closing the last of
 * them disposes of it.
 */
export const connectKurrentDbEventStore = (
  connectionString: string,
  options: Omit<KurrentDbEventStoreOptions, "release"> = {},
): EventStore => {
  const lease = kurrentDbClients.acquire(connectionString);
  return createKurrentDbEventStore(lease.client, { ...options, release: lease.release });
};
