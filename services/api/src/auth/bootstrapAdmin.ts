import { credentialKindOf } from "@clientapps/credentials";
import type { AccessCredentials } from "./accessCredentials.js";

export class InvalidAdminTokenError extends Error {
  readonly code = "invalid_admin_token";
  constructor() {
    super("CLIENTAPPS_ADMIN_TOKEN is not a clientapps admin token (ca_admin_…); generate one with `pnpm admin-token`.");
  }
}

/**
 * Makes sure the admin workspace can be administered. A configured token is
 * registered (by hash) and revokes every other admin token of the workspace;
 * otherwise the very first start issues one and hands it to `announce` — the
 * only time it exists outside the caller's hands.
 */
export const bootstrapAdmin = async (
  credentials: AccessCredentials,
  options: Readonly<{ configuredToken: string | undefined; workspaceId: string; now: Date; announce: (token: string) => void }>,
): Promise<void> => {
  if (options.configuredToken !== undefined) {
    if (credentialKindOf(options.configuredToken) !== "adminToken") throw new InvalidAdminTokenError();
    const credentialId = await credentials.store(options.configuredToken, {
      kind: "admin",
      workspaceId: options.workspaceId,
      scopes: ["admin"],
      label: "configured admin token",
      createdOn: options.now.toISOString(),
      expiresOn: null,
      revokedOn: null,
    });
    // The configured token is the workspace's admin token: replacing it (after a leak, say) must end
    // the old one, and the bootstrap token printed on a first start, at once.
    await credentials.revokeAdminsExcept(options.workspaceId, credentialId, options.now);
    return;
  }
  if (await credentials.hasAdmin(options.workspaceId)) return;
  const { token } = await credentials.issueAdminToken(options.workspaceId, "bootstrap admin token", options.now);
  options.announce(token);
};
