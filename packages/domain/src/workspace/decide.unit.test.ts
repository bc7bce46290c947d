import { describe, expect, it } from "vitest";
import { DeciderSpecification } from "../testing/deciderSpecification.js";
import type { NewAdminToken, WorkspaceCommand } from "./commands.js";
import * as b from "./testing/builders.js";
import { at, issued, newToken, revoked, workspaceId } from "./testing/builders.js";
import { WorkspaceRejections } from "./decide.js";
import type { WorkspaceEvent } from "./events.js";
import { workspaceDecider } from "./index.js";
import { publicWorkspaceEvent } from "./publicEvent.js";
import { evolveWorkspace, initialWorkspaceState, isWorkspaceActive } from "./workspace.js";

const spec = DeciderSpecification.for(workspaceDecider);
const now = new Date(at);
const created = b.created();
const suspended = b.suspended();
const resumed = b.resumed();
const deleted = b.deleted();

const command = (type: WorkspaceCommand["type"], data: object = {}): WorkspaceCommand =>
  ({ type, data: { workspaceId, ...data }, metadata: { now } }) as WorkspaceCommand;

describe("CreateWorkspace", () => {
  it("creates the workspace with its first admin token in one decision", () => {
    spec
      .given([])
      .when(command("CreateWorkspace", { displayName: "Acme", firstAdminToken: newToken() }))
      .then([created, issued()]);
  });

  it("creates a workspace without a token when none is asked for", () => {
    spec
      .given([])
      .when(command("CreateWorkspace", { displayName: "Acme" }))
      .then([created]);
  });

  it("never gives out an id twice, not even a deleted workspace's", () => {
    spec
      .given([created])
      .when(command("CreateWorkspace", { displayName: "Other" }))
      .thenRejects(WorkspaceRejections.alreadyExists);
    spec
      .given([created, deleted])
      .when(command("CreateWorkspace", { displayName: "Acme" }))
      .thenRejects(WorkspaceRejections.alreadyExists);
  });

  it("names every invalid field: id, display name, token label, scopes and expiry", () => {
    spec
      .given([])
      .when({
        type: "CreateWorkspace",
        data: {
          workspaceId: "a:b",
          displayName: " ",
          firstAdminToken: newToken({ label: "x\u202e", scopes: ["platform:admin"], expiresOn: "2026-02-01T00:00:00.000Z" }),
        },
        metadata: { now },
      })
      .thenRejects("validation_failed", [
        { field: "workspaceId", code: "invalid_format" },
        { field: "displayName", code: "required" },
        { field: "label", code: "invalid_characters" },
        { field: "scopes/0", code: "unknown_scope" },
        { field: "expiresOn", code: "in_the_past" },
      ]);
  });

  it("refuses an admin token without a scope", () => {
    spec
      .given([])
      .when(command("CreateWorkspace", { displayName: "Acme", firstAdminToken: newToken({ scopes: [] }) }))
      .thenRejects("validation_failed", [{ field: "scopes", code: "required" }]);
  });
});

describe("RenameWorkspace", () => {
  it("records the new name with the one before", () => {
    spec
      .given([created])
      .when(command("RenameWorkspace", { displayName: "Acme Inc." }))
      .then([{ type: "WorkspaceRenamed", data: { workspaceId, displayName: "Acme Inc.", previousDisplayName: "Acme", renamedOn: at } }]);
  });

  it("does nothing when the name is the same", () => {
    spec
      .given([created])
      .when(command("RenameWorkspace", { displayName: "Acme" }))
      .thenNothingHappens();
  });

  it("refuses a blank name and an unknown or deleted workspace", () => {
    spec
      .given([created])
      .when(command("RenameWorkspace", { displayName: "" }))
      .thenRejects("validation_failed");
    spec
      .given([])
      .when(command("RenameWorkspace", { displayName: "X" }))
      .thenRejects(WorkspaceRejections.notFound);
    spec
      .given([created, deleted])
      .when(command("RenameWorkspace", { displayName: "X" }))
      .thenRejects(WorkspaceRejections.notFound);
  });
});

