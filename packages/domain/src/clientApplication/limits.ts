/** Field limits of a client application, shared by the domain and the HTTP schemas. */
export const ClientApplicationLimits = {
  clientIdMaxLength: 64,
  displayNameMaxLength: 100,
  descriptionMaxLength: 500,
  redirectUrisMaxCount: 50,
  redirectUriMaxLength: 2000,
  scopesMaxCount: 100,
  scopeMaxLength: 200,
  /**
   * Changes one client application's history may hold before it takes only those
   * that close doors (revocations, retirements, expiries, deactivation, deletion):
   * each command and credential check reads the whole history. About 2,500 keys
   * issued and revoked; a client that needs more is better registered anew.
   */
  maxEventsPerClient: 5000,
} as const;

/**
 * Client and workspace ids appear in URLs, stream names and logs, so they are
 * restricted to RFC 3986 unreserved characters and start with a letter or digit.
 */
export const identifierPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export const scopeTokenPattern = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export const supportedGrantTypes = [
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "urn:ietf:params:oauth:grant-type:device_code",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:ietf:params:oauth:grant-type:token-exchange",
] as const;

/** Grants the OAuth 2.0 Security BCP (RFC 9700) says must not be used. */
export const forbiddenGrantTypes = ["implicit", "password"] as const;

export const CredentialLimits = {
  /** One week: long enough for any deployment to pick up a new secret. */
  maxGracePeriodSeconds: 604_800,
  /** Secrets that work at once: the current one plus those still in their grace period. */
  maxLiveSecrets: 5,
  maxLiveApiKeys: 100,
  apiKeyNameMaxLength: 100,
} as const;

/**
 * Scopes an API key may carry: the permissions of this API itself.
 * `clientapps:register` allows RFC 7591 registration only: an initial access token.
 */
export const apiKeyScopes = [
  "admin",
  "clientapps:read",
  "clientapps:write",
  "clientapps:register",
  "workspace-manage-config:read",
  "workspace-manage-config:write",
] as const;

export const tokenEndpointAuthMethods = ["client_secret_basic", "client_secret_post", "none"] as const;

/** Response types of the flows we support; `token` (implicit) is refused per RFC 9700. */
export const supportedResponseTypes = ["code", "none"] as const;
