import {
  applicationNumbersCheckpoint,
  applicationNumbersCollection,
  applicationNumberViewId,
  clientApplicationsCheckpoint,
  clientApplicationViewId,
  type ApplicationNumberView,
} from "@clientapps/client-read-models";
import type { Request } from "express";
import type { Caller } from "../../auth/authenticate.js";
import { minPosition } from "../../http/minPosition.js";
import { Problems } from "../../http/problem.js";
import type { AwxRouteDependencies } from "./awxRoutes.js";

/** How AWX's integer ids find their clients: through the application numbers the projector keeps. */
export const openAwxLookup = async (deps: AwxRouteDependencies) => {
  const numbers = await deps.readModels.collection<ApplicationNumberView>(applicationNumbersCollection);

  const caughtUp = async (caller: Caller, request: Request) => {
    await deps.readYourWrites.waitFor(caller.credentialId, clientApplicationsCheckpoint, minPosition(request));
    await deps.readYourWrites.waitFor(caller.credentialId, applicationNumbersCheckpoint, minPosition(request));
  };

  const numberOf = async (caller: Caller, clientId: string): Promise<number> => {
    const stored = await numbers.get(applicationNumberViewId(caller.workspaceId, clientId));
    // The projector numbers every client it projects; one missing means the read models are behind.
    if (!stored) throw Problems.unavailable("read_model_behind", "The application's id is not known yet; retry shortly.");
    return stored.document.number;
  };

  /** The application with this id in the caller's workspace: the client, its number and its revision. */
  const applicationOf = async (caller: Caller, request: Request, number: number) => {
    await caughtUp(caller, request);
    const found = await numbers.find({
      where: { workspaceId: caller.workspaceId, number },
      orderBy: { field: "number", direction: "asc" },
      limit: 1,
    });
    const clientId = found.items[0]?.document.clientId;
    const stored = clientId === undefined ? undefined : await deps.views.get(clientApplicationViewId(caller.workspaceId, clientId));
    if (!stored || stored.document.deleted) throw Problems.notFound("client_not_found", `There is no application ${number}.`);
    return { client: stored.document, number, revision: stored.revision };
  };

  return { caughtUp, numberOf, applicationOf, numbers };
};

export type AwxLookup = Awaited<ReturnType<typeof openAwxLookup>>;
