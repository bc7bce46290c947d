import { describe, it } from "vitest";
import { ClientApplicationRejections } from "./decide.js";
import { at, register, registered, spec, update, updated } from "./testing/builders.js";

const { validationFailed } = ClientApplicationRejections;
const passwordGrants = ["password", "refresh_token"];

describe("the password grant, for the APIs whose clients still ask for it", () => {
  it("is registered when the command allows it", () => {
    spec
      .given([])
      .when(register({ grantTypes: passwordGrants, passwordGrant: true }))
      .then([registered({ registeredOn: at, grantTypes: passwordGrants })]);
  });

  it("is refused when the command does not allow it", () => {
    spec
      .given([])
      .when(register({ grantTypes: passwordGrants }))
      .thenRejects(validationFailed, [{ field: "grantTypes/0", code: "forbidden_grant_type" }]);
  });

  it("is taken by an update that allows it", () => {
    spec
      .given([registered()])
      .when({ ...update({ grantTypes: passwordGrants }), data: { ...update({ grantTypes: passwordGrants }).data, passwordGrant: true } })
      .then([updated({ grantTypes: passwordGrants }, { grantTypes: ["authorization_code", "refresh_token"] })]);
  });

  it("stays with a client that holds it through a change that does not mention it", () => {
    spec
      .given([registered({ grantTypes: passwordGrants })])
      .when(update({ displayName: "Renamed" }))
      .then([updated({ displayName: "Renamed" }, { displayName: "Awork integration" })]);
  });
});
