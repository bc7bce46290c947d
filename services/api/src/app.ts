import type { SecretHasher } from "@clientapps/credentials";
import { clientApplicationDecider } from "@clientapps/domain";
import { createStreamStateCache, type EventStore } from "@clientapps/event-store";
import {
  clientApplicationsCollection,
  clientReadModelProjections as projections,
  workspacesCollection,
  type ClientApplicationView,
  type WorkspaceView,
} from "@clientapps/client-read-models";
import type { MessageBus } from "@clientapps/message-bus";
import type { ReadModelStore } from "@clientapps/read-models";
import { traceRequests, type Logger, type Metrics, type OidcConfig } from "@clientapps/runtime";
import express, { type Express } from "express";
import { openAccessCredentials, type AccessCredentials } from "./auth/accessCredentials.js";
import { authenticate } from "./auth/authenticate.js";
import { openClientCredentials } from "./auth/clientCredentials.js";
import { clientApplicationRoutes } from "./clientApplications/clientApplicationRoutes.js";
import { createReadYourWrites } from "./consistency/readYourWrites.js";
import { activityRoutes } from "./activity/activityRoutes.js";
import { historyRoutes } from "./clientApplications/historyRoutes.js";
import { apiKeyRoutes } from "./credentials/apiKeyRoutes.js";
import { tokenFeedRoutes } from "./tokens/tokenFeedRoutes.js";
import { introspectionRoutes } from "./credentials/introspectionRoutes.js";
import { secretRoutes } from "./credentials/secretRoutes.js";
import { healthRoutes } from "./health/healthRoutes.js";
import { metricsRoutes, requestMetrics } from "./health/metricsRoutes.js";
import { errorHandler, notFoundHandler } from "./http/errorHandler.js";
import { routesRouter } from "./http/routes/routesRouter.js";
import { publicBaseUrl } from "./http/publicBaseUrl.js";
import { requestId } from "./http/requestId.js";
import { createStreamSlots, type StreamLimits } from "./http/streamSlots.js";
import { requestLog } from "./http/requestLog.js";
import { idempotency } from "./idempotency/idempotency.js";
import { openIdempotencyKeys } from "./idempotency/idempotencyKeys.js";
import { openApiRoutes } from "./openapi/openApiRoutes.js";
import { consoleRoutes } from "./console/consoleRoutes.js";
import { awxDiscoveryRoutes } from "./dialects/awx/awxDiscoveryRoutes.js";
import { awxRoutes } from "./dialects/awx/awxRoutes.js";
import { oauthAppRoutes } from "./dialects/oauthApps/oauthAppRoutes.js";
import { openRateLimits } from "./rateLimits/readModelRateLimiter.js";
import { registrationRoutes, type RegistrationPolicy } from "./registration/registrationRoutes.js";
import { workspaceRoutes } from "./workspaces/workspaceRoutes.js";
import { createWorkspaceStates, type WorkspaceStates } from "./workspaces/workspaceStates.js";

export type ApiDependencies = Readonly<{
  eventStore: EventStore;
  readModels: ReadModelStore;
  bus: MessageBus;
  hasher: SecretHasher;
  /** The server pepper the hasher was made from; also keys the responses kept for `Idempotency-Key` retries. */
  pepper: Buffer;
  logger: Logger;
  metrics: Metrics;
  clock: () => Date;
  settings: Readonly<{
    bodyLimitBytes: number;
    readYourWritesTimeoutMs: number;
    trustProxy?: boolean | string | undefined;
    /** Checkpointed subscriptions besides the projections (the relay) whose lag /metrics reports. */
    extraCheckpoints?: readonly string[] | undefined;
    /** How often live tails (SSE) and long polls look for new entries. */
    streamPollIntervalMs?: number | undefined;
    /** Live streams (SSE) this process holds open at once, in all and per credential. */
    streams?: StreamLimits | undefined;
    /** CLIENTAPPS_METRICS_TOKEN: set, /metrics is served to the scraper presenting it; unset, not on this port. */
    metricsToken?: string | undefined;
    /** Where clients reach the API; absolute URIs are built from it (see publicBaseUrl). */
    publicUrl?: string | undefined;
    /** Who may register clients through RFC 7591; callers with a credential by default. */
    registration?: RegistrationPolicy | undefined;
    /** The platform's identity provider, whose JWT access tokens are accepted too; unset, no JWT code is loaded. */
    oidc?: OidcConfig | undefined;
    /** CLIENTAPPS_PLATFORM_TOKEN: the platform operator's credential; unset, nobody can use the operator API. */
    platformToken?: string | undefined;
  }>;
}>;

