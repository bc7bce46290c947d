import { describe, it } from "vitest";
import type { ImmutableFields } from "./clientApplication.js";
import { ClientApplicationRejections } from "./decide.js";
import {
  asAdmin,
  activated,
  clientId,
  deactivated,
  patch,
  registered,
  registeredPublic,
  spec,
  update,
  updated,
  workspaceId,
} from "./testing/builders.js";

const { validationFailed, immutableField } = ClientApplicationRejections;

describe("UpdateClient (PUT)", () => {
  it("changes a field and records its previous value", () => {
    spec
      .given([registered()])
      .when(update({ displayName: "Renamed" }))
      .then([updated({ displayName: "Renamed" }, { displayName: "Awork integration" })]);
  });

  it("records only the fields that differ", () => {
    spec
      .given([registered()])
      .when(
        update({
          displayName: "Awork integration",
          description: "Syncs projects",
          redirectUris: ["https://app.example.com/callback"],
          scopes: ["read:organization", "write:projects"],
          skipAuthorization: true,
        }),
      )
      .then([
        updated(
          { description: "Syncs projects", scopes: ["read:organization", "write:projects"], skipAuthorization: true },
          { description: "", scopes: ["read:organization"], skipAuthorization: false },
        ),
      ]);
  });

  it("does nothing when no field changes", () => {
    spec
      .given([registered()])
      .when(
        update({
          displayName: "Awork integration",
          description: "",
          redirectUris: ["https://app.example.com/callback"],
          grantTypes: ["authorization_code", "refresh_token"],
          scopes: ["read:organization"],
          skipAuthorization: false,
          isActive: true,
        }),
      )
      .thenNothingHappens();
  });

  it("does nothing when no field is given", () => {
    spec.given([registered()]).when(update({})).thenNothingHappens();
  });

  it("treats a field given as undefined as absent", () => {
    spec
      .given([registered()])
      .when(update({ displayName: "Renamed", description: undefined, isActive: undefined }))
      .then([updated({ displayName: "Renamed" }, { displayName: "Awork integration" })]);
  });

  it("deactivates through isActive, without a ClientUpdated", () => {
    spec
      .given([registered()])
      .when(update({ isActive: false }))
      .then([deactivated()]);
  });

  it("activates through isActive", () => {
    spec
      .given([registered(), deactivated()])
      .when(asAdmin(update({ isActive: true })))
      .then([activated()]);
  });

  it("emits ClientUpdated for the other fields, then the activation change", () => {
    spec
      .given([registered()])
      .when(update({ displayName: "Renamed", isActive: false }))
      .then([updated({ displayName: "Renamed" }, { displayName: "Awork integration" }), deactivated()]);
  });

  it("lets a confidential client switch to client_credentials without redirect URIs", () => {
    spec
      .given([registered()])
      .when(update({ redirectUris: [], grantTypes: ["client_credentials"] }))
      .then([
        updated(
          { redirectUris: [], grantTypes: ["client_credentials"] },
          { redirectUris: ["https://app.example.com/callback"], grantTypes: ["authorization_code", "refresh_token"] },
        ),
      ]);
  });

  it.each([
    ["a 101-character display name", { displayName: "a".repeat(101) }, [{ field: "displayName", code: "too_long" }]],
    ["a blank display name", { displayName: "  " }, [{ field: "displayName", code: "required" }]],
    ["a 501-character description", { description: "d".repeat(501) }, [{ field: "description", code: "too_long" }]],
    ["no redirect URI left for the authorization_code grant", { redirectUris: [] }, [{ field: "redirectUris", code: "required" }]],
    ["the password grant", { grantTypes: ["password"] }, [{ field: "grantTypes/0", code: "forbidden_grant_type" }]],
    ["a scope listed twice", { scopes: ["a", "a"] }, [{ field: "scopes/1", code: "duplicate" }]],
  ])("refuses %s", (_, changes, violations) => {
    spec.given([registered()]).when(update(changes)).thenRejects(validationFailed, violations);
  });

  it("refuses client_credentials for a public client", () => {
    spec
      .given([registeredPublic()])
      .when(update({ grantTypes: ["client_credentials"] }))
      .thenRejects(validationFailed, [{ field: "grantTypes", code: "public_client_credentials" }]);
  });

  it("reports every violation at once", () => {
    spec
      .given([registered()])
      .when(update({ displayName: "", redirectUris: ["myapp://cb"], scopes: ["a b"] }))
      .thenRejects(validationFailed, [
        { field: "displayName", code: "required" },
        { field: "redirectUris/0", code: "invalid_scheme" },
        { field: "scopes/0", code: "invalid_format" },
      ]);
  });
});

