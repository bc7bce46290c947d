import type { Response, Test } from "supertest";
import type { TestApi } from "./testApi.js";

/* Request helpers for the operator API's tests; the assertions stay in the tests. */

export const workspacesPath = "/api/v1/workspaces";

export const workspacePath = (workspaceId: string): string => `${workspacesPath}/${encodeURIComponent(workspaceId)}`;

export const adminTokensPath = (workspaceId: string): string => `${workspacePath(workspaceId)}/admintokens`;

export const createWorkspace = (t: TestApi, auth: string, body: object): Test =>
  t.http().post(workspacesPath).set("Authorization", auth).send(body);

export type CreatedWorkspace = Readonly<{ workspaceId: string; auth: string; tokenId: string; response: Response }>;

/** Creates a workspace as the operator and fails loudly when that does not work; returns its first admin token. */
export const givenWorkspace = async (t: TestApi, workspaceId: string, body: object = {}): Promise<CreatedWorkspace> => {
  const response = await createWorkspace(t, t.operator, { workspaceId, displayName: `Workspace ${workspaceId}`, ...body });
  if (response.status !== 201) throw new Error(`creating a workspace failed: ${response.status} ${JSON.stringify(response.body)}`);
  const { adminToken } = response.body as { adminToken: { id: string; token: string } };
  return { workspaceId, auth: `Bearer ${adminToken.token}`, tokenId: adminToken.id, response };
};

export const getWorkspace = (t: TestApi, auth: string, workspaceId: string): Test =>
  t.http().get(workspacePath(workspaceId)).set("Authorization", auth);

export const lifecycle = (t: TestApi, auth: string, workspaceId: string, action: "suspend" | "resume"): Test =>
  t
    .http()
    .post(`${workspacePath(workspaceId)}/${action}`)
    .set("Authorization", auth);

export const issueAdminToken = (t: TestApi, auth: string, workspaceId: string, body: object): Test =>
  t.http().post(adminTokensPath(workspaceId)).set("Authorization", auth).send(body);
