import { Position } from "@clientapps/event-store";
import type { Request } from "express";
import { Problems } from "./problem.js";

/** The `X-Min-Position` a caller names to read its write made through another api instance. */
export const minPosition = (request: Request): Position | undefined => {
  const header = request.header("x-min-position");
  if (header === undefined) return undefined;
  const position = Position.parse(header.trim());
  if (!position) throw Problems.badRequest("invalid_position", "X-Min-Position must be a value from an X-Position header.");
  return position;
};
