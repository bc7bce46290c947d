import type { EventMetadata } from "@clientapps/domain";
import { traceContext } from "@clientapps/runtime";
import type { Request, Response } from "express";
import type { Caller } from "../auth/authenticate.js";
import { requestIdOf } from "./requestId.js";

/** Who did what from where: recorded with every event a request appends. */
export const eventMetadata = (request: Request, response: Response, caller: Caller, now: Date): EventMetadata => {
  const requestId = requestIdOf(response);
  const correlation = request.header("x-correlation-id");
  return {
    occurredAt: now.toISOString(),
    actor: caller.actor,
    workspaceId: caller.workspaceId,
    requestId,
    correlationId: correlation && /^[A-Za-z0-9._:-]{1,128}$/.test(correlation) ? correlation : requestId,
    causationId: null,
    sourceIp: request.ip ?? null,
    userAgent: request.header("user-agent")?.slice(0, 512) ?? null,
    ...traceContext(),
  };
};
