export * from "./projection.js";
export * from "./projectionRunner.js";
export * from "./clientApplications/clientApplicationView.js";
export * from "./clientApplications/clientApplicationsProjection.js";
export * from "./credentials/credentialIndexProjection.js";
export * from "./credentials/credentialScheduleProjection.js";

import { clientApplicationsProjection } from "./clientApplications/clientApplicationsProjection.js";
import { credentialIndexProjection } from "./credentials/credentialIndexProjection.js";
import { credentialScheduleProjection } from "./credentials/credentialScheduleProjection.js";
import type { Projection } from "./projection.js";

export const projections: readonly Projection[] = [clientApplicationsProjection, credentialIndexProjection, credentialScheduleProjection];