export type Api = Readonly<{ app: Express; credentials: AccessCredentials; workspaces: WorkspaceStates }>;

export const createApi = async (deps: ApiDependencies): Promise<Api> => {
  // A credential issued a moment ago may wait this long for its index; kept short, since anyone can present a well-formed unknown one.
  const catchUpTimeoutMs = Math.min(deps.settings.readYourWritesTimeoutMs, 1000);
  const workspaces = createWorkspaceStates(deps.eventStore);
  const credentials = await openAccessCredentials({ ...deps, workspaces, platformToken: deps.settings.platformToken, catchUpTimeoutMs });
  const views = await deps.readModels.collection<ClientApplicationView>(clientApplicationsCollection);
  const workspaceViews = await deps.readModels.collection<WorkspaceView>(workspacesCollection);
  const idempotencyKeys = await openIdempotencyKeys(deps.readModels, deps.pepper);
  // In the read-model store, which every api instance shares, so a limit holds across instances.
  const rateLimits = await openRateLimits(deps.readModels, deps.clock);
  const readYourWrites = createReadYourWrites(deps.readModels.checkpoints, {
    timeoutMs: deps.settings.readYourWritesTimeoutMs,
    headPosition: () => deps.eventStore.headPosition(),
  });
  const clientCredentials = await openClientCredentials({ ...deps, workspaces, catchUpTimeoutMs });

  const jwtAccessTokens = deps.settings.oidc
    ? (await import("./auth/jwtAccessTokens.js")).createJwtAccessTokens(deps.settings.oidc)
    : undefined;

  const clientStates = createStreamStateCache(deps.eventStore, clientApplicationDecider);
  const routeDependencies = { eventStore: deps.eventStore, clock: deps.clock, readYourWrites, views, hasher: deps.hasher, clientStates };
  const pollIntervalMs = deps.settings.streamPollIntervalMs ?? 250;
  const slots = createStreamSlots(deps.settings.streams ?? { total: 1000, perCredential: 5 });

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("trust proxy", deps.settings.trustProxy ?? false);
  app.use(traceRequests, requestId, requestLog(deps.logger), requestMetrics(deps.metrics), publicBaseUrl(deps.settings.publicUrl));
  app.use((_request, response, next) => {
    response.setHeader("X-Content-Type-Options", "nosniff");
    next();
  });

  const checkpoints = [...projections.map((projection) => projection.name), ...(deps.settings.extraCheckpoints ?? [])];
  const routes = [
    ...healthRoutes({ eventStore: deps.eventStore, readModels: deps.readModels, bus: deps.bus, projections: checkpoints }),
    // Without a token the API port serves no /metrics: every tenant's request counts are for the ops port's internal network.
    ...(deps.settings.metricsToken === undefined
      ? []
      : metricsRoutes({ ...deps, projections: checkpoints, token: deps.settings.metricsToken })),
    ...registrationRoutes({
      ...routeDependencies,
      clientCredentials,
      rateLimits,
      workspaces,
      policy: deps.settings.registration ?? { mode: "credential" },
    }),
    ...workspaceRoutes({ ...routeDependencies, views: workspaceViews }),
    ...clientApplicationRoutes(routeDependencies),
    ...secretRoutes(routeDependencies),
    ...apiKeyRoutes(routeDependencies),
    ...historyRoutes(routeDependencies),
    ...(await activityRoutes({ readModels: deps.readModels, pollIntervalMs, slots })),
    ...(await tokenFeedRoutes({ readModels: deps.readModels, pollIntervalMs, slots })),
    ...introspectionRoutes({ clientCredentials, clock: deps.clock, hasher: deps.hasher, rateLimits }),
    ...awxDiscoveryRoutes(),
    ...(await awxRoutes({ ...routeDependencies, readModels: deps.readModels })),
    ...oauthAppRoutes(routeDependencies),
  ];
  app.use(openApiRoutes(routes));
  app.use(consoleRoutes(deps.settings.oidc));
  app.use(
    routesRouter(routes, {
      authenticate: authenticate(credentials, clientCredentials, deps.clock, workspaces, jwtAccessTokens),
      bodyLimitBytes: deps.settings.bodyLimitBytes,
      idempotency: idempotency({ store: idempotencyKeys, clock: deps.clock, logger: deps.logger }),
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return { app, credentials, workspaces };
};
