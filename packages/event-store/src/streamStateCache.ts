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
 * grow, so a cached state is never wrong, only behind, and the read catches it up. Where the
 * store has a change token, a load that finds it as it was at the cached state's read skips
 * the read: nothing was appended anywhere since. At most `maxStreams` states are kept, the
 * least recently loaded forgotten first.
 */
export const createStreamStateCache = <Event extends DomainEvent, State>(
  eventStore: EventStore,
  decider: Folding<Event, State>,
  options: Readonly<{ maxStreams?: number }> = {},
): StreamStateCache<State> => {
  const maxStreams = options.maxStreams ?? defaultMaxStreams;
  /** A stream's folded state, exact at least up to when the store's change token was `checkedAt`. */
  type Entry = Readonly<{ state: State; revision: number | undefined; checkedAt: string | undefined }>;
  const cached = new Map<string, Entry>();

  const remember = (streamName: string, entry: Entry): void => {
    // Loaded again: the most recently loaded are the last to be forgotten.
    cached.delete(streamName);
    cached.set(streamName, entry);
    if (cached.size > maxStreams) cached.delete(cached.keys().next().value as string);
  };

  return {
    load: async (streamName) => {
      // Taken before the read: an append between the two leaves the entry marked older than it is, never newer.
      const token = eventStore.changeToken?.();
      const known = cached.get(streamName);
      if (known !== undefined && token !== undefined && known.checkedAt === token) {
        remember(streamName, known);
        return known;
      }
      const fromRevision = known?.revision === undefined ? 0 : known.revision + 1;
      const appended = await eventStore.readStream(streamName, { fromRevision });
      const last = appended.at(-1);
      const revision = last?.revision ?? known?.revision;
      const state =
        last === undefined
          ? (known?.state ?? decider.initialState())
          : foldStream(appended, { ...decider, initialState: () => known?.state ?? decider.initialState() });
      // A concurrent load may have cached a later revision meanwhile; the later one stays. At
      // the same revision either is exact; this one's token may be the older, which costs a read.
      const current = cached.get(streamName);
      if (current === undefined || (current.revision ?? -1) <= (revision ?? -1))
        remember(streamName, { state, revision, checkedAt: token });
      return { state, revision };
    },
  };
};
