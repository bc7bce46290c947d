import { randomUUID } from "node:crypto";
import type { Response, Test } from "supertest";
import type { TestApi } from "./testApi.js";

/*
 * Small helpers for the HTTP tests of the client-application API. They only
 * build requests and read responses; the assertions stay in the tests.
 */

export const clientsPath = "/api/v1/clientapplications";

export const clientPath = (clientId: string): string => `${clientsPath}/${encodeURIComponent(clientId)}`;

/** A workspace no other test uses, so tests never see each other's clients. */
export const newWorkspaceId = (): string => `ws-${randomUUID()}`;

export const newClientId = (label = "app"): string => `${label}-${randomUUID().slice(0, 8)}`;

export type Caller = Readonly<{ workspaceId: string; auth: string }>;

/** A fresh workspace and a credential for it (admin unless scopes are given). */
export const newCaller = async (t: TestApi, scopes?: readonly string[]): Promise<Caller> => {
  const workspaceId = newWorkspaceId();
  return { workspaceId, auth: await t.bearer(workspaceId, scopes) };
};

type Body = Record<string, unknown>;

export const confidentialClient = (overrides: Body = {}): Body => ({
  displayName: "Awork integration",
  redirectUris: ["https://app.example.com/callback"],
  scopes: ["read:organization"],
  ...overrides,
});

export const publicClient = (overrides: Body = {}): Body => ({
  displayName: "Mobile app",
  isConfidential: false,
  redirectUris: ["com.example.app:/callback"],
  ...overrides,
});

export const createClient = (t: TestApi, auth: string, body: unknown): Test =>
  t
    .http()
    .post(clientsPath)
    .set("Authorization", auth)
    .send(body as object);

/** Creates a client and fails loudly when that does not work, for tests about something else. */
export const givenClient = async (t: TestApi, caller: Caller, body: Body = confidentialClient()): Promise<Response> => {
  const response = await createClient(t, caller.auth, { clientId: newClientId(), ...body });
  if (response.status !== 201) throw new Error(`creating a client failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
};

export const getClient = (t: TestApi, auth: string, clientId: string): Test =>
  t.http().get(clientPath(clientId)).set("Authorization", auth);

export const listClients = (t: TestApi, auth: string, query: Record<string, string> = {}): Test =>
  t.http().get(clientsPath).query(query).set("Authorization", auth);

export type Problem = Readonly<{
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: readonly Readonly<{ field: string; code: string; message: string }>[];
}>;

export const problemOf = (response: Response): Problem => response.body as Problem;

/** The offending fields a validation problem names. */
export const fieldsOf = (response: Response): string[] => (problemOf(response).errors ?? []).map((error) => error.field);

/** The path and query of a `Link: <…>; rel="next"` header, if there is one. */
export const nextLinkOf = (response: Response): string | undefined => {
  const header = response.headers.link;
  return header ? /<([^>]+)>;\s*rel="next"/.exec(header)?.[1] : undefined;
};

/** The `X-Position` of a write, to send as `X-Min-Position` from another credential. */
export const positionOf = (response: Response): string => {
  const position = response.headers["x-position"];
  if (!position) throw new Error(`the response has no X-Position header (status ${response.status})`);
  return position;
};
