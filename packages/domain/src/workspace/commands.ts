import type { HashedToken } from "../clientApplication/commands.js";

type Target = Readonly<{ workspaceId: string }>;
type Stamp = Readonly<{ now: Date }>;

/** A freshly generated admin token as the domain sees it: its public id, keyed hash and fingerprint. */
export type NewAdminToken = Readonly<{
  tokenId: string;
  token: HashedToken;
  label: string;
  scopes: readonly string[];
  /** ISO 8601; null for a token that does not expire. */
  expiresOn: string | null;
}>;

/** Creates a workspace; with `firstAdminToken`, its first admin token in the same write. */
export type CreateWorkspace = Readonly<{
  type: "CreateWorkspace";
  data: Target & Readonly<{ displayName: string; firstAdminToken?: NewAdminToken | undefined }>;
  metadata: Stamp;
}>;

export type RenameWorkspace = Readonly<{ type: "RenameWorkspace"; data: Target & Readonly<{ displayName: string }>; metadata: Stamp }>;
export type SuspendWorkspace = Readonly<{ type: "SuspendWorkspace"; data: Target; metadata: Stamp }>;
export type ResumeWorkspace = Readonly<{ type: "ResumeWorkspace"; data: Target; metadata: Stamp }>;
export type DeleteWorkspace = Readonly<{ type: "DeleteWorkspace"; data: Target; metadata: Stamp }>;

export type IssueAdminToken = Readonly<{
  type: "IssueAdminToken";
  data: Target & Readonly<{ adminToken: NewAdminToken }>;
  metadata: Stamp;
}>;
export type RevokeAdminToken = Readonly<{ type: "RevokeAdminToken"; data: Target & Readonly<{ tokenId: string }>; metadata: Stamp }>;

/**
 * What a server start asks so that its admin workspace can be administered: the workspace
 * is created when it does not exist (named after its id). A `configured` token (from the
 * environment) becomes the only admin token, unless it already works; otherwise the token
 * is issued only when the workspace never had an admin token.
 */
export type BootstrapAdminToken = Readonly<{
  type: "BootstrapAdminToken";
  data: Target & Readonly<{ adminToken: NewAdminToken; configured: boolean }>;
  metadata: Stamp;
}>;

export type WorkspaceCommand =
  | CreateWorkspace
  | RenameWorkspace
  | SuspendWorkspace
  | ResumeWorkspace
  | DeleteWorkspace
  | IssueAdminToken
  | RevokeAdminToken
  | BootstrapAdminToken;
