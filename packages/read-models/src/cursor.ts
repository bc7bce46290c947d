import { InvalidCursorError } from "./errors.js";
import type { Scalar } from "./readModelStore.js";

/**
 * Keyset cursors: the sort value and id of the last item of a page, plus the
 * sort field they belong to, so a cursor replayed against another sort is refused.
 * Shared by every adapter so cursors look the same whatever the engine.
 */
export type CursorPosition = Readonly<{ field: string; value: Scalar; id: string }>;

export const encodeCursor = (position: CursorPosition): string =>
  Buffer.from(JSON.stringify([position.field, position.value, position.id]), "utf8").toString("base64url");

export const decodeCursor = (cursor: string, field: string): CursorPosition => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === field && typeof parsed[2] === "string") {
      const value: unknown = parsed[1];
      if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
        return { field, value: value as Scalar, id: parsed[2] };
      }
    }
  } catch {
    // fall through: any malformed cursor is the caller's error
  }
  throw new InvalidCursorError();
};
