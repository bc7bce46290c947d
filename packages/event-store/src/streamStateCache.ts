import { foldStream } from "./commandHandler.js";
import type { DomainEvent } from "./decodeEvent.js";
import type { EventStore } from "./eventStore.js";
import type { Decider } from "@clientapps/domain";

type Folding<Event, State> = Pick<Decider<unknown, Event, State>, "evolve" | "initialState" | "isEventType">;

export type FoldedStream<State> = Readonly<{ state: State; revision: number | undefined }>;

/** Folds streams, exact for each stream's revision at the time of the call; see {@link createStreamStateCache}. */
export type StreamStateCache<State> = Readonly<{ load: (streamName: string) => Promise<FoldedStream<State>> }>;

const defaultMaxStreams = 10_000;

/**
 * A revision-checked cache of folded streams, so that what reads a stream on every request
 * (a credential check) costs the same for a stream of one event or of ten thousand. Each load
 * reads the events appended since the cached revision, usually none, and folds them onto the
 * cached state: the state is exact for the stream's revision at that read, so a revocation
 * written a moment ago holds from the next load on, whichever process wrote it. Streams only
 * grow, so a cached state is never wrong, only behind, and the read catches it up. At most
 * `maxStreams` states are kept, the least recently loaded forgotten first.
 */
export const createStreamStateCache = <Event extends DomainEvent, State>(
  eventStore: EventStore,
  decider: Folding<Event, State>,
  options: Readonly<{ maxStreams?: number }> = {},
): StreamStateCache<State> => {
  const maxStreams = options.maxStreams ?? defaultMaxStreams;
  const cached = new Map<string, Readonly<{ state: State; revision: number }>>();

  return {
    load: async (streamName) => {
      const known = cached.get(streamName);
      const fromRevision = known === undefined ? 0 : known.revision + 1;
      const appended = await eventStore.readStream(streamName, { fromRevision });
      const last = appended.at(-1);
      if (last === undefined) {
        if (known === undefined) return { state: decider.initialState(), revision: undefined };
        // Loaded again: the most recently loaded are the last to be forgotten.
        cached.delete(streamName);
        cached.set(streamName, known);
        return known;
      }
      const state = foldStream(appended, { ...decider, initialState: () => known?.state ?? decider.initialState() });
      // A concurrent load may have cached a later revision meanwhile; the later one stays.
      const current = cached.get(streamName);
      if (current === undefined || current.revision < last.revision) {
        cached.delete(streamName);
        cached.set(streamName, { state, revision: last.revision });
        if (cached.size > maxStreams) cached.delete(cached.keys().next().value as string);
      }
      return { state, revision: last.revision };
    },
  };
};
