import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { consoleRoutes } from "./consoleRoutes.js";

const oidc = {
  issuer: "https://id.example.com/tenant-a",
  audience: "https://clientapps.example.com",
  algorithms: ["ES256"],
  tokenTypes: ["at+jwt" as const],
  clockSkewSeconds: 30,
  workspaceClaim: "workspace_id",
  permissionsClaim: "scope",
  jwksCacheSeconds: 600,
  jwksCooldownSeconds: 30,
};
const appWith = (config?: Parameters<typeof consoleRoutes>[0]) => express().use(consoleRoutes(config, "/nonexistent-console-build"));

describe("the console's configuration and policy", () => {
  it("says single sign-on is off, and lets the page fetch from this origin only, without a console client", async () => {
    for (const config of [undefined, { ...oidc, console: undefined }]) {
      const response = await request(appWith(config)).get("/console/config.json");
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ singleSignOn: { enabled: false } });
      expect(response.headers["content-security-policy"]).toContain("connect-src 'self';");
    }
  });

  it("names the provider, the public client, the scope and the resource, and lets the page reach the provider's origin only", async () => {
    const console = { clientId: "registry-console", providerName: "Acme ID", scope: "openid clientapps:read" };
    const response = await request(appWith({ ...oidc, console })).get("/console/config.json");
    expect(response.body).toEqual({
      singleSignOn: {
        enabled: true,
        issuer: "https://id.example.com/tenant-a",
        clientId: "registry-console",
        scope: "openid clientapps:read",
        resource: "https://clientapps.example.com",
        providerName: "Acme ID",
      },
    });
    const policy = String(response.headers["content-security-policy"]);
    expect(policy).toContain("connect-src 'self' https://id.example.com;");
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toContain("unsafe-inline");
    const page = await request(appWith({ ...oidc, console })).get("/console/callback");
    expect(page.headers["content-security-policy"]).toBe(policy);
  });
});
