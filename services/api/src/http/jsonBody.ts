import express, { type RequestHandler } from "express";
import { Problems } from "./problem.js";

const jsonTypes = ["application/json", "application/*+json"];

/**
 * JSON bodies only: a body of any other type is a 415 before it is read,
 * and one over the limit is a 413 (from the parser) without being buffered whole.
 */
export const jsonBody = (limitBytes: number, alsoAccepted: readonly string[] = []): RequestHandler[] => [
  (request, _response, next) => {
    const hasBody = request.headers["transfer-encoding"] !== undefined || Number(request.headers["content-length"] ?? 0) > 0;
    if (hasBody && request.is([...jsonTypes, ...alsoAccepted]) === false) throw Problems.unsupportedMediaType("application/json");
    if (hasBody && !request.headers["content-type"]) throw Problems.unsupportedMediaType("application/json");
    next();
  },
  express.json({ limit: limitBytes, type: jsonTypes, strict: true }),
];
