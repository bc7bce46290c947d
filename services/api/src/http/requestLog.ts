import type { Logger } from "@clientapps/runtime";
import type { RequestHandler } from "express";
import { requestIdOf } from "./requestId.js";

/**
 * One line per request. Only the path is logged: no query string, headers or body, which may carry credentials;
 * a credential in the path itself is redacted by the logger, as in every line.
 */
export const requestLog =
  (logger: Logger): RequestHandler =>
  (request, response, next) => {
    const started = process.hrtime.bigint();
    response.on("finish", () => {
      logger.info(
        {
          requestId: requestIdOf(response),
          method: request.method,
          path: request.path,
          status: response.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        },
        "request",
      );
    });
    next();
  };
