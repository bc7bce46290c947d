import { describe, it } from "vitest";
import type { ClientApplicationCommand } from "./commands.js";
import { ClientApplicationRejections } from "./decide.js";
import {
  activate,
  activated,
  deactivate,
  deactivated,
  deleteClient,
  deleted,
  patch,
  registered,
  registeredPublic,
  spec,
  update,
  updated,
} from "./testing/builders.js";

const { notFound, deleted: clientDeleted } = ClientApplicationRejections;

describe("ActivateClient", () => {
  it("activates an inactive client", () => {
    spec.given([registered(), deactivated()]).when(activate()).then([activated()]);
  });

  it("activates a client registered inactive", () => {
    spec
      .given([registered({ isActive: false })])
      .when(activate())
      .then([activated()]);
  });

  it("does nothing to an active client", () => {
    spec.given([registered()]).when(activate()).thenNothingHappens();
  });

  it("refuses to reactivate for a caller that may not: deny by default, as for PUT and PATCH", () => {
    spec.given([registered(), deactivated()]).when(activate(false)).thenRejects("reactivation_needs_admin");
  });

  it("does nothing to a client deactivated and activated again", () => {
    spec.given([registered(), deactivated(), activated()]).when(activate()).thenNothingHappens();
  });
});

describe("DeactivateClient", () => {
  it("deactivates an active client", () => {
    spec.given([registered()]).when(deactivate()).then([deactivated()]);
  });

  it("deactivates a public client", () => {
    spec.given([registeredPublic()]).when(deactivate()).then([deactivated()]);
  });

  it("does nothing to an inactive client", () => {
    spec.given([registered(), deactivated()]).when(deactivate()).thenNothingHappens();
  });

  it("does nothing to a client registered inactive", () => {
    spec
      .given([registered({ isActive: false })])
      .when(deactivate())
      .thenNothingHappens();
  });
});

describe("DeleteClient", () => {
  it("deletes an active client", () => {
    spec.given([registered()]).when(deleteClient()).then([deleted()]);
  });

  it("deletes an inactive client", () => {
    spec.given([registered(), deactivated()]).when(deleteClient()).then([deleted()]);
  });

  it("deletes an updated client", () => {
    spec
      .given([registered(), updated({ displayName: "Renamed" }, { displayName: "Awork integration" })])
      .when(deleteClient())
      .then([deleted()]);
  });
});

describe("a command to a client that is not there", () => {
  const commands: [string, ClientApplicationCommand][] = [
    ["UpdateClient", update({ displayName: "Renamed" })],
    ["UpdateClient without changes", update({})],
    ["PatchClient", patch({ displayName: "Renamed" })],
    ["ActivateClient", activate()],
    ["DeactivateClient", deactivate()],
    ["DeleteClient", deleteClient()],
  ];

  it.each(commands)("%s on a client never registered is client_not_found", (_, command) => {
    spec.given([]).when(command).thenRejects(notFound, []);
  });

  it.each(commands)("%s on a deleted client is client_deleted", (_, command) => {
    spec.given([registered(), deleted()]).when(command).thenRejects(clientDeleted, []);
  });

  it("an invalid change to a deleted client is client_deleted, not a validation failure", () => {
    spec
      .given([registered(), deleted()])
      .when(update({ displayName: "" }, { clientId: "other" }))
      .thenRejects(clientDeleted, []);
  });
});
