import type { WorkspaceEvent } from "@clientapps/domain";
import { workspaceBuilders as w } from "@clientapps/domain/testing";
import { describe, it } from "vitest";
import { AuditSpecification } from "./testing/auditSpecification.js";
import { messagesOf } from "./testing/eventMessages.js";

/** A workspace's own events (its life and its admin tokens) in its activity stream and the revocation feed. */

const given = (...events: WorkspaceEvent[]) => AuditSpecification.given(messagesOf(...events));
const workspace = { objectType: "workspace", objectId: w.workspaceId, workspaceId: w.workspaceId } as const;
const expiring = w.newToken({ tokenId: "adm_2", label: "ci", scopes: ["clientapps:read"], expiresOn: "2026-04-01T00:00:00.000Z" });

describe("the audit consumer, for a workspace's own events", () => {
  const life = [w.created(), w.issued(expiring), w.renamed("Acme Inc."), w.suspended(), w.resumed(), w.revoked("adm_2"), w.deleted()];

  it("records each change of the workspace, as the workspace's, with its admin tokens by id and fingerprint only", async () => {
    await given(...life).then({
      activity: [
        {
          ...workspace,
          sequence: 1,
          operation: "create_workspace",
          changes: { displayName: { before: null, after: "Acme" }, status: { before: null, after: "active" } },
        },
        {
          ...workspace,
          sequence: 2,
          operation: "issue_admin_token",
          changes: {
            adminToken: {
              before: null,
              after: { id: "adm_2", label: "ci", scopes: ["clientapps:read"], fingerprint: "…aaaa", expiresOn: "2026-04-01T00:00:00.000Z" },
            },
          },
        },
        { ...workspace, sequence: 3, operation: "rename_workspace", changes: { displayName: { before: "Acme", after: "Acme Inc." } } },
        { ...workspace, sequence: 4, operation: "suspend_workspace", changes: { status: { before: "active", after: "suspended" } } },
        { ...workspace, sequence: 5, operation: "resume_workspace", changes: { status: { before: "suspended", after: "active" } } },
        {
          ...workspace,
          sequence: 6,
          operation: "revoke_admin_token",
          changes: { adminToken: { before: { id: "adm_2", fingerprint: "…aaaa" }, after: null } },
        },
        { ...workspace, sequence: 7, operation: "delete_workspace", changes: { deleted: { before: false, after: true } } },
      ],
      revocations: [
        { clientId: null, reason: "workspace_suspended", credentialType: "workspace", credentialId: w.workspaceId, revokeFrom: w.at },
        { clientId: null, reason: "workspace_resumed", credentialType: "workspace", credentialId: w.workspaceId, revokeFrom: w.at },
        { clientId: null, reason: "admin_token_revoked", credentialType: "admin_token", credentialId: "adm_2", fingerprint: "…aaaa" },
        { clientId: null, reason: "workspace_deleted", credentialType: "workspace", credentialId: w.workspaceId, revokeFrom: w.at },
      ],
      neverShows: ["hash-1"],
    });
  });

  it("applied twice changes nothing", () => given(...life).thenAppliedTwiceIsTheSame());
});
