import { decodeCursor, type Document, type FindQuery, type Scalar } from "@clientapps/read-models";
import { fieldPath } from "./mongoNames.js";

/** A MongoDB query document; plain data, so it is built and tested without a driver. */
export type MongoFilter = { readonly [key: string]: unknown };
export type MongoFindQuery = Readonly<{
  filter: MongoFilter;
  sort: Readonly<Record<string, 1 | -1>>;
  /** One more than the page size, so the caller knows whether another page follows. */
  limit: number;
}>;

/**
 * Values reach the query as literals, never as operators: an object where a scalar
 * belongs (`{ $ne: null }`) would turn an equality into any condition its sender
 * likes, so only scalars pass.
 */
const assertScalar = (field: string, value: unknown): Scalar => {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new TypeError(`The value for '${field}' must be a string, a finite number, a boolean or null.`);
};

const assertBound = (field: string, value: unknown): string | number => {
  if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) return value;
  throw new TypeError(`A range bound on '${field}' must be a string or a finite number.`);
};

/**
 * Every character a regular expression outside a character class gives a meaning
 * to, in PCRE (MongoDB), RE2 (FerretDB) and JavaScript alike; `[` is escaped, so no
 * class is ever opened and `-` needs no escape.
 */
export const escapeRegex = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");

/**
 * Equality is already type-strict in MongoDB (1 matches neither true nor "1"), and
 * `null` matches a missing field as well as a stored null, as the port asks.
 */
const equality = (field: string, value: unknown): MongoFilter => ({ [fieldPath(field)]: assertScalar(field, value) });

/**
 * A regular expression matches strings only, so numbers and booleans never match.
 * The `i` option folds case beyond ASCII ("Ä" and "ä"), in PCRE and in Go's regexp.
 */
const contains = (field: string, text: unknown): MongoFilter => {
  if (typeof text !== "string") throw new TypeError(`The text searched for in '${field}' must be a string.`);
  return { [fieldPath(field)]: { $regex: escapeRegex(text), $options: "i" } };
};

/** Comparison operators only match values of the bound's own type (MongoDB's type bracketing). */
const bound = (field: string, operator: "$gte" | "$lt", value: unknown): MongoFilter => ({
  [fieldPath(field)]: { [operator]: assertBound(field, value) },
});

/**
 * Documents after the cursor in (sort value, _id) order. MongoDB sorts null and a
 * missing field before every value, and `{ $gt: value }` never matches null, so
 * null needs its own branches, as in the SQLite adapter.
 */
const after = (field: string, descending: boolean, cursor: string): MongoFilter => {
  const position = decodeCursor(cursor, field);
  const path = fieldPath(field);
  const beyond = descending ? "$lt" : "$gt";
  if (position.value === null) {
    return descending
      ? { [path]: null, _id: { $lt: position.id } }
      : { $or: [{ [path]: { $ne: null } }, { [path]: null, _id: { $gt: position.id } }] };
  }
  const sameValueLaterId = { [path]: position.value, _id: { [beyond]: position.id } };
  return {
    $or: [{ [path]: { [beyond]: position.value } }, sameValueLaterId, ...(descending ? [{ [path]: null }] : [])],
  };
};

/** Builds the keyset query for one page: the filter, the total order and the limit. */
export const mongoFindQuery = <T extends Document>(query: FindQuery<T>): MongoFindQuery => {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) throw new RangeError("limit must be a positive integer.");
  if (query.orderBy.direction !== "asc" && query.orderBy.direction !== "desc") {
    throw new RangeError("orderBy.direction must be 'asc' or 'desc'.");
  }
  const sortField = query.orderBy.field;
  const descending = query.orderBy.direction === "desc";
  const sortPath = fieldPath(sortField);
  const conditions: MongoFilter[] = [];
  for (const [field, value] of Object.entries(query.where ?? {})) {
    if (value !== undefined) conditions.push(equality(field, value));
  }
  if (query.contains) conditions.push(contains(query.contains.field, query.contains.text));
  if (query.range?.from !== undefined) conditions.push(bound(query.range.field, "$gte", query.range.from));
  if (query.range?.to !== undefined) conditions.push(bound(query.range.field, "$lt", query.range.to));
  if (query.cursor !== undefined) conditions.push(after(sortField, descending, query.cursor));

  const order = descending ? -1 : 1;
  return {
    // $and keeps conditions on the same field (a substring and a range) apart, where one object could not.
    filter: conditions.length > 0 ? { $and: conditions } : {},
    sort: { [sortPath]: order, _id: order },
    limit: query.limit + 1,
  };
};
