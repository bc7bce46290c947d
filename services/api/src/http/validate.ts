import type { FieldViolation } from "@clientapps/domain";
import type { z } from "zod";
import { Problems } from "./problem.js";

const violationsOf = (error: z.ZodError): FieldViolation[] =>
  error.issues.flatMap((issue): FieldViolation[] => {
    const at = issue.path.map(String);
    // An unknown member is reported against the member itself, so the caller sees which one.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: [...at, key].join("/"), code: "unknown_field", message: "is not a known field" }));
    }
    return [{ field: at.join("/") || "(body)", code: issue.code, message: issue.message }];
  });

/** Parses a request part with its schema, or fails with a 400 naming every offending field. */
export const parseOrThrow = <Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw Problems.validation(violationsOf(parsed.error), `The ${what} is not valid.`);
  return parsed.data;
};
