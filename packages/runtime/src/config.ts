import { z } from "zod";

const identifier = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$/;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** An http(s) base URL: no credentials, query or fragment, since paths are appended to it. */
const publicUrl = z
  .url({ protocol: /^https?$/ })
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (
      url.username === "" && url.password === "" && url.search === "" && url.hash === "" && !value.includes("#") && !value.includes("?")
    );
  }, "must be an http(s) URL without credentials, query or fragment")
  .transform((value) => value.replace(/\/+$/, ""));

const loopbackHosts = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** An issuer identifier (OpenID Connect Discovery §3): https, or http on loopback only; no query or fragment; kept as written. */
const issuerUrl = z.url({ protocol: /^https?$/ }).refine((value) => {
  if (!URL.canParse(value) || value.includes("?") || value.includes("#")) return false;
  const url = new URL(value);
  return url.username === "" && url.password === "" && (url.protocol === "https:" || loopbackHosts.has(url.hostname));
}, "must be an https URL (http only on loopback) without credentials, query or fragment");

/** Signature algorithms a JWT access token may use: asymmetric ones only, never `none` or an HMAC. */
export const asymmetricAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

const commaList = <T extends string>(allowed: readonly T[], fallback: string, what: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => value.split(",").map((item) => item.trim()))
    .refine(
      (items): items is T[] => items.length > 0 && items.every((item) => (allowed as readonly string[]).includes(item)),
      `must be a comma-separated list of ${what}: ${allowed.join(", ")}`,
    );

const claimName = z.string().regex(/^[\x21-\x7E]{1,200}$/, "must be a claim name");

/** Environment variables and their defaults; the README lists the same table. */
export const environmentSchema = z
  .object({
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    OPS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    DATA_DIR: z.string().min(1).default("./data"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    CLIENTAPPS_PEPPER: z
      .string()
      .refine((value) => Buffer.from(value, "base64").length >= 32, "must be base64 of at least 32 bytes")
      .optional(),
    CLIENTAPPS_ADMIN_TOKEN: z.string().min(1).optional(),
    CLIENTAPPS_ADMIN_WORKSPACE: z.string().regex(identifier, "must be a workspace id").default("default"),
    CLIENTAPPS_PLATFORM_TOKEN: z.string().min(1).optional(),
    CLIENTAPPS_BODY_LIMIT_BYTES: positiveInt(64 * 1024),
    CLIENTAPPS_READ_YOUR_WRITES_TIMEOUT_MS: positiveInt(5000),
    CLIENTAPPS_POLL_INTERVAL_MS: positiveInt(20),
    CLIENTAPPS_SCHEDULER_INTERVAL_MS: positiveInt(1000),
    CLIENTAPPS_REGISTRATION: z.enum(["credential", "open"]).default("credential"),
    CLIENTAPPS_REGISTRATION_WORKSPACE: z.string().regex(identifier, "must be a workspace id").optional(),
    CLIENTAPPS_REGISTRATION_RATE_LIMIT: positiveInt(20),
    CLIENTAPPS_TRUST_PROXY: z.string().optional(),
    CLIENTAPPS_PUBLIC_URL: publicUrl.optional(),
    CLIENTAPPS_MAX_STREAMS: positiveInt(1000),
    CLIENTAPPS_MAX_STREAMS_PER_CREDENTIAL: positiveInt(5),
    CLIENTAPPS_REQUEST_TIMEOUT_MS: positiveInt(30_000),
    CLIENTAPPS_HEADERS_TIMEOUT_MS: positiveInt(10_000),
    CLIENTAPPS_KEEP_ALIVE_TIMEOUT_MS: positiveInt(5000),
    CLIENTAPPS_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    EVENTSTORE_URL: z
      .string()
      .regex(/^(kurrentdb|esdb|kdb)(\+discover)?:\/\//, "must be a KurrentDB connection string (kurrentdb://…)")
      .optional(),
    MONGODB_URL: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, "must be a MongoDB connection string (mongodb://…)")
      .optional(),
    MONGODB_DATABASE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, "must be a database name")
      .default("clientapps"),
    KAFKA_BROKERS: z
      .string()
      .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, "must be a comma-separated list of host:port")
      .optional(),
    KAFKA_PARTITIONS: positiveInt(6),
    CLIENTAPPS_BUS_NAMESPACE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{0,64}$/, "must be letters, digits, '_' or '-'")
      .default(""),
    CLIENTAPPS_OIDC_ISSUER: issuerUrl.optional(),
    CLIENTAPPS_OIDC_AUDIENCE: z.string().min(1).max(500).optional(),
    CLIENTAPPS_OIDC_ALGORITHMS: commaList(asymmetricAlgorithms, "RS256,PS256,ES256,EdDSA", "asymmetric JWS algorithms"),
    CLIENTAPPS_OIDC_TOKEN_TYPES: commaList(["at+jwt", "jwt"] as const, "at+jwt", "token types"),
    CLIENTAPPS_OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    CLIENTAPPS_OIDC_WORKSPACE_CLAIM: claimName.default("workspace_id"),
    CLIENTAPPS_OIDC_PERMISSIONS_CLAIM: claimName.default("scope"),
    CLIENTAPPS_OIDC_JWKS_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
    CLIENTAPPS_OIDC_JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID: z
      .string()
      .regex(/^[\x21-\x7e]{1,200}$/, "must be the console's client id at the provider: 1 to 200 visible ASCII characters")
      .optional(),
    CLIENTAPPS_OIDC_CONSOLE_PROVIDER_NAME: z
      .string()
      .trim()
      .min(1)
      .max(60)
      .regex(/^[^<>\p{Cc}]+$/u, "must be plain text without control characters or angle brackets")
      .default("single sign-on"),
    CLIENTAPPS_OIDC_CONSOLE_SCOPE: z
      .string()
      .trim()
      .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, "must be space-separated scope values (RFC 6749 §3.3)")
      .default("openid profile email clientapps:read clientapps:write"),
  })
  .refine((env) => env.CLIENTAPPS_OIDC_ISSUER !== undefined || env.CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID === undefined, {
    message: "is set, but CLIENTAPPS_OIDC_ISSUER is not: the console would have no provider to sign in with",
    path: ["CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID"],
  })
  .refine((env) => env.CLIENTAPPS_OIDC_ISSUER !== undefined || env.CLIENTAPPS_OIDC_AUDIENCE === undefined, {
    message: "is set, but CLIENTAPPS_OIDC_ISSUER is not: no token would be checked against it",
    path: ["CLIENTAPPS_OIDC_AUDIENCE"],
  })
  .refine((env) => env.CLIENTAPPS_OIDC_ISSUER === undefined || env.CLIENTAPPS_OIDC_AUDIENCE !== undefined, {
    message: "must be set with CLIENTAPPS_OIDC_ISSUER: the registry's identifier as the provider puts it in `aud`",
    path: ["CLIENTAPPS_OIDC_AUDIENCE"],
  })
  .refine((env) => env.CLIENTAPPS_HEADERS_TIMEOUT_MS <= env.CLIENTAPPS_REQUEST_TIMEOUT_MS, {
    message: "must not exceed CLIENTAPPS_REQUEST_TIMEOUT_MS",
    path: ["CLIENTAPPS_HEADERS_TIMEOUT_MS"],
  });

