import { credentialKindOf, type SecretHasher } from "@clientapps/credentials";
import {
  clientApplicationDecider,
  clientApplicationStreamName,
  isApiKeyLive,
  isLive,
  type ApiKey,
  type ClientApplication,
  type ClientSecret,
} from "@clientapps/domain";
import { createStreamStateCache, type EventStore } from "@clientapps/event-store";
import { credentialIndexCollection, credentialIndexCheckpoint, type CredentialIndexEntry } from "@clientapps/client-read-models";
import type { ReadModelStore } from "@clientapps/read-models";
import type { WorkspaceStates } from "../workspaces/workspaceStates.js";
import { credentialIndexLookup } from "./credentialIndexLookup.js";

export type VerifiedClient = Readonly<{ client: ClientApplication; revision: number }>;

/**
 * Checks credentials that belong to client applications. The credential index
 * (a projection) only says which client a hash belongs to; whether it works is
 * decided on that client's event stream, so a revocation, rotation, deactivation
 * or deletion takes effect the moment its event is written; and on its workspace's,
 * so none works while the workspace is suspended or deleted. The client stream's
 * folded state is cached and caught up with the events appended since on every check.
 */
export type ClientCredentials = Readonly<{
  apiKey: (token: string, now: Date) => Promise<(VerifiedClient & Readonly<{ key: ApiKey }>) | undefined>;
  clientSecret: (
    workspaceId: string,
    clientId: string,
    secret: string,
    now: Date,
  ) => Promise<(VerifiedClient & Readonly<{ secret: ClientSecret }>) | undefined>;
  registrationToken: (token: string) => Promise<VerifiedClient | undefined>;
}>;

type Dependencies = Readonly<{
  eventStore: EventStore;
  readModels: ReadModelStore;
  hasher: SecretHasher;
  workspaces: WorkspaceStates;
  catchUpTimeoutMs: number;
}>;

export const openClientCredentials = async (deps: Dependencies): Promise<ClientCredentials> => {
  const index = await deps.readModels.collection<CredentialIndexEntry>(credentialIndexCollection);

  const lookup = credentialIndexLookup({
    index,
    checkpoint: credentialIndexCheckpoint,
    checkpoints: deps.readModels.checkpoints,
    eventStore: deps.eventStore,
    catchUpTimeoutMs: deps.catchUpTimeoutMs,
  });

  // Exact for the stream's revision at each check: a check reads only the events appended since.
  const clients = createStreamStateCache(deps.eventStore, clientApplicationDecider);

  const usableClient = async (workspaceId: string, clientId: string): Promise<VerifiedClient | undefined> => {
    const { state, revision } = await clients.load(clientApplicationStreamName(workspaceId, clientId));
    if (state.status !== "registered" || !state.client.isActive || revision === undefined) return undefined;
    if (!(await deps.workspaces.isActive(workspaceId))) return undefined;
    return { client: state.client, revision };
  };

  return {
    apiKey: async (token, now) => {
      if (credentialKindOf(token) !== "apiKey") return undefined;
      const entry = await lookup(deps.hasher.hash(token));
      if (entry?.kind !== "apiKey") return undefined;
      const verified = await usableClient(entry.workspaceId, entry.clientId);
      const key = verified?.client.apiKeys.find((candidate) => candidate.keyId === entry.credentialId);
      if (!verified || !key || !isApiKeyLive(key, now) || !deps.hasher.matches(token, key.hash)) return undefined;
      return { ...verified, key };
    },
    clientSecret: async (workspaceId, clientId, secret, now) => {
      if (credentialKindOf(secret) !== "clientSecret") return undefined;
      const verified = await usableClient(workspaceId, clientId);
      if (!verified) return undefined;
      // Every live secret is compared, in constant time each, so timing says nothing about which matched.
      const matching = verified.client.secrets
        .filter((candidate) => isLive(candidate.expiresOn, now))
        .filter((candidate) => deps.hasher.matches(secret, candidate.hash));
      return matching[0] ? { ...verified, secret: matching[0] } : undefined;
    },
    registrationToken: async (token) => {
      if (credentialKindOf(token) !== "registrationAccessToken") return undefined;
      const entry = await lookup(deps.hasher.hash(token));
      if (entry?.kind !== "registrationToken") return undefined;
      // Like every other credential of the client, its registration token stops while the client is inactive.
      const verified = await usableClient(entry.workspaceId, entry.clientId);
      const registration = verified?.client.registration;
      if (!verified || !registration || !deps.hasher.matches(token, registration.tokenHash)) return undefined;
      return verified;
    },
  };
};
