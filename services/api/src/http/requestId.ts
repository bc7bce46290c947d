import { randomUUID } from "node:crypto";
import type { RequestHandler, Response } from "express";

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honours a sane `X-Request-Id` from the caller (or a proxy), otherwise makes one; echoes it back. */
export const requestId: RequestHandler = (request, response, next) => {
  const given = request.header("x-request-id");
  const id = given && acceptable.test(given) ? given : randomUUID();
  response.locals.requestId = id;
  response.setHeader("X-Request-Id", id);
  next();
};

export const requestIdOf = (response: Response): string => String(response.locals.requestId ?? "");
