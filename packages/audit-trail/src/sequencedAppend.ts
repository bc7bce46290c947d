import { DuplicateKeyError, type Document, type ReadModelCollection } from "@clientapps/read-models";

/** Documents numbered 1, 2, 3, … per workspace, in the order they were appended. */
export type Sequenced = Readonly<{ workspaceId: string; sequence: number }>;

const maxAttempts = 50;

/**
 * Appends a document under the next sequence number of its workspace, at most
 * once per id. The collection's unique (workspaceId, sequence) index is the
 * arbiter between concurrent appenders: the loser re-reads the head and tries the
 * next number. One upsert per attempt, so a crash leaves either the whole entry
 * or nothing, and never a gap.
 */
export const appendInSequence = async <T extends Document & Sequenced>(
  collection: ReadModelCollection<T>,
  id: string,
  workspaceId: string,
  build: (sequence: number, previous: T | undefined) => T,
): Promise<T | undefined> => {
  if (await collection.get(id)) return undefined;
  // Queried through the fields every sequenced document has.
  const numbered = collection as unknown as ReadModelCollection<Sequenced>;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const head = await numbered.find({ where: { workspaceId }, orderBy: { field: "sequence", direction: "desc" }, limit: 1 });
    const previous = head.items[0]?.document as T | undefined;
    const document = build((previous?.sequence ?? 0) + 1, previous);
    try {
      return (await collection.upsert(id, 0, document)) ? document : undefined;
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
    }
  }
  throw new Error(`could not append ${id} after ${maxAttempts} attempts`);
};
