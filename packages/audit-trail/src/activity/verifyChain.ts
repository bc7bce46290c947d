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
): Promise<ChainVerification> => {
  const anchor = (await anchors.get(workspaceId))?.document;
  let anchoredHash: string | undefined;
  let expectedSequence = 1;
  let previousHash = genesisHash;
  const broken = (sequence: number, eventId: string | null, reason: BrokenEntry["reason"]): ChainVerification => ({
    valid: false,
    entriesChecked: expectedSequence - 1,
    firstBroken: { sequence, eventId, reason },
  });

  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await entries.find({ where: { workspaceId }, orderBy: { field: "sequence", direction: "asc" }, limit: pageSize, cursor });
    for (const { document: entry } of page.items) {
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

  if (anchor && anchor.sequence >= expectedSequence) return broken(expectedSequence, null, "missing");
  if (anchor && anchor.hash !== anchoredHash) return broken(anchor.sequence, null, "anchor_mismatch");
  return { valid: true, entriesChecked: expectedSequence - 1, firstBroken: null };
};
