import { z } from "zod";
import type { ResponseDeclaration } from "./defineRoute.js";
import { ETagHeader, PositionHeader, RetryAfter } from "./routeHeaders.js";

/** RFC 9457 problem details, as every error of this API is answered. */
export const ProblemDocument = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().meta({ description: "Stable, machine-readable error code." }),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });

export const problemContent = { "application/problem+json": ProblemDocument };

export const problem = (description: string, headers?: z.ZodObject): ResponseDeclaration => ({
  description,
  content: problemContent,
  ...(headers ? { headers } : {}),
});

export const json = (schema: z.ZodType): Readonly<Record<string, z.ZodType>> => ({ "application/json": schema });

/** A write that changed nothing appended no event, so it has no position. */
export const writtenHeaders = z.object({ ETag: ETagHeader, "X-Position": PositionHeader.optional() });
export const retryAfterHeaders = z.object({ "Retry-After": RetryAfter });

export const notFound = (description = "Unknown in this workspace"): ResponseDeclaration => problem(description);
export const preconditionFailed = problem("If-Match names no current revision, or the resource has changed since");
