import type { WorkspaceEvent } from "@clientapps/domain";
import { workspaceBuilders as w } from "@clientapps/domain/testing";
import { eventRecorder } from "@clientapps/event-store/testing";
import { ProjectionSpecification } from "@clientapps/projections/testing";
import { describe, it } from "vitest";
import { adminTokenIndexProjection, workspacesProjection } from "./workspaceProjections.js";
import { adminTokenIndexCollection, workspacesCollection, type AdminTokenIndexEntry, type WorkspaceView } from "./workspaceView.js";

const recordedWorkspace = (...events: WorkspaceEvent[]) => {
  const recorder = eventRecorder();
  return events.map((event) => recorder.record(event));
};

const views = ProjectionSpecification.for<WorkspaceView>(workspacesProjection, workspacesCollection);
const index = ProjectionSpecification.for<AdminTokenIndexEntry>(adminTokenIndexProjection, adminTokenIndexCollection);

const createdView: WorkspaceView = {
  workspaceId: w.workspaceId,
  displayName: "Acme",
  status: "active",
  deleted: false,
  createdOn: w.at,
  updatedOn: w.at,
  adminTokens: [],
};
const tokenView = { tokenId: "adm_1", label: "first admin", scopes: ["admin"], fingerprint: "…aaaa", createdOn: w.at, expiresOn: null };

describe("the workspaces projection", () => {
  const cases: readonly (readonly [string, WorkspaceEvent[], number, WorkspaceView])[] = [
    ["WorkspaceCreated makes the workspace, active and without tokens", [w.created()], 0, createdView],
    ["WorkspaceRenamed sets its name", [w.created(), w.renamed("Acme Inc.")], 1, { ...createdView, displayName: "Acme Inc." }],
    ["WorkspaceSuspended marks it suspended", [w.created(), w.suspended()], 1, { ...createdView, status: "suspended" }],
    ["WorkspaceResumed makes it active again", [w.created(), w.suspended(), w.resumed()], 2, createdView],
    ["WorkspaceDeleted leaves a tombstone", [w.created(), w.deleted()], 1, { ...createdView, status: "deleted", deleted: true }],
    [
      "AdminTokenIssued lists the token without its hash",
      [w.created(), w.issued()],
      1,
      { ...createdView, adminTokens: [{ ...tokenView, revokedOn: null }] },
    ],
    [
      "AdminTokenRevoked marks the token revoked",
      [w.created(), w.issued(), w.revoked()],
      2,
      { ...createdView, adminTokens: [{ ...tokenView, revokedOn: w.at }] },
    ],
  ];

  it.each(cases)("%s", (_, events, revision, document) =>
    views.given(recordedWorkspace(...events)).then({ [w.workspaceId]: { revision, document } }),
  );

  it.each(cases)("%s, applied twice, changes nothing", (_, events) =>
    views.given(recordedWorkspace(...events)).thenAppliedTwiceIsTheSame(),
  );
});

describe("the admin-token index", () => {
  it("points from an issued token's keyed hash to its workspace, and from nothing else", () =>
    index
      .given(recordedWorkspace(w.created(), w.issued(), w.suspended(), w.revoked()))
      .then({ "hash-1": { revision: 1, document: { workspaceId: w.workspaceId, tokenId: "adm_1" } } }));

  it("applied twice changes nothing", () => index.given(recordedWorkspace(w.created(), w.issued())).thenAppliedTwiceIsTheSame());
});
