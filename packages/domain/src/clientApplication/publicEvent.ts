import { assertNever } from "../decider.js";
import type { ApiKey, ClientSecret, Registration } from "./clientApplication.js";
import type {
  ApiKeyExpired,
  ApiKeyIssued,
  ApiKeyRevoked,
  ClientActivated,
  ClientApplicationEvent,
  ClientDeactivated,
  ClientDeleted,
  ClientRegistered,
  ClientUpdated,
  RegistrationMetadataReplaced,
  RegistrationTokenRotated,
  SecretRetired,
  SecretRotated,
} from "./events.js";

/*
 * What an event says once it leaves the event store: the same facts without any
 * keyed hash. Messages on the bus and the activity stream carry only these, and
 * the compiler holds every consumer to the fields each type really has.
 */

export type PublicSecret = Omit<ClientSecret, "hash">;
export type PublicApiKey = Omit<ApiKeyIssued["data"]["apiKey"], "hash">;
export type PublicRegistration = Omit<Registration, "tokenHash">;

type Public<Event extends ClientApplicationEvent, Data> = Readonly<{ type: Event["type"]; data: Readonly<Data> }>;

export type PublicClientRegistered = Public<
  ClientRegistered,
  Omit<ClientRegistered["data"], "secret" | "registration"> & { secret: PublicSecret | null; registration?: PublicRegistration }
>;
export type PublicSecretRotated = Public<SecretRotated, Omit<SecretRotated["data"], "secret"> & { secret: PublicSecret }>;
export type PublicApiKeyIssued = Public<ApiKeyIssued, Omit<ApiKeyIssued["data"], "apiKey"> & { apiKey: PublicApiKey }>;
export type PublicRegistrationTokenRotated = Public<RegistrationTokenRotated, Omit<RegistrationTokenRotated["data"], "tokenHash">>;

export type PublicClientApplicationEvent =
  | PublicClientRegistered
  | ClientUpdated
  | ClientActivated
  | ClientDeactivated
  | PublicSecretRotated
  | SecretRetired
  | PublicApiKeyIssued
  | ApiKeyRevoked
  | ApiKeyExpired
  | PublicRegistrationTokenRotated
  | RegistrationMetadataReplaced
  | ClientDeleted;

const publicSecret = ({ hash: _hash, ...secret }: ClientSecret): PublicSecret => secret;

const publicApiKey = ({ hash: _hash, ...apiKey }: Omit<ApiKey, "revokedOn" | "expiredOn">): PublicApiKey => apiKey;

const publicRegistration = ({ tokenHash: _hash, ...registration }: Registration): PublicRegistration => registration;

export const publicEvent = (event: ClientApplicationEvent): PublicClientApplicationEvent => {
  switch (event.type) {
    case "ClientRegistered": {
      const { secret, registration, ...rest } = event.data;
      return {
        type: event.type,
        data: {
          ...rest,
          secret: secret ? publicSecret(secret) : null,
          ...(registration ? { registration: publicRegistration(registration) } : {}),
        },
      };
    }
    case "SecretRotated":
      return { type: event.type, data: { ...event.data, secret: publicSecret(event.data.secret) } };
    case "ApiKeyIssued":
      return { type: event.type, data: { ...event.data, apiKey: publicApiKey(event.data.apiKey) } };
    case "RegistrationTokenRotated": {
      const { tokenHash: _hash, ...rest } = event.data;
      return { type: event.type, data: rest };
    }
    case "ClientUpdated":
    case "ClientActivated":
    case "ClientDeactivated":
    case "SecretRetired":
    case "ApiKeyRevoked":
    case "ApiKeyExpired":
    case "RegistrationMetadataReplaced":
    case "ClientDeleted":
      return event;
    default:
      return assertNever(event);
  }
};
