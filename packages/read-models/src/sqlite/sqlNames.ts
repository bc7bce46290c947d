import { assertIdentifier } from "../identifier.js";

/** Prefixed so that no collection name can collide with the `checkpoints` table or another package's tables. */
export const tableName = (collection: string): string => `"collection_${assertIdentifier("collection", collection)}"`;

/**
 * Named after what it indexes, so reopening a collection finds its indexes, and a
 * definition that changes its fields or uniqueness gets a new index rather than
 * silently keeping the old one.
 */
export const indexName = (collection: string, fields: readonly string[], unique: boolean): string =>
  `"collection_${assertIdentifier("collection", collection)}:${unique ? "unique" : "index"}(${fields
    .map((field) => assertIdentifier("field", field))
    .join(",")})"`;

/**
 * The expression that indexes and queries share: SQLite uses an expression index
 * only when the query repeats the indexed expression exactly.
 */
export const fieldValue = (field: string): string => `json_extract(doc, '$.${assertIdentifier("field", field)}')`;

/** The JSON type of a field ('text', 'integer', 'real', 'true', 'false', 'null', or NULL when missing). */
export const fieldType = (field: string): string => `json_type(doc, '$.${assertIdentifier("field", field)}')`;
