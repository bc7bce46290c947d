import { adminTokenScopes, ClientApplicationLimits, identifierPattern, WorkspaceLimits } from "@clientapps/domain";
import { z } from "zod";
import { nameText, uniqueItems } from "../clientApplications/schemas.js";
import { Cursor } from "../http/routes/routeHeaders.js";

const timestamp = z.iso.datetime().meta({ example: "2026-03-14T16:40:40.100Z" });

export const workspaceIdSchema = z
  .string()
  .min(1)
  .max(ClientApplicationLimits.clientIdMaxLength)
  .regex(identifierPattern)
  .meta({ description: "Unique in the deployment and never given out again; letters, digits, '.', '_', '~', '-'." });

export const WorkspaceIdParams = z.object({ workspaceId: workspaceIdSchema });
export const AdminTokenParams = WorkspaceIdParams.extend({ tokenId: z.string().min(1).max(64) });

const displayName = nameText(WorkspaceLimits.displayNameMaxLength);

export const IssueAdminTokenRequest = z
  .strictObject({
    label: nameText(WorkspaceLimits.labelMaxLength).default("admin token"),
    scopes: uniqueItems(z.array(z.enum(adminTokenScopes)).min(1).max(adminTokenScopes.length)).default(["admin"]),
    expiresOn: timestamp.nullable().optional().meta({ description: "When the token stops working, in the future; never, when absent." }),
  })
  .meta({ id: "IssueAdminTokenRequest", example: { label: "Acme's first admin", scopes: ["admin"], expiresOn: null } });

export const CreateWorkspaceRequest = z
  .strictObject({
    workspaceId: workspaceIdSchema.optional().meta({ description: "Chosen by the operator; generated when absent." }),
    displayName,
    adminToken: IssueAdminTokenRequest.optional().meta({ description: "The first admin token; `admin` without expiry when absent." }),
  })
  .meta({ id: "CreateWorkspaceRequest", example: { workspaceId: "acme", displayName: "Acme Corp." } });

export const RenameWorkspaceRequest = z.strictObject({ displayName }).meta({ id: "RenameWorkspaceRequest" });

export const ListWorkspacesQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  cursor: Cursor.optional(),
});

export const AdminTokenResource = z
  .object({
    id: z.string(),
    label: z.string(),
    scopes: z.array(z.string()),
    fingerprint: z.string(),
    status: z.enum(["active", "revoked", "expired"]),
    createdOn: timestamp,
    expiresOn: timestamp.nullable(),
    revokedOn: timestamp.nullable(),
  })
  .meta({ id: "AdminToken" });

export const IssuedAdminTokenResource = AdminTokenResource.extend({
  token: z.string().meta({ description: "The token itself (ca_admin_…); shown in this response and never again." }),
}).meta({ id: "IssuedAdminToken" });

export const WorkspaceResource = z
  .object({
    workspaceId: z.string(),
    displayName: z.string(),
    status: z.enum(["active", "suspended"]).meta({ description: "A suspended workspace's credentials all fail until it is resumed." }),
    createdOn: timestamp,
    updatedOn: timestamp,
    adminTokens: z.array(AdminTokenResource).meta({ description: "Its admin tokens, by id and fingerprint; never a token." }),
  })
  .meta({ id: "Workspace" });

export const CreatedWorkspaceResource = WorkspaceResource.extend({ adminToken: IssuedAdminTokenResource }).meta({
  id: "CreatedWorkspace",
});
