import { composeApi } from "@clientapps/api";
import { composeAudit } from "@clientapps/audit";
import { composeProjector } from "@clientapps/projector";
import { composeRelay } from "@clientapps/relay";
import { composeScheduler } from "@clientapps/scheduler";
import type { DependencyContainer } from "tsyringe";

export type StandaloneOptions = Readonly<{
  /** Empty the read models and rebuild them from the events before serving. */
  rebuildReadModels: boolean;
  /** Where the one-time bootstrap admin token is shown. */
  announceAdminToken: (token: string, workspaceId: string) => void;
}>;

/**
 * Every service in one process on the same engines: projector, relay, audit,
 * scheduler and the api, each registered by its own composition exactly as it is
 * when it runs alone, in that order so the api opens on running projections, and
 * stopped the other way round.
 */
export const composeStandalone = (container: DependencyContainer, options: StandaloneOptions): void => {
  composeProjector(container, { rebuild: options.rebuildReadModels });
  composeRelay(container);
  composeAudit(container);
  composeScheduler(container);
  composeApi(container, { announceAdminToken: options.announceAdminToken });
};
