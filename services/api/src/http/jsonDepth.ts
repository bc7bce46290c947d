import type { RequestHandler } from "express";
import { Problems } from "./problem.js";

/**
 * Deeper than any body this API declares, shallow enough that no recursive walk of a
 * body (hash, copy, validation) can run out of stack.
 */
export const maxJsonDepth = 64;

/** The nesting depth of a parsed JSON value (a scalar is 0, `{}` is 1), walked without recursion and given up on past `limit`. */
export const jsonDepthOf = (value: unknown, limit = maxJsonDepth): number => {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
};

/** Refuses a parsed body nested deeper than `maxJsonDepth`, before anything else walks it. */
export const jsonDepthLimit: RequestHandler = (request, _response, next) => {
  if (jsonDepthOf(request.body) > maxJsonDepth) {
    throw Problems.badRequest("json_too_deep", `The request body is nested deeper than ${maxJsonDepth} levels.`);
  }
  next();
};
