export * from "./projection.js";
export * from "./projectionRunner.js";
export * from "./clientApplications/clientApplicationView.js";
export * from "./clientApplications/clientApplicationsProjection.js";

import { clientApplicationsProjection } from "./clientApplications/clientApplicationsProjection.js";
import type { Projection } from "./projection.js";

export const projections: readonly Projection[] = [clientApplicationsProjection];
