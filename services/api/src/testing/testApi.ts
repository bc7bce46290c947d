import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createSecretHasher, fingerprintOf, generateCredential, newCredentialId, type SecretHasher } from "@clientapps/credentials";
import { workspaceDecider, workspaceStreamName, type WorkspaceCommand } from "@clientapps/domain";
import { handleCommand, type DomainEvent, type EventStore } from "@clientapps/event-store";
import { clientReadModelProjections as projections } from "@clientapps/client-read-models";
import { startProjection, type Projection, type ProjectionRunner } from "@clientapps/projections";
import { createLogger, createMetrics, openEmbeddedEngines, sleep, type Engines, type OidcConfig } from "@clientapps/runtime";
import { startAudit } from "@clientapps/audit-trail";
import { relayProjection } from "@clientapps/event-messages";
import { startCredentialScheduler, type CredentialScheduler } from "@clientapps/credential-scheduler";
import supertest from "supertest";
import { createApi, type Api } from "../app.js";
import { waitForCheckpoint } from "../consistency/readYourWrites.js";
import { bootstrapMetadata, ensureWorkspace } from "../auth/bootstrapAdmin.js";
import type { RegistrationPolicy } from "../registration/registrationRoutes.js";

export type TestApi = Readonly<{
  http: () => ReturnType<typeof supertest>;
  /**
   * A fresh admin token in `workspaceId` with these scopes (and expiry), as an Authorization header value:
   * issued by an event of the workspace's stream, the workspace created first when it does not exist.
   */
  bearer: (workspaceId: string, scopes?: readonly string[], expiresOn?: string) => Promise<string>;
  /** Runs a command on a workspace's stream as the server would on its own (no caller); returns its events' types. */
  workspaceCommand: (command: WorkspaceCommand) => Promise<readonly string[]>;
  /** The platform operator's credential (CLIENTAPPS_PLATFORM_TOKEN of this instance), as an Authorization header value. */
  operator: string;
  hasher: SecretHasher;
  engines: Engines;
  api: Api;
  dataDir: string;
  /** The pepper its hashes are keyed with: another instance on the same data needs it too. */
  pepper: Buffer;
  /** Every log line written so far. */
  logs: () => string;
  /** The injected clock's time. */
  now: () => Date;
  /** Moves the injected clock. */
  advance: (ms: number) => void;
  /** The credential scheduler; it runs only when a test calls `tick`. */
  scheduler: CredentialScheduler;
  /** Waits until every projection, and the relay, has handled every event written so far (the audit consumer may still be behind). */
  settle: () => Promise<void>;
  /** Stops everything, as a crash would leave the files, and starts again on the same data and clock. */
  restart: () => Promise<TestApi>;
  close: () => Promise<void>;
}>;

type TestApiOptions = Readonly<{
  now?: Date;
  bodyLimitBytes?: number;
  /** Delays the projector by this much per event, so a read that does not wait for it sees stale data. */
  projectionLagMs?: number;
  /** Delays the api's reads of a stream by this much, so concurrent commands on one stream collide. */
  eventStoreLatencyMs?: number;
  registration?: RegistrationPolicy;
  /** Reuse the data (and the pepper that keys its hashes) of an earlier instance. */
  dataDir?: string;
  pepper?: Buffer;
  /** Whether `close` removes the data; by default only an instance that made the directory does. */
  ownsDataDir?: boolean;
  /** CLIENTAPPS_PUBLIC_URL. */
  publicUrl?: string;
  /** CLIENTAPPS_MAX_STREAMS and CLIENTAPPS_MAX_STREAMS_PER_CREDENTIAL. */
  streams?: Readonly<{ total: number; perCredential: number }>;
  /** CLIENTAPPS_METRICS_TOKEN; without it, the API port serves no /metrics. */
  metricsToken?: string;
  /** The platform's identity provider (CLIENTAPPS_OIDC_*). */
  oidc?: OidcConfig;
  /** CLIENTAPPS_PLATFORM_TOKEN; a fresh one by default. */
  platformToken?: string;
  /** How often live streams poll for what other processes wrote; 20 ms unless given. */
  streamPollIntervalMs?: number;
}>;

/** A scrape token for tests that read /metrics. */
export const testMetricsToken = "test-metrics-token-0123456789";

/** A projection that takes `lagMs` longer for every event, as a busy projector would. */
const lagging = <Event extends DomainEvent>(projection: Projection<Event>, lagMs: number): Projection<Event> => ({
  ...projection,
  open: async (store) => {
    const handler = await projection.open(store);
    return {
      ...handler,
      apply: async (event, recorded) => {
        await sleep(lagMs);
        await handler.apply(event, recorded);
      },
    };
  },
});

/**
 * An event store whose stream reads answer `latencyMs` late, as a networked one's do:
 * concurrent commands then decide on the same revision, so their conflicts really happen.
 */
