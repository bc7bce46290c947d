export * from "./applicationNumbers/applicationNumbersProjection.js";
export * from "./clientApplications/clientApplicationView.js";
export * from "./clientApplications/clientApplicationsProjection.js";
export * from "./credentials/credentialIndexProjection.js";
export * from "./credentials/credentialScheduleProjection.js";

import type { ClientApplicationEvent } from "@clientapps/domain";
import type { Projection } from "@clientapps/projections";
import { applicationNumbersProjection } from "./applicationNumbers/applicationNumbersProjection.js";
import { clientApplicationsProjection } from "./clientApplications/clientApplicationsProjection.js";
import { credentialIndexProjection } from "./credentials/credentialIndexProjection.js";
import { credentialScheduleProjection } from "./credentials/credentialScheduleProjection.js";

/** Every read model the client-application events build, in the order a rebuild runs them. */
export const clientReadModelProjections: readonly Projection<ClientApplicationEvent>[] = [
  clientApplicationsProjection,
  credentialIndexProjection,
  credentialScheduleProjection,
  applicationNumbersProjection,
];

/** Their checkpoints: what readiness and read-your-writes watch. */
export const clientReadModelCheckpoints: readonly string[] = clientReadModelProjections.map((projection) => projection.name);
