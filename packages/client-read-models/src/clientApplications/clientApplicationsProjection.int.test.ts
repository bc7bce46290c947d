import { describe, it } from "vitest";
import { recorded } from "@clientapps/event-store/testing";
import { ProjectionSpecification } from "@clientapps/projections/testing";
import { clientApplicationViewId, clientApplicationsCollection, type ClientApplicationView } from "./clientApplicationView.js";
import { clientApplicationsProjection } from "./clientApplicationsProjection.js";
import {
  activated,
  changedOn,
  deactivated,
  deleted,
  ofUnknownType,
  registered,
  registeredPublic,
  registeredView,
  target,
  updated,
} from "../testing/clientApplicationEvents.js";

const spec = ProjectionSpecification.for<ClientApplicationView>(clientApplicationsProjection, clientApplicationsCollection);

const id = clientApplicationViewId(target.workspaceId, target.clientId);

const renamed = (from: string, to: string, on = changedOn) => updated({ displayName: to }, { displayName: from }, on);

describe("the client-applications projection", () => {
  describe("ClientRegistered", () => {
    it("with a secret makes the client's document, the secret its only one, at revision 0", () =>
      spec.given(recorded(registered())).then({ [id]: { revision: 0, document: registeredView } }));

    it("without a secret makes a public client's document with no secrets", () =>
      spec.given(recorded(registeredPublic())).then({
        [id]: { revision: 0, document: { ...registeredView, isConfidential: false, secrets: [] } },
      }));

    it("with a secret, applied twice, changes nothing", () => spec.given(recorded(registered())).thenAppliedTwiceIsTheSame());

    it("without a secret, applied twice, changes nothing", () => spec.given(recorded(registeredPublic())).thenAppliedTwiceIsTheSame());
  });

  describe("ClientUpdated", () => {
    const changes = { displayName: "Renamed", scopes: [], skipAuthorization: true };
    const previous = { displayName: "Awork integration", scopes: ["read:organization"], skipAuthorization: false };

    it("sets the changed fields and updatedOn, keeping the rest", () =>
      spec.given(recorded(registered(), updated(changes, previous))).then({
        [id]: { revision: 1, document: { ...registeredView, ...changes, updatedOn: changedOn } },
      }));

    it("applied twice changes nothing", () => spec.given(recorded(registered(), updated(changes, previous))).thenAppliedTwiceIsTheSame());

    it("of a client never registered makes no document", () => spec.given(recorded(updated(changes, previous))).then({}));
  });

  describe("ClientDeactivated", () => {
    it("makes the client inactive", () =>
      spec.given(recorded(registered(), deactivated())).then({
        [id]: { revision: 1, document: { ...registeredView, isActive: false, updatedOn: changedOn } },
      }));

    it("applied twice changes nothing", () => spec.given(recorded(registered(), deactivated())).thenAppliedTwiceIsTheSame());
  });

  describe("ClientActivated", () => {
    const later = "2025-04-01T00:00:00.000Z";

    it("makes the client active again", () =>
      spec.given(recorded(registered(), deactivated(), activated(later))).then({
        [id]: { revision: 2, document: { ...registeredView, isActive: true, updatedOn: later } },
      }));

    it("applied twice changes nothing", () =>
      spec.given(recorded(registered(), deactivated(), activated(later))).thenAppliedTwiceIsTheSame());
  });

  describe("ClientDeleted", () => {
    it("leaves a tombstone without secrets", () =>
      spec.given(recorded(registered(), deleted())).then({
        [id]: {
          revision: 1,
          document: { ...registeredView, secrets: [], deleted: true, deletedOn: changedOn, updatedOn: changedOn },
        },
      }));

    it("applied twice changes nothing", () => spec.given(recorded(registered(), deleted())).thenAppliedTwiceIsTheSame());

    it("keeps the last state of the client in its tombstone", () =>
      spec.given(recorded(registered(), renamed("Awork integration", "Renamed"), deactivated(), deleted())).then({
        [id]: {
          revision: 3,
          document: {
            ...registeredView,
            displayName: "Renamed",
            isActive: false,
            secrets: [],
            deleted: true,
            deletedOn: changedOn,
            updatedOn: changedOn,
          },
        },
      }));

    it("of a client never registered makes no document", () => spec.given(recorded(deleted())).then({}));
  });

  describe("whatever the event", () => {
    it("an older event delivered after a newer one of its stream is ignored", () => {
      const history = recorded(
        registered(),
        renamed("Awork integration", "First", "2025-03-20T00:00:00.000Z"),
        renamed("First", "Second", "2025-03-21T00:00:00.000Z"),
      );
      const first = history.slice(1, 2);
      return spec.given([...history, ...first]).then({
        [id]: { revision: 2, document: { ...registeredView, displayName: "Second", updatedOn: "2025-03-21T00:00:00.000Z" } },
      });
    });

    it("an event of an unknown type is skipped and the events after it still apply", () =>
      spec.given(recorded(registered(), ofUnknownType(), deactivated())).then({
        [id]: { revision: 2, document: { ...registeredView, isActive: false, updatedOn: changedOn } },
      }));

    it("an event of an unknown type alone makes no document", () => spec.given(recorded(ofUnknownType())).then({}));

    it("clients with the same client id in two workspaces are separate documents", () => {
      const other = { workspaceId: "ws-2", clientId: target.clientId };
      return spec.given(recorded(registered(), registeredPublic({ ...other, displayName: "Other" }), deactivated(changedOn, other))).then({
        [id]: { revision: 0, document: registeredView },
        [clientApplicationViewId(other.workspaceId, other.clientId)]: {
          revision: 1,
          document: {
            ...registeredView,
            ...other,
            displayName: "Other",
            isConfidential: false,
            secrets: [],
            isActive: false,
            updatedOn: changedOn,
          },
        },
      });
    });

    it("a whole history of two workspaces applied twice changes nothing", () => {
      const other = { workspaceId: "ws-2", clientId: target.clientId };
      return spec
        .given(
          recorded(
            registered(),
            registeredPublic(other),
            renamed("Awork integration", "Renamed"),
            ofUnknownType(),
            deactivated(changedOn, other),
            activated(changedOn, other),
            deleted(),
          ),
        )
        .thenAppliedTwiceIsTheSame();
    });
  });
});
