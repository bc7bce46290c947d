import type { ClientApplication, Registration } from "@clientapps/domain";
import type { ClientApplicationResource } from "./schemas.js";

export const clientApplicationsPath = "/api/v1/clientapplications";

export const clientApplicationPath = (clientId: string): string => `${clientApplicationsPath}/${encodeURIComponent(clientId)}`;

/** Named member by member, so a hash added to the domain's Registration stays out of the resource. */
const toRegistrationResource = ({
  tokenFingerprint,
  tokenIssuedOn,
  metadata,
}: Registration): ClientApplicationResource["registration"] => ({
  tokenFingerprint,
  tokenIssuedOn,
  metadata: {
    tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
    responseTypes: [...metadata.responseTypes],
    clientUri: metadata.clientUri,
    logoUri: metadata.logoUri,
    tosUri: metadata.tosUri,
    policyUri: metadata.policyUri,
    contacts: [...metadata.contacts],
    jwksUri: metadata.jwksUri,
    jwks: metadata.jwks,
    softwareId: metadata.softwareId,
    softwareVersion: metadata.softwareVersion,
  },
});

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
  registration: client.registration && toRegistrationResource(client.registration),
  createdOn: client.createdOn,
  updatedOn: client.updatedOn,
  related: {
    activityStream: `${clientApplicationPath(client.clientId)}/activity_stream`,
    apiKeys: `${clientApplicationPath(client.clientId)}/apikeys`,
  },
});