describe("PatchClient (JSON Merge Patch)", () => {
  it("changes the fields the patch names", () => {
    spec
      .given([registered()])
      .when(patch({ displayName: "Renamed", skipAuthorization: true }))
      .then([updated({ displayName: "Renamed", skipAuthorization: true }, { displayName: "Awork integration", skipAuthorization: false })]);
  });

  it("does nothing for an empty patch", () => {
    spec.given([registered()]).when(patch({})).thenNothingHappens();
  });

  it("does nothing when the patch repeats the current values", () => {
    spec
      .given([registered()])
      .when(patch({ displayName: "Awork integration", isActive: true }))
      .thenNothingHappens();
  });

  it("resets fields set to null to their defaults", () => {
    spec
      .given([registered({ description: "Syncs projects", scopes: ["read:organization"], skipAuthorization: true })])
      .when(patch({ description: null, scopes: null, skipAuthorization: null }))
      .then([
        updated(
          { description: "", scopes: [], skipAuthorization: false },
          { description: "Syncs projects", scopes: ["read:organization"], skipAuthorization: true },
        ),
      ]);
  });

  it("does nothing when a field set to null already has its default", () => {
    spec
      .given([registered()])
      .when(patch({ description: null, skipAuthorization: null }))
      .thenNothingHappens();
  });

  it("activates an inactive client whose isActive is set to null", () => {
    spec
      .given([registered(), deactivated()])
      .when(asAdmin(patch({ isActive: null })))
      .then([activated()]);
  });

  it("deactivates through isActive", () => {
    spec
      .given([registered()])
      .when(patch({ isActive: false }))
      .then([deactivated()]);
  });

  it("resets grant types to the authorization code flow for a client with redirect URIs", () => {
    spec
      .given([registered({ grantTypes: ["authorization_code"] })])
      .when(patch({ grantTypes: null }))
      .then([updated({ grantTypes: ["authorization_code", "refresh_token"] }, { grantTypes: ["authorization_code"] })]);
  });

  it("resets grant types to client_credentials for a confidential client without redirect URIs", () => {
    spec
      .given([registered({ redirectUris: [], grantTypes: ["client_credentials", "refresh_token"] })])
      .when(patch({ grantTypes: null }))
      .then([updated({ grantTypes: ["client_credentials"] }, { grantTypes: ["client_credentials", "refresh_token"] })]);
  });

  it("derives default grant types from the redirect URIs the same patch sets", () => {
    spec
      .given([registered({ redirectUris: [], grantTypes: ["client_credentials"] })])
      .when(patch({ redirectUris: ["https://app.example.com/callback"], grantTypes: null }))
      .then([
        updated(
          { redirectUris: ["https://app.example.com/callback"], grantTypes: ["authorization_code", "refresh_token"] },
          { redirectUris: [], grantTypes: ["client_credentials"] },
        ),
      ]);
  });

  it("derives default grant types from the redirect URIs the same patch removes", () => {
    spec
      .given([registered()])
      .when(patch({ redirectUris: null, grantTypes: null }))
      .then([
        updated(
          { redirectUris: [], grantTypes: ["client_credentials"] },
          { redirectUris: ["https://app.example.com/callback"], grantTypes: ["authorization_code", "refresh_token"] },
        ),
      ]);
  });

  it("refuses to remove the display name", () => {
    spec
      .given([registered()])
      .when(patch({ displayName: null }))
      .thenRejects(validationFailed, [{ field: "displayName", code: "required" }]);
  });

  it("reports a removed display name together with the other violations", () => {
    spec
      .given([registered()])
      .when(patch({ displayName: null, description: "d".repeat(501) }))
      .thenRejects(validationFailed, [
        { field: "displayName", code: "required" },
        { field: "description", code: "too_long" },
      ]);
  });

  it.each([
    ["removing", { redirectUris: null }],
    ["emptying", { redirectUris: [] }],
  ])("validates the patched client as a whole: %s a public client's redirect URIs is refused", (_, mergePatch) => {
    spec
      .given([registeredPublic()])
      .when(patch(mergePatch))
      .thenRejects(validationFailed, [{ field: "redirectUris", code: "required" }]);
  });

  it("refuses to remove the redirect URIs the authorization_code grant needs", () => {
    spec
      .given([registered()])
      .when(patch({ redirectUris: null }))
      .thenRejects(validationFailed, [{ field: "redirectUris", code: "required" }]);
  });

  it("reports every violation at once", () => {
    spec
      .given([registered()])
      .when(patch({ description: "d".repeat(501), grantTypes: ["implicit", "unknown"], scopes: ["ok", "ok"] }))
      .thenRejects(validationFailed, [
        { field: "description", code: "too_long" },
        { field: "grantTypes/0", code: "forbidden_grant_type" },
        { field: "grantTypes/1", code: "unsupported_grant_type" },
        { field: "scopes/1", code: "duplicate" },
      ]);
  });
});

describe.each([
  ["UpdateClient", (description: string, immutable: Partial<ImmutableFields>) => update({ description }, immutable)],
  ["PatchClient", (description: string, immutable: Partial<ImmutableFields>) => patch({ description }, immutable)],
])("%s with immutable fields", (_, changeDescription) => {
  it("accepts them echoed with their value", () => {
    spec
      .given([registered()])
      .when(changeDescription("x", { workspaceId, clientId, isConfidential: true }))
      .then([updated({ description: "x" }, { description: "" })]);
  });

  it.each([
    ["clientId", { clientId: "another-client" }],
    ["workspaceId", { workspaceId: "another-workspace" }],
    ["isConfidential", { isConfidential: false }],
  ])("refuses another %s, naming it", (field, immutable) => {
    spec
      .given([registered()])
      .when(changeDescription("x", immutable))
      .thenRejects(immutableField, [{ field, code: "immutable" }]);
  });

  it("names every immutable field that would change", () => {
    spec
      .given([registered()])
      .when(changeDescription("x", { workspaceId: "other", clientId: "other", isConfidential: false }))
      .thenRejects(immutableField, [
        { field: "workspaceId", code: "immutable" },
        { field: "clientId", code: "immutable" },
        { field: "isConfidential", code: "immutable" },
      ]);
  });

  it("checks them before validating the change", () => {
    spec
      .given([registered()])
      .when(changeDescription("d".repeat(501), { clientId: "another-client" }))
      .thenRejects(immutableField, [{ field: "clientId", code: "immutable" }]);
  });
});
