import type { ClientApplication } from "@clientapps/domain";
import type { ClientApplicationResource } from "./schemas.js";

export const clientApplicationsPath = "/api/v1/clientapplications";

export const clientApplicationPath = (clientId: string): string => `${clientApplicationsPath}/${encodeURIComponent(clientId)}`;

/** The public shape of a client application: no hashes, secrets as fingerprints. */
export const toResource = (client: ClientApplication): ClientApplicationResource => ({
  clientId: client.clientId,
  displayName: client.displayName,
  description: client.description,
  redirectUris: [...client.redirectUris],
  isConfidential: client.isConfidential,
  grantTypes: [...client.grantTypes],
  scopes: [...client.scopes],
  skipAuthorization: client.skipAuthorization,
  isActive: client.isActive,
  workspaceId: client.workspaceId,
  secrets: client.secrets.map((secret) => ({
    id: secret.secretId,
    createdOn: secret.createdOn,
    expiresOn: secret.expiresOn,
    fingerprint: secret.fingerprint,
  })),
  createdOn: client.createdOn,
  updatedOn: client.updatedOn,
  related: {
    activityStream: `${clientApplicationPath(client.clientId)}/activity_stream`,
    apiKeys: `${clientApplicationPath(client.clientId)}/apikeys`,
  },
});
