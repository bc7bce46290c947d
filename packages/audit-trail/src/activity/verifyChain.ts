import type { ReadModelCollection } from "@clientapps/read-models";
import type { ActivityEntry, ChainAnchor } from "./activityEntry.js";
import { chainHash, genesisHash } from "./hashChain.js";

export type BrokenEntry = Readonly<{
  sequence: number;
  eventId: string | null;
  reason: "missing" | "previous_hash_mismatch" | "content_altered" | "anchor_mismatch";
}>;

export type ChainVerification = Readonly<{ valid: boolean; entriesChecked: number; firstBroken: BrokenEntry | null }>;

const pageSize = 500;

/** Where a walk begins: after this entry, taken as sound (the genesis when absent). */
type Start = Readonly<{ sequence: number; hash: string }>;

type Walked = Readonly<{ verification: ChainVerification; last: Start | undefined }>;

/**
 * Walks a workspace's activity stream from its first entry, recomputing each
 * hash. An edited entry fails its own hash; a deleted or reordered one breaks
 * the numbering or the link to its predecessor; entries cut off the end fall
 * short of the anchor. The first such entry is named. The anchor is read before
 * the walk: entries are stored before their anchor, so every entry it counts is
 * there by then, and one appended during the walk does not look cut off.
 */
export const verifyActivityChain = async (
  entries: ReadModelCollection<ActivityEntry>,
  anchors: ReadModelCollection<ChainAnchor>,
  workspaceId: string,
): Promise<ChainVerification> => (await walk(entries, anchors, workspaceId, undefined)).verification;

const walk = async (
  entries: ReadModelCollection<ActivityEntry>,
  anchors: ReadModelCollection<ChainAnchor>,
  workspaceId: string,
  start: Start | undefined,
): Promise<Walked> => {
  const anchor = (await anchors.get(workspaceId))?.document;
  const startSequence = start?.sequence ?? 0;
  let anchoredHash: string | undefined = anchor && start && anchor.sequence === start.sequence ? start.hash : undefined;
  let expectedSequence = startSequence + 1;
  let previousHash = start?.hash ?? genesisHash;
  const broken = (sequence: number, eventId: string | null, reason: BrokenEntry["reason"]): Walked => ({
    verification: { valid: false, entriesChecked: expectedSequence - 1 - startSequence, firstBroken: { sequence, eventId, reason } },
    last: undefined,
  });
  let checkpointSeen = false;
  // An anchor behind where the walk starts: entries already verified have since been cut off the end.
  if (anchor && anchor.sequence < startSequence) return broken(anchor.sequence + 1, null, "missing");

  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await entries.find({
      where: { workspaceId },
      // The checkpoint's own entry is read again: one removed or rewritten since is found, though the ones before it are not.
      ...(start ? { range: { field: "sequence", from: start.sequence } } : {}),
      orderBy: { field: "sequence", direction: "asc" },
      limit: pageSize,
      cursor,
    });
    for (const { document: entry } of page.items) {
      if (start && entry.sequence <= start.sequence) {
        const { hash, ...content } = entry;
        if (entry.sequence !== start.sequence || hash !== start.hash || chainHash(entry.previousHash, content) !== hash) {
          return broken(start.sequence, entry.eventId, "content_altered");
        }
        checkpointSeen = true;
        continue;
      }
      if (start && !checkpointSeen) return broken(start.sequence, null, "missing");
      if (entry.sequence !== expectedSequence) return broken(expectedSequence, null, "missing");
      if (entry.previousHash !== previousHash) return broken(entry.sequence, entry.eventId, "previous_hash_mismatch");
      const { hash, ...content } = entry;
      if (chainHash(entry.previousHash, content) !== hash) return broken(entry.sequence, entry.eventId, "content_altered");
      if (entry.sequence === anchor?.sequence) anchoredHash = hash;
      previousHash = hash;
      expectedSequence += 1;
    }
    cursor = page.nextCursor;
  }

  if (start && !checkpointSeen) return broken(start.sequence, null, "missing");
  if (anchor && anchor.sequence >= expectedSequence) return broken(expectedSequence, null, "missing");
  if (anchor && anchor.hash !== anchoredHash) return broken(anchor.sequence, null, "anchor_mismatch");
  return {
    verification: { valid: true, entriesChecked: expectedSequence - 1 - startSequence, firstBroken: null },
    last: expectedSequence - 1 > 0 ? { sequence: expectedSequence - 1, hash: previousHash } : start,
  };
};

export type ChainCollections = Readonly<{
  entries: ReadModelCollection<ActivityEntry>;
  anchors: ReadModelCollection<ChainAnchor>;
  /** activityVerificationCollection: the last verified entry per workspace. */
  checkpoints: ReadModelCollection<ChainAnchor>;
}>;

/**
 * Verification that costs what was appended since the last one. Incremental (the
 * default) takes the entries up to the stored checkpoint as sound and walks on from
 * it: an entry appended, edited, removed or reordered after it is found, as are
 * entries cut off the end, and so is a change to the checkpoint's own entry, but not one
 * to an entry before it. `full` walks from
 * the first entry, as verifyActivityChain does, and finds any. Either moves the
 * checkpoint to the last entry when the chain holds; a broken chain leaves it.
 */
export const verifyActivityChainFromCheckpoint = async (
  collections: ChainCollections,
  workspaceId: string,
  options: Readonly<{ full: boolean }>,
): Promise<ChainVerification> => {
  const stored = options.full ? undefined : (await collections.checkpoints.get(workspaceId))?.document;
  const start = stored && { sequence: stored.sequence, hash: stored.hash };
  const { verification, last } = await walk(collections.entries, collections.anchors, workspaceId, start);
  // Guarded by the sequence: a concurrent verification that got further is not moved back.
  if (verification.valid && last) await collections.checkpoints.upsert(workspaceId, last.sequence, last);
  return verification;
};
