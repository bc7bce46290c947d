import { randomUUID } from "node:crypto";
import {
  WorkspaceRejections,
  workspaceDecider,
  workspaceStreamName,
  type Rejection,
  type WorkspaceCommand,
  type WorkspaceState,
} from "@clientapps/domain";
import { handleCommand, type EventStore, type Position } from "@clientapps/event-store";
import type { Request, Response } from "express";
import { callerOf } from "../auth/authenticate.js";
import type { ReadYourWrites } from "../consistency/readYourWrites.js";
import { ifMatchRevision } from "../http/conditional.js";
import { eventMetadata } from "../http/eventMetadata.js";
import { Problems, type HttpProblem } from "../http/problem.js";

export type WorkspaceCommandDependencies = Readonly<{ eventStore: EventStore; clock: () => Date; readYourWrites: ReadYourWrites }>;

export type ExecutedWorkspaceCommand = Readonly<{ state: WorkspaceState; revision: number | undefined; position: Position | undefined }>;

const rejectionProblem = (rejection: Rejection): HttpProblem => {
  switch (rejection.code) {
    case WorkspaceRejections.validationFailed:
      return Problems.validation(rejection.violations, rejection.detail);
    case WorkspaceRejections.notFound:
    case WorkspaceRejections.adminTokenNotFound:
      return Problems.notFound(rejection.code, rejection.detail);
    default:
      return Problems.conflict(rejection.code, rejection.detail);
  }
};

/**
 * Runs a workspace command for the authenticated caller (the platform operator), on the
 * workspace's own stream, honouring `If-Match`; its events are recorded in that
 * workspace's name, and the write's position is remembered for the caller's next read.
 */
export const executeWorkspaceCommand = async (
  deps: WorkspaceCommandDependencies,
  request: Request,
  response: Response,
  workspaceId: string,
  build: (now: Date) => WorkspaceCommand,
): Promise<ExecutedWorkspaceCommand> => {
  const caller = callerOf(response);
  const now = deps.clock();
  const ifMatch = ifMatchRevision(request);
  const handled = await handleCommand(deps.eventStore, workspaceDecider, workspaceStreamName(workspaceId), build(now), {
    expectedRevision: typeof ifMatch === "number" ? ifMatch : undefined,
    metadata: { ...eventMetadata(request, response, caller, now), workspaceId },
    newEventId: randomUUID,
  });
  if (handled.kind === "rejected") {
    if (ifMatch === "*" && handled.state.status !== "present") {
      throw Problems.preconditionFailed("If-Match: * needs the workspace to exist.");
    }
    throw rejectionProblem(handled.rejection);
  }
  if (handled.position) deps.readYourWrites.remember(caller.credentialId, handled.position);
  return handled;
};
