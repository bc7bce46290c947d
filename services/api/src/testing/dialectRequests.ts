import type { Response, Test } from "supertest";
import type { Caller } from "./clientApplicationRequests.js";
import type { TestApi } from "./testApi.js";

/* Request helpers for the HTTP tests of the AWX and OAuth-apps dialects. */

export const awxApplicationsPath = "/api/v2/applications/";
export const awxApplicationPath = (id: number | string): string => `${awxApplicationsPath}${id}/`;
export const oauthAppsPath = "/oauth/apps";
export const oauthAppPath = (clientId: string): string => `${oauthAppsPath}/${encodeURIComponent(clientId)}`;

type Body = Record<string, unknown>;

export const awxApplication = (overrides: Body = {}): Body => ({
  name: "Deploy bot",
  client_type: "confidential",
  authorization_grant_type: "authorization-code",
  redirect_uris: "https://deploy.example.com/callback",
  organization: 1,
  ...overrides,
});

export const createAwxApplication = (t: TestApi, auth: string, body: unknown): Test =>
  t
    .http()
    .post(awxApplicationsPath)
    .set("Authorization", auth)
    .send(body as object);

/** Creates an AWX application and fails loudly when that does not work, for tests about something else. */
export const givenAwxApplication = async (t: TestApi, caller: Caller, body: Body = awxApplication()): Promise<Response> => {
  const response = await createAwxApplication(t, caller.auth, body);
  if (response.status !== 201) throw new Error(`creating an AWX application failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
};

export const oauthApp = (overrides: Body = {}): Body => ({
  name: "Partner portal",
  description: "Signs partners in",
  redirectUri: "https://partners.example.com/callback",
  scopes: ["read:organization"],
  ...overrides,
});

export const createOauthApp = (t: TestApi, auth: string, body: unknown): Test =>
  t
    .http()
    .post(oauthAppsPath)
    .set("Authorization", auth)
    .send(body as object);

/** Creates an OAuth app and fails loudly when that does not work, for tests about something else. */
export const givenOauthApp = async (t: TestApi, caller: Caller, body: Body = oauthApp()): Promise<Response> => {
  const response = await createOauthApp(t, caller.auth, body);
  if (response.status !== 201) throw new Error(`creating an OAuth app failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
};