describe("SuspendWorkspace, ResumeWorkspace and DeleteWorkspace", () => {
  it("suspends an active workspace and resumes a suspended one", () => {
    spec.given([created]).when(command("SuspendWorkspace")).then([suspended]);
    spec.given([created, suspended]).when(command("ResumeWorkspace")).then([resumed]);
  });

  it("does nothing when the workspace already is as asked", () => {
    spec.given([created, suspended]).when(command("SuspendWorkspace")).thenNothingHappens();
    spec.given([created]).when(command("ResumeWorkspace")).thenNothingHappens();
  });

  it("deletes an active or a suspended workspace, once", () => {
    spec.given([created]).when(command("DeleteWorkspace")).then([deleted]);
    spec.given([created, suspended]).when(command("DeleteWorkspace")).then([deleted]);
    spec.given([created, deleted]).when(command("DeleteWorkspace")).thenRejects(WorkspaceRejections.notFound);
  });

  it("cannot resume a deleted workspace", () => {
    spec.given([created, deleted]).when(command("ResumeWorkspace")).thenRejects(WorkspaceRejections.notFound);
    spec.given([created, deleted]).when(command("SuspendWorkspace")).thenRejects(WorkspaceRejections.notFound);
  });

  it("is active only while created and neither suspended nor deleted", () => {
    const fold = (events: WorkspaceEvent[]) => isWorkspaceActive(events.reduce(evolveWorkspace, initialWorkspaceState()));
    expect([fold([]), fold([created]), fold([created, suspended]), fold([created, suspended, resumed]), fold([created, deleted])]).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
  });
});

describe("IssueAdminToken and RevokeAdminToken", () => {
  it("issues a token with its scopes, label and expiry, also in a suspended workspace", () => {
    const token = newToken({ tokenId: "adm_2", scopes: ["clientapps:read"], expiresOn: "2026-04-01T00:00:00.000Z" });
    spec
      .given([created])
      .when(command("IssueAdminToken", { adminToken: token }))
      .then([issued(token)]);
    spec
      .given([created, suspended])
      .when(command("IssueAdminToken", { adminToken: token }))
      .then([issued(token)]);
  });

  it("refuses to issue into a deleted workspace", () => {
    spec
      .given([created, deleted])
      .when(command("IssueAdminToken", { adminToken: newToken() }))
      .thenRejects(WorkspaceRejections.notFound);
  });

  it("revokes a live token once; revoking it again changes nothing", () => {
    spec
      .given([created, issued()])
      .when(command("RevokeAdminToken", { tokenId: "adm_1" }))
      .then([revoked()]);
    spec
      .given([created, issued(), revoked()])
      .when(command("RevokeAdminToken", { tokenId: "adm_1" }))
      .thenNothingHappens();
  });

  it("refuses to revoke an unknown token", () => {
    spec
      .given([created])
      .when(command("RevokeAdminToken", { tokenId: "adm_9" }))
      .thenRejects(WorkspaceRejections.adminTokenNotFound);
  });
});

describe("BootstrapAdminToken", () => {
  const bootstrap = (token: NewAdminToken, configured: boolean) => command("BootstrapAdminToken", { adminToken: token, configured });
  const createdForBootstrap: WorkspaceEvent = { type: "WorkspaceCreated", data: { workspaceId, displayName: workspaceId, createdOn: at } };

  it("creates the workspace and its first token on the very first start", () => {
    spec.given([]).when(bootstrap(newToken(), false)).then([createdForBootstrap, issued()]);
  });

  it("issues nothing once the workspace has had an admin token, even a revoked one", () => {
    spec
      .given([created, issued(), revoked()])
      .when(bootstrap(newToken({ tokenId: "adm_2" }), false))
      .thenNothingHappens();
  });

  it("makes a configured token the only one: the others are revoked when it arrives", () => {
    const configured = newToken({ tokenId: "adm_2", token: { hash: "hash-2", fingerprint: "…bbbb" } });
    spec
      .given([created, issued()])
      .when(bootstrap(configured, true))
      .then([issued(configured), revoked()]);
  });

  it("leaves a configured token that already works, and the tokens issued beside it, as they are", () => {
    const configured = newToken({ tokenId: "adm_2", token: { hash: "hash-2", fingerprint: "…bbbb" } });
    const other = newToken({ tokenId: "adm_3", token: { hash: "hash-3", fingerprint: "…cccc" } });
    spec
      .given([created, issued(configured), issued(other)])
      .when(bootstrap({ ...configured, tokenId: "adm_4" }, true))
      .thenNothingHappens();
  });

  it("leaves a deleted workspace deleted", () => {
    spec.given([created, deleted]).when(bootstrap(newToken(), true)).thenNothingHappens();
  });
});

describe("publicWorkspaceEvent", () => {
  it("drops the keyed hash of an issued token and keeps everything else", () => {
    const event = publicWorkspaceEvent(issued());
    expect(JSON.stringify(event)).not.toContain("hash-1");
    expect(event).toEqual({
      type: "AdminTokenIssued",
      data: { workspaceId, adminToken: { ...issued().data.adminToken, hash: undefined } },
    });
  });
});
