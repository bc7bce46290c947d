import { defaultRegistrationMetadata, type ClientApplication, type FieldViolation, type RegistrationMetadata } from "@clientapps/domain";
import type { ClientMetadataRequest } from "./registrationSchemas.js";

/** Our field names in the RFC's words, for error descriptions a client library can act on. */
const rfcNames: Readonly<Record<string, string>> = {
  displayName: "client_name",
  redirectUris: "redirect_uris",
  grantTypes: "grant_types",
  scopes: "scope",
  tokenEndpointAuthMethod: "token_endpoint_auth_method",
  responseTypes: "response_types",
  clientUri: "client_uri",
  logoUri: "logo_uri",
  tosUri: "tos_uri",
  policyUri: "policy_uri",
  jwksUri: "jwks_uri",
  jwks: "jwks",
  contacts: "contacts",
  softwareId: "software_id",
  softwareVersion: "software_version",
  clientId: "client_id",
  isConfidential: "token_endpoint_auth_method",
};

export const rfcFieldName = (field: string): string => {
  const [head, ...rest] = field.split("/");
  return [rfcNames[head ?? ""] ?? head, ...rest].join("/");
};

/** RFC 7591 §3.2.2: redirect-URI problems have their own code; everything else is invalid metadata. */
export const registrationErrorOf = (violations: readonly FieldViolation[]): Readonly<{ error: string; error_description: string }> => ({
  error: violations.some((violation) => violation.field.startsWith("redirectUris")) ? "invalid_redirect_uri" : "invalid_client_metadata",
  error_description: violations.map((violation) => `${rfcFieldName(violation.field)} ${violation.message}`).join("; "),
});

export type RegistrationRequestFields = Readonly<{
  isConfidential: boolean;
  displayName: string | undefined;
  redirectUris: readonly string[];
  grantTypes: readonly string[];
  scopes: readonly string[];
  metadata: RegistrationMetadata;
}>;

/** The request's metadata with the RFC 7591 §2 defaults for what it leaves out. */
export const fromClientMetadata = (request: ClientMetadataRequest): RegistrationRequestFields => {
  const isConfidential = (request.token_endpoint_auth_method ?? "client_secret_basic") !== "none";
  const defaults = defaultRegistrationMetadata(isConfidential);
  const grantTypes = request.grant_types ?? ["authorization_code"];
  return {
    isConfidential,
    displayName: request.client_name,
    redirectUris: request.redirect_uris ?? [],
    grantTypes,
    scopes: request.scope?.split(" ").filter((scope) => scope.length > 0) ?? [],
    metadata: {
      tokenEndpointAuthMethod: request.token_endpoint_auth_method ?? defaults.tokenEndpointAuthMethod,
      // The default "code" goes only with the authorization_code grant (§2.1): a client that
      // names other grants and no response types uses none, rather than being refused for
      // a value it never sent.
      responseTypes: request.response_types ?? (grantTypes.includes("authorization_code") ? defaults.responseTypes : []),
      clientUri: request.client_uri ?? null,
      logoUri: request.logo_uri ?? null,
      tosUri: request.tos_uri ?? null,
      policyUri: request.policy_uri ?? null,
      contacts: request.contacts ?? [],
      jwksUri: request.jwks_uri ?? null,
      jwks: (request.jwks as RegistrationMetadata["jwks"]) ?? null,
      softwareId: request.software_id ?? null,
      softwareVersion: request.software_version ?? null,
    },
  };
};

const optional = <T>(name: string, value: T | null | undefined) => (value === null || value === undefined ? {} : { [name]: value });

/** RFC 7591 §3.2.1 / RFC 7592 §3: every registered metadata value, defaults included. */
export const toClientInformation = (
  client: ClientApplication,
  registrationClientUri: string,
  issued: Readonly<{ clientSecret?: string; registrationAccessToken?: string }> = {},
): Record<string, unknown> => {
  const metadata = client.registration?.metadata ?? defaultRegistrationMetadata(client.isConfidential);
  return {
    client_id: client.clientId,
    ...optional("client_secret", issued.clientSecret),
    client_id_issued_at: Math.floor(Date.parse(client.createdOn) / 1000),
    ...(client.isConfidential ? { client_secret_expires_at: 0 } : {}),
    ...optional("registration_access_token", issued.registrationAccessToken),
    registration_client_uri: registrationClientUri,
    redirect_uris: [...client.redirectUris],
    token_endpoint_auth_method: metadata.tokenEndpointAuthMethod,
    grant_types: [...client.grantTypes],
    response_types: [...metadata.responseTypes],
    client_name: client.displayName,
    ...(client.scopes.length > 0 ? { scope: client.scopes.join(" ") } : {}),
    ...optional("client_uri", metadata.clientUri),
    ...optional("logo_uri", metadata.logoUri),
    ...(metadata.contacts.length > 0 ? { contacts: [...metadata.contacts] } : {}),
    ...optional("tos_uri", metadata.tosUri),
    ...optional("policy_uri", metadata.policyUri),
    ...optional("jwks_uri", metadata.jwksUri),
    ...optional("jwks", metadata.jwks),
    ...optional("software_id", metadata.softwareId),
    ...optional("software_version", metadata.softwareVersion),
  };
};

/**
 * This server trusts no software-statement issuer, so a well-formed statement is
 * unapproved (RFC 7591 §3.2.2) and anything that is not a JWS compact JWT is invalid.
 */
export const softwareStatementError = (statement: string): "invalid_software_statement" | "unapproved_software_statement" => {
  const parts = statement.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) return "invalid_software_statement";
  try {
    for (const part of parts.slice(0, 2)) {
      const decoded: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
      if (typeof decoded !== "object" || decoded === null) return "invalid_software_statement";
    }
  } catch {
    return "invalid_software_statement";
  }
  return "unapproved_software_statement";
};
