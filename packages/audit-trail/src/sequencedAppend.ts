import { DuplicateKeyError, type Document, type ReadModelCollection } from "@clientapps/read-models";

/** Documents numbered 1, 2, 3, … per workspace, in the order they were appended. */
export type Sequenced = Readonly<{ workspaceId: string; sequence: number }>;

export type SequencedLog<T extends Document & Sequenced> = Readonly<{
  /**
   * Appends a document under the next sequence number of its workspace, at most once per id;
   * `build` gets the number and the entry before it. Answers the document, or undefined when
   * the id was appended before.
   */
  append: (id: string, workspaceId: string, build: (sequence: number, previous: T | undefined) => T) => Promise<T | undefined>;
}>;

const maxAttempts = 50;
/** Workspaces whose last entry is kept in memory; beyond it the least recently appended to is read again. */
const defaultMaxHeads = 10_000;

/**
 * A log of documents numbered per workspace. The collection's unique (workspaceId, sequence)
 * index is the arbiter between concurrent appenders: the loser re-reads the head and tries the
 * next number. One upsert per attempt, so a crash leaves either the whole entry or nothing,
 * and never a gap.
 *
 * The last entry this log appended to each workspace is kept as that workspace's head, so an
 * append reads no head. Should another appender (another instance) have appended meanwhile,
 * the number taken from the kept head is taken already, the index refuses it, and the head is
 * read again: a kept head can cost a retry, never a gap or a broken chain.
 */
export const createSequencedLog = <T extends Document & Sequenced>(
  collection: ReadModelCollection<T>,
  maxHeads = defaultMaxHeads,
): SequencedLog<T> => {
  const heads = new Map<string, T>();
  // Queried through the fields every sequenced document has.
  const numbered = collection as unknown as ReadModelCollection<Sequenced>;

  const readHead = async (workspaceId: string): Promise<T | undefined> => {
    const head = await numbered.find({ where: { workspaceId }, orderBy: { field: "sequence", direction: "desc" }, limit: 1 });
    return head.items[0]?.document as T | undefined;
  };

  const keepHead = (workspaceId: string, head: T): void => {
    heads.delete(workspaceId);
    heads.set(workspaceId, head);
    if (heads.size > maxHeads) heads.delete(heads.keys().next().value as string);
  };

  return {
    append: async (id, workspaceId, build) => {
      if (await collection.get(id)) return undefined;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const previous = heads.get(workspaceId) ?? (await readHead(workspaceId));
        const document = build((previous?.sequence ?? 0) + 1, previous);
        try {
          if (!(await collection.upsert(id, 0, document))) {
            // Appended meanwhile by another delivery of the same message, under a number not known here.
            heads.delete(workspaceId);
            return undefined;
          }
          keepHead(workspaceId, document);
          return document;
        } catch (error) {
          // Taken by another appender, or not known to be written: the head is read again.
          heads.delete(workspaceId);
          if (!(error instanceof DuplicateKeyError)) throw error;
        }
      }
      throw new Error(`could not append ${id} after ${maxAttempts} attempts`);
    },
  };
};
