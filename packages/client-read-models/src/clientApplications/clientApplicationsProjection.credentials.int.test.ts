import { describe, it } from "vitest";
import { recorded } from "@clientapps/event-store/testing";
import { ProjectionSpecification } from "@clientapps/projections/testing";
import { clientApplicationViewId, clientApplicationsCollection, type ClientApplicationView } from "./clientApplicationView.js";
import { clientApplicationsProjection } from "./clientApplicationsProjection.js";
import {
  aRegistration,
  aSecret,
  anApiKey,
  changedOn,
  deleted,
  keyExpired,
  keyIssued,
  keyRevoked,
  metadataReplaced,
  registered,
  registeredView,
  registrationMetadata,
  secretRetired,
  secretRotated,
  selfRegistered,
  target,
  tokenRotated,
} from "../testing/clientApplicationEvents.js";

/** The credential events of the client-application stream, each as the document shows it. */

const spec = ProjectionSpecification.for<ClientApplicationView>(clientApplicationsProjection, clientApplicationsCollection);

const id = clientApplicationViewId(target.workspaceId, target.clientId);

const secondSecret = aSecret({
  secretId: "secret-2",
  hash: "hmac-sha256-of-secret-2",
  fingerprint: "…et-2",
  createdOn: changedOn,
});
const endOfGrace = "2025-03-25T12:15:00.100Z";
const later = "2025-04-01T00:00:00.000Z";
/** A key as {@link keyIssued} leaves it: working. */
const issued = (keyId = "key-1") => ({ ...anApiKey(keyId), revokedOn: null, expiredOn: null });
const selfRegisteredView: ClientApplicationView = { ...registeredView, registration: aRegistration };

describe("the client-applications projection, for credentials", () => {
  describe("SecretRotated", () => {
    const history = () => recorded(registered(), secretRotated(secondSecret, endOfGrace));

    it("adds the new secret and gives the superseded one the end of its grace period", () =>
      spec.given(history()).then({
        [id]: {
          revision: 1,
          document: { ...registeredView, secrets: [aSecret({ expiresOn: endOfGrace }), secondSecret], updatedOn: changedOn },
        },
      }));

    it("applied twice changes nothing", () => spec.given(history()).thenAppliedTwiceIsTheSame());
  });

  describe("SecretRetired", () => {
    const history = () => recorded(registered(), secretRotated(secondSecret, endOfGrace), secretRetired(aSecret(), later));

    it("removes the retired secret", () =>
      spec.given(history()).then({
        [id]: { revision: 2, document: { ...registeredView, secrets: [secondSecret], updatedOn: later } },
      }));

    it("applied twice changes nothing", () => spec.given(history()).thenAppliedTwiceIsTheSame());
  });

  describe("ApiKeyIssued", () => {
    it("adds a working key", () =>
      spec.given(recorded(registered(), keyIssued())).then({
        [id]: { revision: 1, document: { ...registeredView, apiKeys: [issued()] } },
      }));

    it("applied twice changes nothing", () => spec.given(recorded(registered(), keyIssued())).thenAppliedTwiceIsTheSame());
  });

  describe("ApiKeyRevoked", () => {
    const history = () => recorded(registered(), keyIssued("key-1"), keyIssued("key-2"), keyRevoked("key-1", later));

    it("marks that key, and only it, revoked", () =>
      spec.given(history()).then({
        [id]: {
          revision: 3,
          document: { ...registeredView, apiKeys: [{ ...issued("key-1"), revokedOn: later }, issued("key-2")] },
        },
      }));

    it("applied twice changes nothing", () => spec.given(history()).thenAppliedTwiceIsTheSame());
  });

  describe("ApiKeyExpired", () => {
    const history = () => recorded(registered(), keyIssued(), keyExpired("key-1", later));

    it("records when the key expired", () =>
      spec.given(history()).then({
        [id]: { revision: 2, document: { ...registeredView, apiKeys: [{ ...issued(), expiredOn: later }] } },
      }));

    it("applied twice changes nothing", () => spec.given(history()).thenAppliedTwiceIsTheSame());
  });

  describe("ClientRegistered through RFC 7591", () => {
    it("keeps the registration", () =>
      spec.given(recorded(selfRegistered())).then({ [id]: { revision: 0, document: selfRegisteredView } }));

    it("applied twice changes nothing", () => spec.given(recorded(selfRegistered())).thenAppliedTwiceIsTheSame());
  });

  describe("RegistrationTokenRotated", () => {
    it("replaces the registration access token's hash", () =>
      spec.given(recorded(selfRegistered(), tokenRotated(later))).then({
        [id]: {
          revision: 1,
          document: {
            ...selfRegisteredView,
            registration: {
              ...aRegistration,
              tokenHash: "hmac-sha256-of-registration-2",
              tokenFingerprint: "…on-2",
              tokenIssuedOn: later,
            },
          },
        },
      }));

    it("applied twice changes nothing", () => spec.given(recorded(selfRegistered(), tokenRotated(later))).thenAppliedTwiceIsTheSame());
  });

  describe("RegistrationMetadataReplaced", () => {
    const next = registrationMetadata({ clientUri: "https://app.example.com", contacts: ["ops@example.com"] });

    it("replaces the registration's metadata", () =>
      spec.given(recorded(selfRegistered(), metadataReplaced(next, later))).then({
        [id]: {
          revision: 1,
          document: { ...selfRegisteredView, registration: { ...aRegistration, metadata: next }, updatedOn: later },
        },
      }));

    it("applied twice changes nothing", () =>
      spec.given(recorded(selfRegistered(), metadataReplaced(next, later))).thenAppliedTwiceIsTheSame());
  });

  describe("ClientDeleted", () => {
    it("keeps no credential hash of any kind in the tombstone", () =>
      spec.given(recorded(selfRegistered(), keyIssued(), deleted(later))).then({
        [id]: {
          revision: 2,
          document: {
            ...selfRegisteredView,
            secrets: [],
            apiKeys: [],
            registration: null,
            deleted: true,
            deletedOn: later,
            updatedOn: later,
          },
        },
      }));
  });
});
