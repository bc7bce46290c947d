/** Field limits of a client application, shared by the domain and the HTTP schemas. */
export const ClientApplicationLimits = {
  clientIdMaxLength: 64,
  displayNameMaxLength: 100,
  descriptionMaxLength: 500,
  redirectUrisMaxCount: 50,
  redirectUriMaxLength: 2000,
  scopesMaxCount: 100,
  scopeMaxLength: 200,
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
