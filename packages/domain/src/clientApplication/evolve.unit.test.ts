import { describe, expect, it } from "vitest";
import { evolve, initialState, type ClientApplicationState } from "./clientApplication.js";
import type { ClientApplicationEvent } from "./events.js";
import { clientApplicationStreamName, parseClientApplicationStreamName } from "./streamName.js";
import {
  aSecret,
  activated,
  at,
  clientId,
  deactivated,
  deleted,
  registered,
  registeredOn,
  registeredPublic,
  updated,
  workspaceId,
} from "./testing/builders.js";

const fold = (events: readonly ClientApplicationEvent[]): ClientApplicationState => events.reduce(evolve, initialState());

/** The client {@link registered} describes, as state. */
const registeredClient = {
  workspaceId,
  clientId,
  displayName: "Awork integration",
  description: "",
  redirectUris: ["https://app.example.com/callback"],
  isConfidential: true,
  grantTypes: ["authorization_code", "refresh_token"],
  scopes: ["read:organization"],
  skipAuthorization: false,
  isActive: true,
  secrets: [aSecret()],
  apiKeys: [],
  registration: null,
  createdOn: registeredOn,
  updatedOn: registeredOn,
};

describe("evolve", () => {
  it("starts absent", () => {
    expect(initialState()).toEqual({ status: "absent" });
  });

  it("ClientRegistered makes the client, its secret the first of its secrets", () => {
    expect(fold([registered()])).toEqual({ status: "registered", client: registeredClient });
  });

  it("ClientRegistered without a secret leaves a public client with none", () => {
    expect(fold([registeredPublic()])).toEqual({
      status: "registered",
      client: { ...registeredClient, isConfidential: false, secrets: [] },
    });
  });

  it("ClientUpdated sets the changed fields and updatedOn, keeping the rest", () => {
    const changes = { displayName: "Renamed", scopes: [], skipAuthorization: true };
    const previous = { displayName: "Awork integration", scopes: ["read:organization"], skipAuthorization: false };
    expect(fold([registered(), updated(changes, previous)])).toEqual({
      status: "registered",
      client: { ...registeredClient, ...changes, updatedOn: at },
    });
  });

  it("ClientDeactivated makes the client inactive", () => {
    expect(fold([registered(), deactivated()])).toEqual({
      status: "registered",
      client: { ...registeredClient, isActive: false, updatedOn: at },
    });
  });

  it("ClientActivated makes the client active again", () => {
    const later = "2025-04-01T00:00:00.000Z";
    expect(fold([registered(), deactivated(), activated(later)])).toEqual({
      status: "registered",
      client: { ...registeredClient, isActive: true, updatedOn: later },
    });
  });

  it("ClientDeleted leaves only who it was and when it went", () => {
    expect(fold([registered(), deleted()])).toEqual({ status: "deleted", workspaceId, clientId, deletedOn: at });
  });

  it.each([
    ["ClientUpdated", updated({ displayName: "Renamed" }, { displayName: "Awork integration" })],
    ["ClientActivated", activated()],
    ["ClientDeactivated", deactivated()],
  ])("%s changes neither an absent nor a deleted client", (_, event) => {
    expect(evolve(initialState(), event)).toEqual({ status: "absent" });
    const gone = fold([registered(), deleted()]);
    expect(evolve(gone, event)).toEqual(gone);
  });
});

describe("client application stream name", () => {
  it.each([
    [workspaceId, clientId],
    ["ws_2.prod~x", "my-app.v2"],
    ["0", "c".repeat(64)],
  ])("round-trips workspace %s and client %s", (workspace, client) => {
    const name = clientApplicationStreamName(workspace, client);
    expect(name.startsWith("clientapp-")).toBe(true);
    expect(parseClientApplicationStreamName(name)).toEqual({ workspaceId: workspace, clientId: client });
  });

  it.each([
    "",
    "clientapp-",
    "clientapp-ws-1",
    "clientapp-ws-1:",
    "clientapp-:integration",
    "clientapp-ws-1:integration:extra",
    "clientapp:ws-1:integration",
    "apikey-ws-1:integration",
    "ws-1:integration",
  ])("does not parse %j", (junk) => {
    expect(parseClientApplicationStreamName(junk)).toBeUndefined();
  });
});
