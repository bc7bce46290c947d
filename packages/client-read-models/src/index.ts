export * from "./clientApplications/clientApplicationView.js";
export * from "./clientApplications/clientApplicationsProjection.js";
export * from "./credentials/credentialIndexProjection.js";
export * from "./credentials/credentialScheduleProjection.js";
export * from "./workspaces/workspaceView.js";
export * from "./workspaces/workspaceProjections.js";

import type { ClientApplicationEvent, WorkspaceEvent } from "@clientapps/domain";
import type { Projection } from "@clientapps/projections";
import { clientApplicationsProjection } from "./clientApplications/clientApplicationsProjection.js";
import { credentialIndexProjection } from "./credentials/credentialIndexProjection.js";
import { credentialScheduleProjection } from "./credentials/credentialScheduleProjection.js";
import { adminTokenIndexProjection, workspacesProjection } from "./workspaces/workspaceProjections.js";

/** Every read model the client-application and workspace events build, in the order a rebuild runs them. */
export const clientReadModelProjections: readonly Projection<ClientApplicationEvent | WorkspaceEvent>[] = [
  clientApplicationsProjection,
  credentialIndexProjection,
  credentialScheduleProjection,
  workspacesProjection,
  adminTokenIndexProjection,
];

/** Their checkpoints: what readiness and read-your-writes watch. */
export const clientReadModelCheckpoints: readonly string[] = clientReadModelProjections.map((projection) => projection.name);
