import { assertNever } from "../decider.js";
import type { ClientSecret } from "./clientApplication.js";
import type { ClientApplicationEvent } from "./events.js";

/**
 * What an event says once it leaves the event store: the same facts without
 * any keyed hash. Messages on the bus and the activity stream carry only this.
 */
export type PublicEventData = { readonly [key: string]: unknown };

const publicSecret = ({ hash: _hash, ...secret }: ClientSecret) => secret;

export const publicEventData = (event: ClientApplicationEvent): PublicEventData => {
  switch (event.type) {
    case "ClientRegistered": {
      const { secret, registration, ...rest } = event.data;
      return {
        ...rest,
        secret: secret ? publicSecret(secret) : null,
        ...(registration
          ? { registration: { tokenFingerprint: registration.tokenFingerprint, tokenIssuedOn: registration.tokenIssuedOn, metadata: registration.metadata } }
          : {}),
      };
    }
    case "SecretRotated":
      return { ...event.data, secret: publicSecret(event.data.secret) };
    case "ApiKeyIssued": {
      const { hash: _hash, ...apiKey } = event.data.apiKey;
      return { ...event.data, apiKey };
    }
    case "RegistrationTokenRotated": {
      const { tokenHash: _hash, ...rest } = event.data;
      return rest;
    }
    case "ClientUpdated":
    case "ClientActivated":
    case "ClientDeactivated":
    case "SecretRetired":
    case "ApiKeyRevoked":
    case "ApiKeyExpired":
    case "RegistrationMetadataReplaced":
    case "ClientDeleted":
      return event.data;
    default:
      return assertNever(event);
  }
};