export type Config = Readonly<{
  host: string;
  port: number;
  /** Where a process without an API of its own serves /healthz, /readyz and /metrics (0: any free port). */
  opsPort: number;
  dataDir: string;
  logLevel: z.infer<typeof environmentSchema>["LOG_LEVEL"];
  pepper: string | undefined;
  adminToken: string | undefined;
  adminWorkspace: string;
  /** Set: the platform operator's credential (`pnpm platform-token`), for `/api/v1/workspaces`. Unset: no operator API. */
  platformToken: string | undefined;
  bodyLimitBytes: number;
  readYourWritesTimeoutMs: number;
  pollIntervalMs: number;
  schedulerIntervalMs: number;
  /** With `open`, anonymous registrations allowed per source address and minute. */
  registration: Readonly<{ mode: "credential" } | { mode: "open"; workspaceId: string; registrationsPerMinute: number }>;
  /** Set: events in KurrentDB/EventStoreDB. Unset: the embedded SQLite event store. */
  eventStoreUrl: string | undefined;
  /** Set: read models in MongoDB. Unset: the embedded SQLite read models. */
  mongodbUrl: string | undefined;
  mongodbDatabase: string;
  /** Set: the bus is Kafka. Unset: the embedded bus (a log in an SQLite file). */
  kafkaBrokers: readonly string[] | undefined;
  /** Partitions of the topics the bus creates. */
  kafkaPartitions: number;
  /** Prefix of every topic and consumer group, so deployments can share a Kafka cluster. */
  busNamespace: string;
  /** Express' "trust proxy": which hops' X-Forwarded-* to believe for the source IP and protocol. */
  trustProxy: boolean | string;
  /** Where clients reach the API (`https://clientapps.example.com`); absolute URIs it answers are built from it, never from Host. */
  publicUrl: string | undefined;
  /** Live streams (SSE) open at once: in all, and per credential. */
  streams: Readonly<{ total: number; perCredential: number }>;
  /** How long a client may take to send a whole request, its headers, and how long an idle keep-alive connection is kept. */
  serverTimeouts: Readonly<{ requestMs: number; headersMs: number; keepAliveMs: number }>;
  /** Set: the API port's /metrics needs `Authorization: Bearer <token>`. Unset: it is served on the ops port only. */
  metricsToken: string | undefined;
  /** Set: Bearer JWT access tokens from this identity provider are accepted too. Unset: no JWT is ever verified. */
  oidc: OidcConfig | undefined;
}>;

