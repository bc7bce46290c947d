/**
 * Collection and field names become MongoDB collection names and document paths,
 * where a dot descends into a subdocument and a leading `$` names an operator, so
 * only plain identifiers are accepted, the same ones the SQLite adapter accepts.
 */
const identifier = /^[A-Za-z][A-Za-z0-9_]*$/;

export const assertIdentifier = (kind: "collection" | "field", name: unknown): string => {
  if (typeof name !== "string" || !identifier.test(name)) {
    throw new RangeError(`Invalid ${kind} name ${JSON.stringify(name)}: use letters, digits and underscores, starting with a letter.`);
  }
  return name;
};

/** Prefixed so read models can share a database with other data and are easy to tell apart. */
export const collectionName = (collection: string): string => `rm_${assertIdentifier("collection", collection)}`;

/**
 * Checkpoints live next to the collections. The double underscore keeps the name
 * out of reach of `collectionName`, whose names start with a letter after `rm_`,
 * so a read model called "checkpoints" cannot land in the same collection.
 */
export const checkpointCollectionName = "rm__checkpoints";

/** Where a document's own field lives inside the stored `{ _id, revision, doc }` envelope. */
export const fieldPath = (field: string): string => `doc.${assertIdentifier("field", field)}`;

export type IndexSpec = Readonly<{ name: string; key: Readonly<Record<string, 1>>; unique: boolean }>;

/**
 * Named after what it indexes, so reopening a collection finds its indexes (creating
 * an identical index is a no-op), and a definition that changes its fields or
 * uniqueness gets a new index rather than colliding with the old one's name.
 * A trailing `_id` orders ties the way `find` does, so a page is read in index
 * order; a unique index cannot take it without losing its uniqueness.
 */
export const indexSpec = (collection: string, fields: readonly string[], unique: boolean): IndexSpec => {
  if (fields.length === 0) throw new RangeError(`An index of '${collection}' has no fields.`);
  const paths = fields.map(fieldPath);
  const key: Record<string, 1> = {};
  for (const path of unique ? paths : [...paths, "_id"]) key[path] = 1;
  return { name: `${unique ? "unique" : "index"}(${fields.join(",")})`, key, unique };
};
