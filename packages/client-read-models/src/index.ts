export * from "./applicationNumbers/applicationNumbersProjection.js";
export * from "./clientApplications/clientApplicationView.js";
export * from "./clientApplications/clientApplicationsProjection.js";
export * from "./credentials/credentialIndexProjection.js";
export * from "./credentials/credentialScheduleProjection.js";
export * from "./workspaces/workspaceView.js";
export * from "./workspaces/workspaceProjections.js";

import { isClientApplicationEvent, isRegistryEventType, isWorkspaceEvent, type RegistryEvent } from "@clientapps/domain";
import type { Projection } from "@clientapps/projections";
import { applicationNumbersProjection } from "./applicationNumbers/applicationNumbersProjection.js";
import { clientApplicationsProjection } from "./clientApplications/clientApplicationsProjection.js";
import { credentialIndexProjection } from "./credentials/credentialIndexProjection.js";
import { credentialScheduleProjection } from "./credentials/credentialScheduleProjection.js";
import { adminTokenIndexProjection, workspacesProjection } from "./workspaces/workspaceProjections.js";

/**
 * A projection of one aggregate's events that reads the whole log, skipping the other
 * aggregate's events, so that its checkpoint follows the head of the log: reads that
 * wait for a position (read-your-writes, a credential issued a moment ago, readiness)
 * see it reached whichever stream the last event went to.
 */
const onWholeLog = <Event extends RegistryEvent>(
  projection: Projection<Event>,
  owns: (event: RegistryEvent) => event is Event,
): Projection<RegistryEvent> => ({
  name: projection.name,
  streamPrefix: "",
  isEventType: isRegistryEventType,
  open: async (store) => {
    const handler = await projection.open(store);
    return {
      clear: () => handler.clear(),
      apply: async (event, recorded) => {
        if (owns(event)) await handler.apply(event, recorded);
      },
    };
  },
});

/** Every read model the client-application and workspace events build, in the order a rebuild runs them. */
export const clientReadModelProjections: readonly Projection<RegistryEvent>[] = [
  onWholeLog(clientApplicationsProjection, isClientApplicationEvent),
  onWholeLog(credentialIndexProjection, isClientApplicationEvent),
  onWholeLog(credentialScheduleProjection, isClientApplicationEvent),
  onWholeLog(applicationNumbersProjection, isClientApplicationEvent),
  onWholeLog(workspacesProjection, isWorkspaceEvent),
  onWholeLog(adminTokenIndexProjection, isWorkspaceEvent),
];

/** Their checkpoints: what readiness and read-your-writes watch. */
export const clientReadModelCheckpoints: readonly string[] = clientReadModelProjections.map((projection) => projection.name);
