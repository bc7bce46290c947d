import type { FieldViolation } from "../decider.js";
import type { RegistrationMetadata } from "./clientApplication.js";
import { forbiddenGrantTypes, supportedResponseTypes, tokenEndpointAuthMethods } from "./limits.js";
import { textViolations } from "./text.js";

const uriFields = ["clientUri", "logoUri", "tosUri", "policyUri", "jwksUri"] as const;

const httpsUriProblem = (value: string): string | undefined => {
  if (value.length > 2000) return "must be at most 2000 characters";
  try {
    const url = new URL(value);
    if (url.protocol !== "https:") return "must be an https URL";
    return undefined;
  } catch {
    return "must be an absolute URL";
  }
};

/** Defaults of RFC 7591 §2 for what a registration request leaves out. */
export const defaultRegistrationMetadata = (isConfidential: boolean): RegistrationMetadata => ({
  tokenEndpointAuthMethod: isConfidential ? "client_secret_basic" : "none",
  responseTypes: ["code"],
  clientUri: null,
  logoUri: null,
  tosUri: null,
  policyUri: null,
  contacts: [],
  jwksUri: null,
  jwks: null,
  softwareId: null,
  softwareVersion: null,
});

/**
 * RFC 7591 §2 rules for the metadata of a self-registered client, checked
 * against the core fields it would have (§2.1: grant and response types agree).
 */
export const registrationMetadataViolations = (
  metadata: RegistrationMetadata,
  client: Readonly<{ isConfidential: boolean; grantTypes: readonly string[] }>,
): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  const method = metadata.tokenEndpointAuthMethod;
  if (!(tokenEndpointAuthMethods as readonly string[]).includes(method)) {
    violations.push({
      field: "tokenEndpointAuthMethod",
      code: "unsupported",
      message: `must be one of ${tokenEndpointAuthMethods.join(", ")}`,
    });
  } else if ((method === "none") === client.isConfidential) {
    violations.push({ field: "tokenEndpointAuthMethod", code: "inconsistent", message: "'none' is for public clients, and only for them" });
  }
  metadata.responseTypes.forEach((type, index) => {
    const field = `responseTypes/${index}`;
    if (type === "token" || (forbiddenGrantTypes as readonly string[]).includes(type)) {
      violations.push({ field, code: "forbidden_response_type", message: "the implicit flow must not be used (RFC 9700 §2.1.2)" });
    } else if (!(supportedResponseTypes as readonly string[]).includes(type)) {
      violations.push({ field, code: "unsupported_response_type", message: `must be one of ${supportedResponseTypes.join(", ")}` });
    }
  });
  const usesCode = client.grantTypes.includes("authorization_code");
  if (usesCode !== metadata.responseTypes.includes("code")) {
    violations.push({
      field: "responseTypes",
      code: "inconsistent",
      message: "the response type 'code' goes with the grant type 'authorization_code', and only with it (RFC 7591 §2.1)",
    });
  }
  for (const field of uriFields) {
    const value = metadata[field];
    const problem = value === null ? undefined : httpsUriProblem(value);
    if (problem) violations.push({ field, code: "invalid_uri", message: problem });
  }
  if (metadata.jwks !== null && metadata.jwksUri !== null) {
    violations.push({ field: "jwks", code: "conflict", message: "jwks and jwks_uri must not both be given (RFC 7591 §2)" });
  }
  if (metadata.contacts.length > 20) violations.push({ field: "contacts", code: "too_many", message: "at most 20 contacts" });
  metadata.contacts.forEach((contact, index) => {
    if (contact.length === 0 || contact.length > 320) {
      violations.push({ field: `contacts/${index}`, code: "invalid_length", message: "must be 1 to 320 characters" });
    } else {
      violations.push(...textViolations(`contacts/${index}`, contact));
    }
  });
  for (const field of ["softwareId", "softwareVersion"] as const) {
    const value = metadata[field] ?? "";
    if (value.length > 255) violations.push({ field, code: "too_long", message: "must be at most 255 characters" });
    else violations.push(...textViolations(field, value));
  }
  return violations;
};
