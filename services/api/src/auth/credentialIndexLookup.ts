import type { EventStore } from "@clientapps/event-store";
import type { CheckpointStore, Document, ReadModelCollection } from "@clientapps/read-models";
import { waitForCheckpoint } from "../consistency/readYourWrites.js";

type Dependencies<Entry extends Document> = Readonly<{
  index: ReadModelCollection<Entry>;
  /** The checkpoint of the projection that writes the index. */
  checkpoint: string;
  checkpoints: CheckpointStore;
  eventStore: EventStore;
  catchUpTimeoutMs: number;
  maxCached?: number;
}>;

/** Index entries kept in memory; beyond it the least recently found is read from the index again. */
const defaultMaxCached = 10_000;

/**
 * Finds the index entry of a credential's keyed hash: which workspace, client and credential
 * it names. What the entry says never changes (a hash names one credential for good), and it
 * grants nothing by itself: whether the credential still works is decided on its stream, on
 * every check. So entries found are kept in memory, and a check of a known credential reads no
 * index. A credential issued a moment ago may not be indexed yet: on a miss, the index is let
 * catch up once. Misses are not kept, so a credential appears as soon as it is indexed.
 */
export const credentialIndexLookup = <Entry extends Document>(
  deps: Dependencies<Entry>,
): ((hash: string) => Promise<Entry | undefined>) => {
  const maxCached = deps.maxCached ?? defaultMaxCached;
  const found = new Map<string, Entry>();

  const remember = (hash: string, entry: Entry): Entry => {
    found.delete(hash);
    found.set(hash, entry);
    if (found.size > maxCached) found.delete(found.keys().next().value as string);
    return entry;
  };

  const read = async (hash: string): Promise<Entry | undefined> => {
    const indexed = await deps.index.get(hash);
    if (indexed) return indexed.document;
    const head = await deps.eventStore.headPosition();
    if (head === undefined) return undefined;
    if (!(await waitForCheckpoint(deps.checkpoints, deps.checkpoint, head, deps.catchUpTimeoutMs))) return undefined;
    return (await deps.index.get(hash))?.document;
  };

  return async (hash) => {
    const known = found.get(hash);
    if (known) return remember(hash, known);
    const entry = await read(hash);
    return entry && remember(hash, entry);
  };
};
