import { createServer, type Server } from "node:http";
import type { Express } from "express";
import type { EventStore } from "@clientapps/event-store";
import type { MessageBus } from "@clientapps/message-bus";
import type { ReadModelStore } from "@clientapps/read-models";
import type { Config, Logger, Metrics } from "@clientapps/runtime";
import { createApi } from "./app.js";
import { credentialKindOf, type SecretHasher } from "@clientapps/credentials";
import { bootstrapAdmin, ensureWorkspace, InvalidPlatformTokenError } from "./auth/bootstrapAdmin.js";

export type ApiServer = Readonly<{ port: number; stop: () => Promise<void> }>;

export type ApiServerDependencies = Readonly<{
  config: Config;
  eventStore: EventStore;
  readModels: ReadModelStore;
  bus: MessageBus;
  hasher: SecretHasher;
  pepper: Buffer;
  logger: Logger;
  metrics: Metrics;
  clock: () => Date;
  /** Checkpointed subscriptions running beside the projections, whose lag /readyz and /metrics report. */
  extraCheckpoints: readonly string[];
  /** Where the one-time bootstrap admin token is shown, with the address of the console to use it in. */
  announceAdminToken: (token: string, workspaceId: string, consoleUrl?: string) => void;
}>;

export type ListenOptions = Readonly<{ host: string; port: number; timeouts: Config["serverTimeouts"] }>;

/**
 * Listens with timeouts a slow client cannot stretch: the whole request (body included)
 * must arrive within `requestMs` and its headers within `headersMs`, or the connection
 * is answered 408 and closed; an idle keep-alive connection closes after `keepAliveMs`.
 * Responses are not limited: a live stream (SSE) lasts as long as its reader stays.
 */
export const listenApi = (app: Express, options: ListenOptions): Promise<Server> =>
  new Promise<Server>((resolve, reject) => {
    const { requestMs, headersMs, keepAliveMs } = options.timeouts;
    const server = createServer(
      {
        requestTimeout: requestMs,
        headersTimeout: headersMs,
        keepAliveTimeout: keepAliveMs,
        // Node looks for expired requests this often (30 s by default), which would make short timeouts meaningless.
        connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersMs / 4))),
      },
      app,
    );
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });

/** Builds the api on the given engines, makes sure an admin can get in, and listens. */
export const startApiServer = async (deps: ApiServerDependencies): Promise<ApiServer> => {
  const { config, logger } = deps;
  let announced: string | undefined;
  if (config.platformToken !== undefined && credentialKindOf(config.platformToken) !== "platformToken") {
    throw new InvalidPlatformTokenError();
  }
  const { app } = await createApi({
    eventStore: deps.eventStore,
    readModels: deps.readModels,
    bus: deps.bus,
    hasher: deps.hasher,
    pepper: deps.pepper,
    logger,
    metrics: deps.metrics,
    clock: deps.clock,
    settings: {
      extraCheckpoints: deps.extraCheckpoints,
      bodyLimitBytes: config.bodyLimitBytes,
      readYourWritesTimeoutMs: config.readYourWritesTimeoutMs,
      registration: config.registration,
      trustProxy: config.trustProxy,
      publicUrl: config.publicUrl,
      metricsToken: config.metricsToken,
      streams: config.streams,
      oidc: config.oidc,
      platformToken: config.platformToken,
    },
  });
  await bootstrapAdmin(deps, {
    configuredToken: config.adminToken,
    workspaceId: config.adminWorkspace,
    now: deps.clock(),
    // Shown once the port is known, so the console's address can go with it.
    announce: (token) => {
      announced = token;
    },
  });
  // Open registration registers into its workspace, which must exist for the credentials it hands out to work.
  if (config.registration.mode === "open") await ensureWorkspace(deps.eventStore, config.registration.workspaceId, deps.clock());
  const server = await listenApi(app, { host: config.host, port: config.port, timeouts: config.serverTimeouts });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shownHost =
    config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host.includes(":") ? `[${config.host}]` : config.host;
  const consoleUrl = `http://${shownHost}:${port}/console`;
  if (announced !== undefined) deps.announceAdminToken(announced, config.adminWorkspace, consoleUrl);
  logger.info({ host: config.host, port, dataDir: config.dataDir, console: consoleUrl }, "listening");
  return {
    port,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
};

/** The one deliberate display of a secret: on the console, once, never in a log line. */
export const announceOnConsole = (token: string, workspaceId: string, consoleUrl?: string): void => {
  process.stdout.write(`\nBootstrap admin token for workspace '${workspaceId}' (shown only now; store it safely):\n\n    ${token}\n\n`);
  if (consoleUrl) process.stdout.write(`Sign in with it at the console: ${consoleUrl}\n\n`);
};
