import { describe, expect, it } from "vitest";
import { ConfigurationError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("runs embedded on loopback with documented defaults when nothing is set", () => {
    expect(loadConfig({})).toEqual({
      host: "127.0.0.1",
      port: 8080,
      opsPort: 0,
      dataDir: "./data",
      logLevel: "info",
      pepper: undefined,
      adminToken: undefined,
      adminWorkspace: "default",
      platformToken: undefined,
      bodyLimitBytes: 65536,
      readYourWritesTimeoutMs: 5000,
      pollIntervalMs: 20,
      schedulerIntervalMs: 1000,
      registration: { mode: "credential" },
      eventStoreUrl: undefined,
      mongodbUrl: undefined,
      mongodbDatabase: "clientapps",
      kafkaBrokers: undefined,
      kafkaPartitions: 6,
      busNamespace: "",
      trustProxy: false,
      publicUrl: undefined,
      streams: { total: 1000, perCredential: 5 },
      serverTimeouts: { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5000 },
      metricsToken: undefined,
      oidc: undefined,
    });
  });

  it("reads every setting from the environment", () => {
    const config = loadConfig({
      HOST: "0.0.0.0",
      PORT: "0",
      DATA_DIR: "/var/lib/clientapps",
      LOG_LEVEL: "warn",
      CLIENTAPPS_ADMIN_WORKSPACE: "acme",
      CLIENTAPPS_REGISTRATION: "open",
      CLIENTAPPS_REGISTRATION_RATE_LIMIT: "5",
      CLIENTAPPS_TRUST_PROXY: "1",
    });
    expect(config).toMatchObject({ host: "0.0.0.0", port: 0, dataDir: "/var/lib/clientapps", logLevel: "warn", trustProxy: "1" });
    expect(config.registration).toEqual({ mode: "open", workspaceId: "acme", registrationsPerMinute: 5 });
  });

  it("names every setting it refuses, and why", () => {
    const refused = () => loadConfig({ PORT: "http", LOG_LEVEL: "loud", CLIENTAPPS_PEPPER: "c2hvcnQ=" });
    expect(refused).toThrow(ConfigurationError);
    expect(refused).toThrow(/PORT/);
    expect(refused).toThrow(/LOG_LEVEL/);
    expect(refused).toThrow(/CLIENTAPPS_PEPPER: must be base64 of at least 32 bytes/);
  });

  it("switches a port to its production engine when its URL is set, and checks the URL's scheme", () => {
    const config = loadConfig({
      MONGODB_URL: "mongodb://127.0.0.1:27017/",
      EVENTSTORE_URL: "kurrentdb://127.0.0.1:2113?tls=false",
      MONGODB_DATABASE: "prod",
    });
    expect(config).toMatchObject({
      mongodbUrl: "mongodb://127.0.0.1:27017/",
      eventStoreUrl: "kurrentdb://127.0.0.1:2113?tls=false",
      mongodbDatabase: "prod",
    });
    expect(() => loadConfig({ MONGODB_URL: "postgres://x" })).toThrow(/MONGODB_URL: must be a MongoDB connection string/);
    expect(() => loadConfig({ EVENTSTORE_URL: "http://x" })).toThrow(/EVENTSTORE_URL: must be a KurrentDB connection string/);
  });

  it("takes Kafka brokers as a host:port list", () => {
    expect(loadConfig({ KAFKA_BROKERS: "k1:9092,k2:9092", KAFKA_PARTITIONS: "12" })).toMatchObject({
      kafkaBrokers: ["k1:9092", "k2:9092"],
      kafkaPartitions: 12,
    });
    expect(() => loadConfig({ KAFKA_BROKERS: "k1" })).toThrow(/KAFKA_BROKERS: must be a comma-separated list of host:port/);
  });

  it("takes the public URL that absolute URIs are built from, without a trailing slash; refuses one not a plain http(s) base", () => {
    expect(loadConfig({ CLIENTAPPS_PUBLIC_URL: "https://clientapps.example.com/auth/" }).publicUrl).toBe(
      "https://clientapps.example.com/auth",
    );
    for (const url of [
      "clientapps.example.com",
      "ftp://clientapps.example.com",
      "https://x.example.com/?a=1",
      "https://x.example.com/#f",
      "https://u@x.example.com",
    ]) {
      expect(() => loadConfig({ CLIENTAPPS_PUBLIC_URL: url }), url).toThrow(/CLIENTAPPS_PUBLIC_URL/);
    }
  });

  it("reads the caps on live streams, the server's timeouts and the metrics token", () => {
    expect(
      loadConfig({
        CLIENTAPPS_MAX_STREAMS: "50",
        CLIENTAPPS_MAX_STREAMS_PER_CREDENTIAL: "2",
        CLIENTAPPS_REQUEST_TIMEOUT_MS: "20000",
        CLIENTAPPS_HEADERS_TIMEOUT_MS: "5000",
        CLIENTAPPS_KEEP_ALIVE_TIMEOUT_MS: "1000",
        CLIENTAPPS_METRICS_TOKEN: "a-long-enough-scrape-token",
      }),
    ).toMatchObject({
      streams: { total: 50, perCredential: 2 },
      serverTimeouts: { requestMs: 20_000, headersMs: 5000, keepAliveMs: 1000 },
      metricsToken: "a-long-enough-scrape-token",
    });
    expect(() => loadConfig({ CLIENTAPPS_HEADERS_TIMEOUT_MS: "60000" })).toThrow(
      /CLIENTAPPS_HEADERS_TIMEOUT_MS: must not exceed CLIENTAPPS_REQUEST_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ CLIENTAPPS_METRICS_TOKEN: "short" })).toThrow(/CLIENTAPPS_METRICS_TOKEN/);
  });

  it("accepts the identity provider's tokens only when an issuer and an audience are set, with documented defaults", () => {
    expect(
      loadConfig({ CLIENTAPPS_OIDC_ISSUER: "https://id.example.com", CLIENTAPPS_OIDC_AUDIENCE: "https://clientapps.example.com" }).oidc,
    ).toEqual({
      issuer: "https://id.example.com",
      audience: "https://clientapps.example.com",
      algorithms: ["RS256", "PS256", "ES256", "EdDSA"],
      tokenTypes: ["at+jwt"],
      clockSkewSeconds: 30,
      workspaceClaim: "workspace_id",
      permissionsClaim: "scope",
      jwksCacheSeconds: 600,
      jwksCooldownSeconds: 30,
      console: undefined,
    });
    expect(() => loadConfig({ CLIENTAPPS_OIDC_ISSUER: "https://id.example.com" })).toThrow(/CLIENTAPPS_OIDC_AUDIENCE: must be set/);
    expect(() => loadConfig({ CLIENTAPPS_OIDC_AUDIENCE: "clientapps" })).toThrow(
      /CLIENTAPPS_OIDC_AUDIENCE: is set, but CLIENTAPPS_OIDC_ISSUER is not/,
    );
  });

  it("reads every identity-provider setting, and refuses HMAC, none, a plain-http issuer off loopback and an unknown token type", () => {
    const oidc = {
      CLIENTAPPS_OIDC_ISSUER: "http://127.0.0.1:4000/",
      CLIENTAPPS_OIDC_AUDIENCE: "clientapps",
      CLIENTAPPS_OIDC_ALGORITHMS: "ES256, EdDSA",
      CLIENTAPPS_OIDC_TOKEN_TYPES: "at+jwt",
      CLIENTAPPS_OIDC_CLOCK_SKEW_SECONDS: "5",
      CLIENTAPPS_OIDC_WORKSPACE_CLAIM: "https://awork.com/workspace",
      CLIENTAPPS_OIDC_PERMISSIONS_CLAIM: "permissions",
      CLIENTAPPS_OIDC_JWKS_CACHE_SECONDS: "60",
      CLIENTAPPS_OIDC_JWKS_COOLDOWN_SECONDS: "0",
    };
    expect(loadConfig(oidc).oidc).toEqual({
      issuer: "http://127.0.0.1:4000/",
      audience: "clientapps",
      algorithms: ["ES256", "EdDSA"],
      tokenTypes: ["at+jwt"],
      clockSkewSeconds: 5,
      workspaceClaim: "https://awork.com/workspace",
      permissionsClaim: "permissions",
      jwksCacheSeconds: 60,
      jwksCooldownSeconds: 0,
      console: undefined,
    });
    expect(() => loadConfig({ ...oidc, CLIENTAPPS_OIDC_ALGORITHMS: "RS256,HS256" })).toThrow(/CLIENTAPPS_OIDC_ALGORITHMS: must be/);
    expect(() => loadConfig({ ...oidc, CLIENTAPPS_OIDC_ALGORITHMS: "none" })).toThrow(/CLIENTAPPS_OIDC_ALGORITHMS/);
    expect(() => loadConfig({ ...oidc, CLIENTAPPS_OIDC_ISSUER: "http://id.example.com" })).toThrow(
      /CLIENTAPPS_OIDC_ISSUER: must be an https URL/,
    );
    expect(() => loadConfig({ ...oidc, CLIENTAPPS_OIDC_ISSUER: "https://id.example.com/?tenant=1" })).toThrow(/CLIENTAPPS_OIDC_ISSUER/);
    expect(() => loadConfig({ ...oidc, CLIENTAPPS_OIDC_TOKEN_TYPES: "id_token" })).toThrow(/CLIENTAPPS_OIDC_TOKEN_TYPES/);
    expect(() => loadConfig({ ...oidc, CLIENTAPPS_OIDC_CLOCK_SKEW_SECONDS: "3600" })).toThrow(/CLIENTAPPS_OIDC_CLOCK_SKEW_SECONDS/);
  });

  it("offers the console's single sign-on only with a client id at a configured provider, named plainly", () => {
    const oidc = { CLIENTAPPS_OIDC_ISSUER: "https://id.example.com", CLIENTAPPS_OIDC_AUDIENCE: "clientapps" };
    expect(loadConfig({ ...oidc, CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID: "registry-console" }).oidc?.console).toEqual({
      clientId: "registry-console",
      providerName: "single sign-on",
      scope: "openid profile email clientapps:read clientapps:write",
    });
    expect(
      loadConfig({
        ...oidc,
        CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID: "c",
        CLIENTAPPS_OIDC_CONSOLE_PROVIDER_NAME: " Acme ID ",
        CLIENTAPPS_OIDC_CONSOLE_SCOPE: "openid admin",
      }).oidc?.console,
    ).toEqual({ clientId: "c", providerName: "Acme ID", scope: "openid admin" });
    expect(() => loadConfig({ ...oidc, CLIENTAPPS_OIDC_CONSOLE_SCOPE: 'openid "x"' })).toThrow(/CLIENTAPPS_OIDC_CONSOLE_SCOPE/);
    expect(() => loadConfig({ CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID: "registry-console" })).toThrow(
      /CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID: is set, but CLIENTAPPS_OIDC_ISSUER is not/,
    );
    expect(() => loadConfig({ ...oidc, CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID: "a b" })).toThrow(/CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID/);
    expect(() =>
      loadConfig({ ...oidc, CLIENTAPPS_OIDC_CONSOLE_CLIENT_ID: "c", CLIENTAPPS_OIDC_CONSOLE_PROVIDER_NAME: "<b>x</b>" }),
    ).toThrow(/CLIENTAPPS_OIDC_CONSOLE_PROVIDER_NAME/);
  });
});
