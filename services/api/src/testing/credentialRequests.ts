import { clientApplicationStreamName } from "@clientapps/domain";
import type { Response, Test } from "supertest";
import { clientPath, type Caller } from "./clientApplicationRequests.js";
import type { TestApi } from "./testApi.js";

/*
 * Request helpers for the HTTP tests of secrets, API keys and introspection.
 * Like clientApplicationRequests, they build requests; the tests assert.
 */

export const introspectPath = "/api/v1/credentials/introspect";

export const rotateSecret = (t: TestApi, auth: string, clientId: string, body?: unknown): Test => {
  const request = t
    .http()
    .post(`${clientPath(clientId)}/secret`)
    .set("Authorization", auth);
  return body === undefined ? request : request.send(body as object);
};

export const apiKeysPath = (clientId: string): string => `${clientPath(clientId)}/apikeys`;

export const issueApiKey = (t: TestApi, auth: string, clientId: string, body: unknown): Test =>
  t
    .http()
    .post(apiKeysPath(clientId))
    .set("Authorization", auth)
    .send(body as object);

export const listApiKeys = (t: TestApi, auth: string, clientId: string): Test =>
  t.http().get(apiKeysPath(clientId)).set("Authorization", auth);

export const revokeApiKey = (t: TestApi, auth: string, clientId: string, keyId: string): Test =>
  t
    .http()
    .delete(`${apiKeysPath(clientId)}/${encodeURIComponent(keyId)}`)
    .set("Authorization", auth);

/** Issues an API key and fails loudly when that does not work, for tests about something else. */
export const givenApiKey = async (
  t: TestApi,
  caller: Caller,
  clientId: string,
  body: Record<string, unknown> = {},
): Promise<Readonly<{ response: Response; key: string; keyId: string; auth: string }>> => {
  const response = await issueApiKey(t, caller.auth, clientId, { name: "deploy pipeline", scopes: ["clientapps:read"], ...body });
  if (response.status !== 201) throw new Error(`issuing an API key failed: ${response.status} ${JSON.stringify(response.body)}`);
  const key = response.body.key as string;
  return { response, key, keyId: response.body.id as string, auth: `Bearer ${key}` };
};

/** POST /credentials/introspect as JSON, or as a form when `form` is set (RFC 7662 §2.1). */
export const introspect = (t: TestApi, auth: string, body: Record<string, string>, form = false): Test => {
  const request = t.http().post(introspectPath).set("Authorization", auth);
  return form ? request.type("form").send(new URLSearchParams(body).toString()) : request.send(body);
};

/** Whether introspection, by an admin of the client's workspace, calls this secret active. */
export const secretIsActive = async (t: TestApi, caller: Caller, clientId: string, secret: string): Promise<boolean> => {
  const response = await introspect(t, caller.auth, { token: secret, client_id: clientId });
  if (response.status !== 200) throw new Error(`introspection failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.active as boolean;
};

/** The types of the events in a client's stream, in order. */
export const eventTypesOf = async (t: TestApi, workspaceId: string, clientId: string): Promise<string[]> =>
  (await t.engines.eventStore.readStream(clientApplicationStreamName(workspaceId, clientId))).map((event) => event.type);

/** Carries out whatever the credential scheduler owes by now, once its schedule has caught up. */
export const runScheduler = async (t: TestApi): Promise<number> => {
  await t.settle();
  const appended = await t.scheduler.tick();
  await t.settle();
  return appended;
};
