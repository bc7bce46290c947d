import { clientApplicationStreamPrefix, isClientApplicationEventType, type ClientApplicationEvent } from "@clientapps/domain";
import type { Projection } from "@clientapps/projections";
import type { CollectionDefinition } from "@clientapps/read-models";

/**
 * Finds the client application a presented credential belongs to, by the keyed
 * hash of the credential. It only points: whether the credential still works is
 * decided on the client's own event stream, so a stale entry grants nothing.
 */
export type CredentialIndexEntry = Readonly<{
  kind: "clientSecret" | "apiKey" | "registrationToken";
  workspaceId: string;
  clientId: string;
  credentialId: string;
}>;

export const credentialIndexCollection: CollectionDefinition = {
  name: "credentialIndex",
  indexes: [{ fields: ["workspaceId", "clientId"] }],
};

const entriesOf = (event: ClientApplicationEvent): readonly (readonly [string, CredentialIndexEntry])[] => {
  const owner = { workspaceId: event.data.workspaceId, clientId: event.data.clientId };
  switch (event.type) {
    case "ClientRegistered":
      return [
        ...(event.data.secret
          ? [[event.data.secret.hash, { kind: "clientSecret", ...owner, credentialId: event.data.secret.secretId }] as const]
          : []),
        ...(event.data.registration
          ? [[event.data.registration.tokenHash, { kind: "registrationToken", ...owner, credentialId: "registration" }] as const]
          : []),
      ];
    case "SecretRotated":
      return [[event.data.secret.hash, { kind: "clientSecret", ...owner, credentialId: event.data.secret.secretId }]];
    case "ApiKeyIssued":
      return [[event.data.apiKey.hash, { kind: "apiKey", ...owner, credentialId: event.data.apiKey.keyId }]];
    case "RegistrationTokenRotated":
      return [[event.data.tokenHash, { kind: "registrationToken", ...owner, credentialId: "registration" }]];
    default:
      return [];
  }
};

/** The checkpoint of the projection that builds this collection. */
export const credentialIndexCheckpoint = "credentialIndex";

export const credentialIndexProjection: Projection<ClientApplicationEvent> = {
  name: credentialIndexCheckpoint,
  streamPrefix: clientApplicationStreamPrefix,
  isEventType: isClientApplicationEventType,
  open: async (store) => {
    const entries = await store.collection<CredentialIndexEntry>(credentialIndexCollection);
    return {
      clear: () => entries.clear(),
      apply: async (event, recorded) => {
        for (const [hash, entry] of entriesOf(event)) {
          await entries.upsert(hash, recorded.revision, entry);
        }
      },
    };
  },
};
