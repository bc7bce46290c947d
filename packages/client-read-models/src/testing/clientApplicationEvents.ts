import type {
  ApiKeyIssued,
  ClientSecret,
  Registration,
  RegistrationMetadata,
  RegistrationMetadataReplaced,
  RegistrationTokenRotated,
  SecretRetired,
  SecretRotated,
} from "@clientapps/domain";
import { clientApplicationBuilders as b } from "@clientapps/domain/testing";
import type { ClientApplicationView } from "../clientApplications/clientApplicationView.js";

/**
 * Test data for the client-application projection: events of one client unless
 * told otherwise, built by the domain's own builders, and the documents they
 * leave in the read model.
 */

export type Target = b.Target;

export const target: Target = b.target;

export const registeredOn = b.registeredOn;
/** When every change after the registration is made, unless told otherwise. */
export const changedOn = b.at;

export const { aSecret, registered, registeredPublic, updated, activated, deactivated, deleted } = b;

/** An event a newer writer might append, which this build does not know. */
export const ofUnknownType = (who: Target = target) =>
  ({ type: "ClientRenamedInAFutureVersion", data: { ...who, displayName: "From the future" } }) as const;

const { secret: _secret, registeredOn: _registeredOn, ...registrationFields } = registered().data;

/** The document {@link registered} (without overrides) leaves in the read model. */
export const registeredView: ClientApplicationView = {
  ...registrationFields,
  secrets: [aSecret()],
  apiKeys: [],
  registration: null,
  createdOn: registeredOn,
  updatedOn: registeredOn,
  deleted: false,
  deletedOn: null,
};

/* Credentials: secrets, API keys and the registration of a client that registered itself. */

/** Rotates to `secret`, the first secret of {@link registered} working until `supersededUntil`. */
export const secretRotated = (secret: ClientSecret, supersededUntil: string, on = changedOn): SecretRotated =>
  b.secretRotated({
    secret,
    gracePeriodSeconds: 3600,
    supersededSecrets: [{ secretId: aSecret().secretId, fingerprint: aSecret().fingerprint, expiresOn: supersededUntil }],
    rotatedOn: on,
  });

/** Retires `secret`, which stopped working at its expiry, or else when it was retired. */
export const secretRetired = (secret: ClientSecret, on = changedOn): SecretRetired =>
  b.secretRetired(secret.secretId, secret.fingerprint, on, secret.expiresOn ?? on);

export const anApiKey = (keyId = "key-1"): ApiKeyIssued["data"]["apiKey"] => b.anApiKey({ keyId });

export const keyIssued = (keyId = "key-1"): ApiKeyIssued => b.keyIssued({ keyId });

export const { keyRevoked, keyExpired, metadata: registrationMetadata, selfRegistered } = b;

export const aRegistration: Registration = b.aRegistration();

/** The registration access token is rotated to the one {@link b.replaceRegistration} issues. */
export const tokenRotated = (on = changedOn): RegistrationTokenRotated => b.tokenRotated("registration-2", on);

/** The metadata of {@link selfRegistered} is replaced with `next`. */
export const metadataReplaced = (next: RegistrationMetadata, on = changedOn): RegistrationMetadataReplaced =>
  b.metadataReplaced(next, registrationMetadata(), on);