export type OidcConfig = Readonly<{
  /** The `iss` every token must carry; its discovery document names the key set. */
  issuer: string;
  /** The `aud` a token must include: this registry as a resource. */
  audience: string;
  algorithms: readonly string[];
  /** `at+jwt`: RFC 9068's `typ`; `jwt`: `typ` JWT or none, as many providers send. */
  tokenTypes: readonly ("at+jwt" | "jwt")[];
  clockSkewSeconds: number;
  /** The claim naming the workspace the token is for. */
  workspaceClaim: string;
  /** The claim holding the permissions: a space-separated string (`scope`) or a list of strings. */
  permissionsClaim: string;
  /** How long the key set is used before it is fetched again, and how soon after a fetch an unknown `kid` may fetch it again. */
  jwksCacheSeconds: number;
  jwksCooldownSeconds: number;
  /** Set: the console offers "Sign in with <providerName>", authorization code + PKCE as this public client. */
  console: Readonly<{ clientId: string; providerName: string; scope: string }> | undefined;
}>;

export class ConfigurationError extends Error {
  readonly code = "invalid_configuration";
}

export const loadConfig = (environment: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  return {
    host: env.HOST,
    port: env.PORT,
    opsPort: env.OPS_PORT,
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL,
    pepper: env.CLIENTAPPS_PEPPER,
    adminToken: env.CLIENTAPPS_ADMIN_TOKEN,
    adminWorkspace: env.CLIENTAPPS_ADMIN_WORKSPACE,
    platformToken: env.CLIENTAPPS_PLATFORM_TOKEN,
    bodyLimitBytes: env.CLIENTAPPS_BODY_LIMIT_BYTES,
    readYourWritesTimeoutMs: env.CLIENTAPPS_READ_YOUR_WRITES_TIMEOUT_MS,
    pollIntervalMs: env.CLIENTAPPS_POLL_INTERVAL_MS,
    schedulerIntervalMs: env.CLIENTAPPS_SCHEDULER_INTERVAL_MS,
    registration:
      env.CLIENTAPPS_REGISTRATION === "open"
        ? {
            mode: "open",
            workspaceId: env.CLIENTAPPS_REGISTRATION_WORKSPACE ?? env.CLIENTAPPS_ADMIN_WORKSPACE,
            registrationsPerMinute: env.CLIENTAPPS_REGISTRATION_RATE_LIMIT,
          }
        : { mode: "credential" },
    eventStoreUrl: env.EVENTSTORE_URL,
    mongodbUrl: env.MONGODB_URL,
    mongodbDatabase: env.MONGODB_DATABASE,
    kafkaBrokers: env.KAFKA_BROKERS?.split(","),
    kafkaPartitions: env.KAFKA_PARTITIONS,
    busNamespace: env.CLIENTAPPS_BUS_NAMESPACE,
    trustProxy:
      env.CLIENTAPPS_TRUST_PROXY === undefined ? false : env.CLIENTAPPS_TRUST_PROXY === "true" ? true : env.CLIENTAPPS_TRUST_PROXY,
    publicUrl: env.CLIENTAPPS_PUBLIC_URL,
    streams: { total: env.CLIENTAPPS_MAX_STREAMS, perCredential: env.CLIENTAPPS_MAX_STREAMS_PER_CREDENTIAL },
    serverTimeouts: {
      requestMs: env.CLIENTAPPS_REQUEST_TIMEOUT_MS,
      headersMs: env.CLIENTAPPS_HEADERS_TIMEOUT_MS,
      keepAliveMs: env.CLIENTAPPS_KEEP_ALIVE_TIMEOUT_MS,
    },
    metricsToken: env.CLIENTAPPS_METRICS_TOKEN,
    oidc:
      env.CLIENTAPPS_OIDC_ISSUER === undefined || env.CLIENTAPPS_OIDC_AUDIENCE === undefined
        ? undefined
        : {
            issuer: env.CLIENTAPPS_OIDC_ISSUER,
            audience: env.CLIENTAPPS_OIDC_AUDIENCE,
            algorithms: env.CLIENTAPPS_OIDC_ALGORITHMS,
            tokenTypes: env.CLIENTAPPS_OIDC_TOKEN_TYPES,
            clockSkewSeconds: env.CLIENTAPPS_OIDC_CLOCK_SKEW_SECONDS,
            workspaceClaim: env.CLIENTAPPS_OIDC_WORKSPACE_CLAIM,
            permissionsClaim: env.CLIENTAPPS_OIDC_PERMISSIONS_CLAIM,
            jwksCacheSeconds: env.CLIENTAPPS_OIDC_JWKS_CACHE_SECONDS,
            jwksCooldownSeconds: env.CLIENTAPPS_OIDC_JWKS_COOLDOWN_SECONDS,
            console:
              env.CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID === undefined
                ? undefined
                : {
                    clientId: env.CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID,
                    providerName: env.CLIENTAPPS_OIDC_CONSOLE_PROVIDER_NAME,
                    scope: env.CLIENTAPPS_OIDC_CONSOLE_SCOPE,
                  },
          },
  };
};
