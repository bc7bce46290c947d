import type { Request } from "express";
import { Problems } from "./problem.js";

/** Entity tags are the stream revision: the same revision is the same representation. */
export const etagOf = (revision: number): string => `"${revision}"`;

const strongTag = /^"(\d{1,15})"$/;

/**
 * The revision named by `If-Match`, for an optimistic-concurrency write.
 * `*` means "any existing revision"; a weak or foreign tag can never match (RFC 9110 §13.1.1).
 */
export const ifMatchRevision = (request: Request): number | "*" | undefined => {
  const header = request.header("if-match")?.trim();
  if (header === undefined || header === "") return undefined;
  if (header === "*") return "*";
  const match = strongTag.exec(header);
  if (!match?.[1]) throw Problems.preconditionFailed(`If-Match ${header} does not name a revision of this resource.`);
  return Number(match[1]);
};

/** `If-None-Match` compares weakly (RFC 9110 §13.1.2): `W/"3"` matches `"3"`. */
export const ifNoneMatchHits = (request: Request, etag: string): boolean => {
  const header = request.header("if-none-match");
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
};