const slowReads = (eventStore: EventStore, latencyMs: number): EventStore => ({
  ...eventStore,
  readStream: async (streamName, options) => {
    const events = await eventStore.readStream(streamName, options);
    await sleep(latencyMs);
    return events;
  },
});

/**
 * The embedded composition on real SQLite files in a fresh directory: the same
 * api and projector `pnpm start` runs, with an injectable clock and captured logs.
 */
export const startTestApi = async (options: TestApiOptions = {}): Promise<TestApi> => {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "clientapps-api-"));
  const ownsDataDir = options.ownsDataDir ?? options.dataDir === undefined;
  const engines = openEmbeddedEngines({ dataDir, pollIntervalMs: 25 });
  const lines: string[] = [];
  const logger = createLogger(
    { level: "debug" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    }),
  );
  let now = options.now?.getTime() ?? Date.parse("2026-01-15T10:00:00.000Z");
  const clock = () => new Date(now);
  const pepper = options.pepper ?? randomBytes(32);
  const metrics = createMetrics();
  const hasher = createSecretHasher(pepper);
  const platformToken = options.platformToken ?? generateCredential("platformToken");
  const runners: ProjectionRunner[] = [];
  const relay = relayProjection(engines.bus);
  for (const projection of projections) {
    const started = options.projectionLagMs ? lagging(projection, options.projectionLagMs) : projection;
    runners.push(await startProjection({ ...engines, logger, onUnknownEvent: metrics.countUnknownEvent }, started));
  }
  const api = await createApi({
    ...engines,
    readModels: engines.servedReadModels,
    eventStore: options.eventStoreLatencyMs ? slowReads(engines.eventStore, options.eventStoreLatencyMs) : engines.eventStore,
    hasher,
    pepper,
    logger,
    metrics,
    clock,
    settings: {
      bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024,
      readYourWritesTimeoutMs: 5000,
      registration: options.registration,
      extraCheckpoints: [relay.name],
      streamPollIntervalMs: options.streamPollIntervalMs ?? 20,
      publicUrl: options.publicUrl,
      metricsToken: options.metricsToken,
      streams: options.streams,
      oidc: options.oidc,
      platformToken,
    },
  });
  if (options.registration?.mode === "open") await ensureWorkspace(engines.eventStore, options.registration.workspaceId, clock());
  runners.push(await startProjection({ ...engines, logger, onUnknownEvent: metrics.countUnknownEvent }, relay));
  const audit = await startAudit({
    ...engines,
    logger,
    clock,
    observeLag: (seconds) => metrics.activityLag.observe(seconds),
    onUnreadableMessage: (topic) => metrics.unreadableMessages.inc({ topic }),
  });
  const scheduler = await startCredentialScheduler({ ...engines, clock, logger }, { intervalMs: 60_000, autoStart: false });
  const stop = async () => {
    await scheduler.stop();
    await audit.stop();
    for (const runner of runners) await runner.stop();
    await engines.close();
  };
  const workspaceCommand = async (command: WorkspaceCommand): Promise<readonly string[]> => {
    const { workspaceId } = command.data;
    const handled = await handleCommand(engines.eventStore, workspaceDecider, workspaceStreamName(workspaceId), command, {
      metadata: bootstrapMetadata(workspaceId, clock()),
      newEventId: randomUUID,
    });
    if (handled.kind === "rejected") throw new Error(`${command.type} was rejected: ${handled.rejection.detail}`);
    return handled.events.map((event) => event.type);
  };
  return {
    http: () => supertest(api.app),
    bearer: async (workspaceId, scopes = ["admin"], expiresOn) => {
      const token = generateCredential("adminToken");
      await ensureWorkspace(engines.eventStore, workspaceId, clock());
      const adminToken = {
        tokenId: newCredentialId("adm"),
        token: { hash: hasher.hash(token), fingerprint: fingerprintOf(token) },
        label: "test",
        scopes,
        expiresOn: expiresOn ?? null,
      };
      const types = await workspaceCommand({ type: "IssueAdminToken", data: { workspaceId, adminToken }, metadata: { now: clock() } });
      if (types.length !== 1) throw new Error(`the test admin token was not issued in '${workspaceId}'`);
      return `Bearer ${token}`;
    },
    workspaceCommand,
    operator: `Bearer ${platformToken}`,
    hasher,
    engines,
    api,
    dataDir,
    pepper,
    logs: () => lines.join(""),
    now: clock,
    advance: (ms) => {
      now += ms;
    },
    scheduler,
    settle: async () => {
      const head = await engines.eventStore.headPosition();
      if (head === undefined) return;
      for (const name of [...projections.map((projection) => projection.name), relay.name]) {
        if (!(await waitForCheckpoint(engines.readModels.checkpoints, name, head, 5000))) {
          throw new Error(`${name} did not catch up`);
        }
      }
    },
    restart: async () => {
      await stop();
      return startTestApi({ ...options, dataDir, pepper, ownsDataDir, platformToken, now: clock() });
    },
    close: async () => {
      await stop();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
