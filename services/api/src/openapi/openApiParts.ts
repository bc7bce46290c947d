import { z } from "zod";

/** Building blocks for the OpenAPI document, shared by every feature's paths. */

export type Schema = Record<string, unknown>;

/** A component by name; the document test checks that every one resolves. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (name: string) => ({ "application/json": { schema: ref(name) } });
export const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });

export const commonErrors = {
  "401": problem("Missing or invalid credential (see WWW-Authenticate)"),
  "403": problem("The credential lacks the scope"),
  "503": problem("An engine is unavailable or the read model is behind; see Retry-After"),
};

export const writeErrors = {
  "400": problem("Validation failed; `errors` names every offending field"),
  "413": problem("Body too large"),
  "415": problem("Body is not JSON"),
  ...commonErrors,
};

export const idempotentPostErrors = {
  "409": problem("Conflict, or a request with the same Idempotency-Key is still in flight"),
  "422": problem("The Idempotency-Key was used before with another request"),
};

export const clientIdParameter = { name: "clientId", in: "path", required: true, schema: { type: "string" } };

export const ifMatch = {
  name: "If-Match",
  in: "header",
  required: false,
  schema: { type: "string" },
  description: "ETag from a previous read; a stale one gets 412.",
};

export const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  schema: { type: "string", maxLength: 255 },
  description: "A retry with the same key and body gets the first response (one-time secrets included) and writes nothing; for 24 hours.",
};

export const etagHeaders = {
  ETag: { schema: { type: "string" }, description: "The stream revision." },
  "X-Position": {
    schema: { type: "string" },
    description: "Where the write landed; send as X-Min-Position to another api instance to read your write.",
  },
};

/** A query or header schema inlined as parameters (they are not components). */
export const queryParameters = (schema: z.ZodType): unknown[] => {
  const { properties } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as {
    properties: Record<string, Schema>;
  };
  return Object.entries(properties).map(([name, property]) => ({ name, in: "query", required: false, schema: property }));
};
