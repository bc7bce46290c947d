import { randomUUID } from "node:crypto";
import {
  clientApplicationDecider,
  clientApplicationStreamName,
  ClientApplicationRejections,
  CredentialRejections,
  type ClientApplicationCommand,
  type ClientApplicationState,
  type Rejection,
} from "@clientapps/domain";
import { handleCommand, type EventStore, type Position, type StreamStateCache } from "@clientapps/event-store";
import type { Request, Response } from "express";
import { callerOf, type Caller } from "../auth/authenticate.js";
import { ifMatchRevision } from "../http/conditional.js";
import { eventMetadata } from "../http/eventMetadata.js";
import { HttpProblem, Problems } from "../http/problem.js";
import type { ReadYourWrites } from "../consistency/readYourWrites.js";

export type CommandDependencies = Readonly<{
  eventStore: EventStore;
  clock: () => Date;
  readYourWrites: ReadYourWrites;
  /** The client streams' folded states, so that a command on a long history reads only what is new. */
  clientStates?: StreamStateCache<ClientApplicationState> | undefined;
}>;

export type Executed = Readonly<{
  state: ClientApplicationState;
  revision: number | undefined;
  position: Position | undefined;
}>;

const rejectionProblem = (rejection: Rejection): HttpProblem => {
  switch (rejection.code) {
    case ClientApplicationRejections.validationFailed:
      return Problems.validation(rejection.violations, rejection.detail);
    case ClientApplicationRejections.immutableField:
      return new HttpProblem(400, rejection.code, "Immutable field", rejection.detail, rejection.violations);
    case CredentialRejections.beyondIssuer:
      // With violations it is the request asking too much; without, the issuing key stopped working meanwhile.
      return rejection.violations.length > 0
        ? new HttpProblem(400, rejection.code, "Beyond the issuer", rejection.detail, rejection.violations)
        : new HttpProblem(403, rejection.code, "Forbidden", rejection.detail);
    case ClientApplicationRejections.reactivationNeedsAdmin:
      return Problems.forbidden("admin");
    case ClientApplicationRejections.alreadyExists:
      return Problems.conflict(rejection.code, rejection.detail);
    case ClientApplicationRejections.notFound:
    case ClientApplicationRejections.deleted:
    case CredentialRejections.apiKeyNotFound:
      return Problems.notFound(rejection.code, rejection.detail);
    default:
      return Problems.conflict(rejection.code, rejection.detail);
  }
};

/**
 * Runs a client-application command for the authenticated caller, in the
 * caller's workspace, honouring `If-Match`, and remembers the write's position
 * so the caller's next read waits for it.
 */
export const executeClientCommand = async (
  deps: CommandDependencies,
  request: Request,
  response: Response,
  clientId: string,
  build: (caller: Caller, now: Date) => ClientApplicationCommand,
  /** A revision the command must apply to, when the caller's authority was checked at it (RFC 7592). */
  requiredRevision?: number,
): Promise<Executed> => {
  const caller = callerOf(response);
  const now = deps.clock();
  const ifMatch = ifMatchRevision(request);
  const handled = await handleCommand(
    deps.eventStore,
    clientApplicationDecider,
    clientApplicationStreamName(caller.workspaceId, clientId),
    build(caller, now),
    {
      expectedRevision: requiredRevision ?? (typeof ifMatch === "number" ? ifMatch : undefined),
      metadata: eventMetadata(request, response, caller, now),
      newEventId: randomUUID,
      load: deps.clientStates?.load,
    },
  );
  if (handled.kind === "rejected") {
    // RFC 9110 §13.1.1: `If-Match: *` fails when there is no current representation.
    if (ifMatch === "*" && handled.state.status !== "registered") {
      throw Problems.preconditionFailed("If-Match: * needs the client application to exist.");
    }
    throw rejectionProblem(handled.rejection);
  }
  if (handled.position) deps.readYourWrites.remember(caller.credentialId, handled.position);
  return handled;
};
