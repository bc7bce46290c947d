import { decodeCursor } from "../cursor.js";
import type { Document, FindQuery, Scalar } from "../readModelStore.js";
import { fieldType, fieldValue } from "./sqlNames.js";

export type SqlValue = string | number | null;
export type SqlQuery = Readonly<{ sql: string; params: readonly SqlValue[] }>;
type Condition = Readonly<{ sql: string; params: readonly SqlValue[] }>;

/** json_extract turns JSON true/false into 1/0, so booleans are compared as those numbers. */
const toSql = (value: Scalar): SqlValue => (typeof value === "boolean" ? Number(value) : value);

/**
 * Restricts a field to the JSON type of `value`. json_extract alone would let the
 * number 1 equal true, a string equal an object's JSON text, and a number fall
 * below any string in a range; like MongoDB, comparisons only match their own type.
 */
const sameType = (field: string, value: string | number | boolean): string => {
  if (typeof value === "string") return `${fieldType(field)} = 'text'`;
  if (typeof value === "number") return `${fieldType(field)} IN ('integer', 'real')`;
  return `${fieldType(field)} = '${value ? "true" : "false"}'`;
};

const assertScalar = (field: string, value: unknown): Scalar => {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new TypeError(`The value for '${field}' must be a string, a finite number, a boolean or null.`);
};

const equality = (field: string, raw: unknown): Condition => {
  const value = assertScalar(field, raw);
  // A missing field counts as null, as in MongoDB; IS NULL still uses the index.
  if (value === null) return { sql: `${fieldValue(field)} IS NULL`, params: [] };
  return { sql: `${fieldValue(field)} = ? AND ${sameType(field, value)}`, params: [toSql(value)] };
};

const contains = (field: string, text: unknown): Condition => {
  if (typeof text !== "string") throw new TypeError(`The text searched for in '${field}' must be a string.`);
  // instr, unlike LIKE, has no wildcards, so '%' and '_' in the text are literal.
  // SQLite's lower() folds ASCII only; unicode_lower (registered by the store) folds every script.
  return {
    sql: `${fieldType(field)} = 'text' AND instr(unicode_lower(${fieldValue(field)}), unicode_lower(?)) > 0`,
    params: [text],
  };
};

const bound = (field: string, operator: ">=" | "<", raw: unknown): Condition => {
  if (typeof raw !== "string" && !(typeof raw === "number" && Number.isFinite(raw))) {
    throw new TypeError(`A range bound on '${field}' must be a string or a finite number.`);
  }
  return { sql: `${fieldValue(field)} ${operator} ? AND ${sameType(field, raw)}`, params: [raw] };
};

/**
 * Rows after the cursor in (sort value, id) order. SQLite sorts NULL (and a
 * missing field) before every value, as MongoDB does, so NULL needs its own
 * branches: comparisons with NULL are never true.
 */
const after = (field: string, descending: boolean, cursor: string): Condition => {
  const position = decodeCursor(cursor, field);
  const value = fieldValue(field);
  if (position.value === null) {
    return descending
      ? { sql: `${value} IS NULL AND id < ?`, params: [position.id] }
      : { sql: `(${value} IS NOT NULL OR id > ?)`, params: [position.id] };
  }
  const key = toSql(position.value);
  if (descending) return { sql: `((${value}, id) < (?, ?) OR ${value} IS NULL)`, params: [key, position.id] };
  // The redundant lower bound lets SQLite seek in the index instead of scanning from its start.
  return { sql: `${value} >= ? AND (${value}, id) > (?, ?)`, params: [key, key, position.id] };
};

/**
 * Builds the keyset query for one page. Selects one row more than the limit, so
 * the caller knows whether another page follows, and the sort key as SQLite sees
 * it, so the next cursor repeats exactly the value the rows were ordered by.
 */
export const sqliteFindQuery = <T extends Document>(table: string, query: FindQuery<T>): SqlQuery => {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) throw new RangeError("limit must be a positive integer.");
  if (query.orderBy.direction !== "asc" && query.orderBy.direction !== "desc") {
    throw new RangeError("orderBy.direction must be 'asc' or 'desc'.");
  }
  const sortField = query.orderBy.field;
  const descending = query.orderBy.direction === "desc";
  const conditions: Condition[] = [];
  for (const [field, value] of Object.entries(query.where ?? {})) {
    if (value !== undefined) conditions.push(equality(field, value));
  }
  if (query.contains) conditions.push(contains(query.contains.field, query.contains.text));
  if (query.range?.from !== undefined) conditions.push(bound(query.range.field, ">=", query.range.from));
  if (query.range?.to !== undefined) conditions.push(bound(query.range.field, "<", query.range.to));
  if (query.cursor !== undefined) conditions.push(after(sortField, descending, query.cursor));

  const direction = descending ? "DESC" : "ASC";
  const where = conditions.length > 0 ? `WHERE ${conditions.map((condition) => condition.sql).join(" AND ")}` : "";
  return {
    sql:
      `SELECT id, revision, doc, ${fieldValue(sortField)} AS sort_key FROM ${table} ${where} ` +
      `ORDER BY ${fieldValue(sortField)} ${direction}, id ${direction} LIMIT ?`,
    params: [...conditions.flatMap((condition) => condition.params), query.limit + 1],
  };
};
