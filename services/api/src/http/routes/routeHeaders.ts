import { z } from "zod";
import { Problems, type HttpProblem } from "../problem.js";

const problems = new WeakMap<z.core.$ZodType, () => HttpProblem>();

/** A header whose malformed value has its own stable problem, rather than `validation_failed`. */
const refusedWith = <Schema extends z.ZodType>(schema: Schema, problem: () => HttpProblem): Schema => {
  problems.set(schema, problem);
  return schema;
};

/** The problem a malformed value of this header schema (optional or not) is answered with, when it has its own. */
export const headerProblemOf = (schema: z.ZodType): (() => HttpProblem) | undefined =>
  problems.get(schema instanceof z.ZodOptional ? schema.unwrap() : schema);

/*
 * Request headers in the formats the server accepts, and response headers as it
 * sends them. Header values reach the server trimmed of surrounding whitespace,
 * which is what these patterns describe.
 */

/** See idempotency/idempotency.ts: one value of 1..255 printable ASCII characters. */
export const IdempotencyKey = refusedWith(
  z
    .string()
    .regex(/^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$/)
    .meta({
      description:
        "A retry with the same key and body gets the first response (one-time secrets included) and writes nothing; " +
        "for 24 hours. The same key with another body is a 422.",
      example: "4b1d6c1e-2f0a-4c55-9d3e-6c1f7f1b2a90",
    }),
  () => Problems.badRequest("invalid_idempotency_key", "Idempotency-Key must be one value of 1 to 255 printable ASCII characters."),
);

/*
 * Any value is accepted: RFC 9110 §13.1 makes these lists of entity tags, and one that is
 * not exactly `*` or the current ETag (a weak, foreign or malformed one) simply does not
 * match, so the write is refused with 412 rather than the request with 400.
 */
export const IfMatch = z
  .string()
  .meta({ description: '`*`, or the ETag of a previous read (`"3"`); anything else, or a stale one, gets 412.', example: '"3"' });

/** Compared weakly (RFC 9110 §13.1.2): `W/"3"` matches `"3"`; `*` matches any current representation. */
export const IfNoneMatch = z
  .string()
  .meta({ description: "ETags of representations the caller has, comma-separated; a match gets 304.", example: '"3"' });

/** A `Position` (packages/event-store/src/position.ts), as an earlier `X-Position` gave it. */
export const MinPosition = refusedWith(
  z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .meta({
      description: "An X-Position from an earlier write; the read waits until it reflects that write.",
      example: "00000000000000010000000000000001",
    }),
  () => Problems.badRequest("invalid_position", "X-Min-Position must be a value from an X-Position header."),
);

/** Recorded with the events when it matches; any other value is replaced by the request id. */
export const CorrelationId = z
  .string()
  .meta({ description: "Recorded with the events a write appends when it is 1..128 of [A-Za-z0-9._:-]; otherwise the request id is." });

/** SSE resumption (WHATWG HTML §9.2.4): entries after this sequence; a value that is not one starts at the end. */
export const LastEventId = z
  .string()
  .meta({ description: "With Accept: text/event-stream, resume after this entry (the SSE id last received)." });

/** An opaque cursor from a `Link` header: base64url. A well-formed one that is not ours is a 400. */
export const Cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,1000}$/)
  .meta({ description: "From the rel=next Link of the previous page; opaque." });

export const ETagHeader = z.string().meta({ description: "The stream revision, as an entity tag." });
export const PositionHeader = z
  .string()
  .meta({ description: "Where the write landed; send as X-Min-Position to another api instance to read your write." });
export const RetryAfter = z.string().meta({ description: "Seconds to wait before retrying." });
export const WwwAuthenticate = z.string().meta({ description: "The Bearer challenge (RFC 6750 §3)." });
