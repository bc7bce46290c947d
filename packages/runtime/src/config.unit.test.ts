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
      bodyLimitBytes: 65536,
      readYourWritesTimeoutMs: 5000,
      pollIntervalMs: 200,
      schedulerIntervalMs: 1000,
      registration: { mode: "credential" },
      trustProxy: false,
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
      CLIENTAPPS_TRUST_PROXY: "1",
    });
    expect(config).toMatchObject({ host: "0.0.0.0", port: 0, dataDir: "/var/lib/clientapps", logLevel: "warn", trustProxy: "1" });
    expect(config.registration).toEqual({ mode: "open", workspaceId: "acme" });
  });

  it("names every setting it refuses, and why", () => {
    const refused = () => loadConfig({ PORT: "http", LOG_LEVEL: "loud", CLIENTAPPS_PEPPER: "c2hvcnQ=" });
    expect(refused).toThrow(ConfigurationError);
    expect(refused).toThrow(/PORT/);
    expect(refused).toThrow(/LOG_LEVEL/);
    expect(refused).toThrow(/CLIENTAPPS_PEPPER: must be base64 of at least 32 bytes/);
  });

  it("refuses to run embedded when a production engine is configured, rather than ignore it", () => {
    expect(() => loadConfig({ MONGODB_URL: "mongodb://127.0.0.1" })).toThrow(/MONGODB_URL is set/);
    expect(() => loadConfig({ EVENTSTORE_URL: "esdb://x", KAFKA_BROKERS: "x:9092" })).toThrow(/EVENTSTORE_URL, KAFKA_BROKERS are set/);
  });
});
