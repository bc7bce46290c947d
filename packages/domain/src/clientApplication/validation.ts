import type { FieldViolation } from "../decider.js";
import {
  ClientApplicationLimits as Limits,
  forbiddenGrantTypes,
  identifierPattern,
  scopeTokenPattern,
  supportedGrantTypes,
} from "./limits.js";
import { redirectUriViolations } from "./redirectUri.js";
import { textViolations } from "./text.js";

export type ValidatedFields = Readonly<{
  workspaceId: string;
  clientId: string;
  displayName: string;
  description: string;
  redirectUris: readonly string[];
  isConfidential: boolean;
  grantTypes: readonly string[];
  scopes: readonly string[];
}>;

/** Length in characters (code points), which is what a person counts. */
const lengthOf = (value: string): number => [...value].length;

/** Path segments the API routes itself (`/clientapplications/register`), so no client may take them. */
export const reservedClientIds: readonly string[] = ["register"];

export const identifierViolations = (field: string, value: string): FieldViolation[] => {
  if (value.length === 0) return [{ field, code: "required", message: "must not be empty" }];
  if (value.length > Limits.clientIdMaxLength) {
    return [{ field, code: "too_long", message: `must be at most ${Limits.clientIdMaxLength} characters` }];
  }
  if (!identifierPattern.test(value)) {
    return [
      {
        field,
        code: "invalid_format",
        message: "must start with a letter or digit and contain only letters, digits, '.', '_', '~' and '-'",
      },
    ];
  }
  return [];
};

const displayNameViolations = (value: string): FieldViolation[] => {
  if (value.trim().length === 0) return [{ field: "displayName", code: "required", message: "must not be blank" }];
  if (lengthOf(value) > Limits.displayNameMaxLength) {
    return [{ field: "displayName", code: "too_long", message: `must be at most ${Limits.displayNameMaxLength} characters` }];
  }
  return textViolations("displayName", value);
};

const descriptionViolations = (value: string): FieldViolation[] =>
  lengthOf(value) > Limits.descriptionMaxLength
    ? [{ field: "description", code: "too_long", message: `must be at most ${Limits.descriptionMaxLength} characters` }]
    : textViolations("description", value, { multiline: true });

const duplicates = (values: readonly string[], field: string): FieldViolation[] =>
  values.flatMap((value, index) =>
    values.indexOf(value) !== index ? [{ field: `${field}/${index}`, code: "duplicate", message: `'${value}' is listed twice` }] : [],
  );

/** What a caller may ask for beyond the rules: the password grant, for the APIs whose clients still use it (AWX's). */
export type ValidationAllowances = Readonly<{ passwordGrant?: boolean | undefined }>;

const grantTypeViolations = (fields: ValidatedFields, allowances: ValidationAllowances): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  if (fields.grantTypes.length === 0)
    violations.push({ field: "grantTypes", code: "required", message: "at least one grant type is needed" });
  fields.grantTypes.forEach((grant, index) => {
    const field = `grantTypes/${index}`;
    if (grant === "password" && allowances.passwordGrant) return;
    if ((forbiddenGrantTypes as readonly string[]).includes(grant)) {
      violations.push({
        field,
        code: "forbidden_grant_type",
        message: `'${grant}' must not be used (OAuth 2.0 Security BCP, RFC 9700 §2.1.2, §2.4)`,
      });
    } else if (!(supportedGrantTypes as readonly string[]).includes(grant)) {
      violations.push({ field, code: "unsupported_grant_type", message: `'${grant}' is not one of ${supportedGrantTypes.join(", ")}` });
    }
  });
  violations.push(...duplicates(fields.grantTypes, "grantTypes"));
  if (!fields.isConfidential && fields.grantTypes.includes("client_credentials")) {
    violations.push({
      field: "grantTypes",
      code: "public_client_credentials",
      message: "a public client has no secret and cannot use the client_credentials grant",
    });
  }
  return violations;
};

const scopeViolations = (scopes: readonly string[]): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  if (scopes.length > Limits.scopesMaxCount) {
    violations.push({ field: "scopes", code: "too_many", message: `at most ${Limits.scopesMaxCount} scopes` });
  }
  scopes.forEach((scope, index) => {
    if (scope.length > Limits.scopeMaxLength) {
      violations.push({ field: `scopes/${index}`, code: "too_long", message: `must be at most ${Limits.scopeMaxLength} characters` });
    } else if (!scopeTokenPattern.test(scope)) {
      violations.push({
        field: `scopes/${index}`,
        code: "invalid_format",
        message: "must be a scope token: printable ASCII without spaces, '\"' or '\\' (RFC 6749 §3.3)",
      });
    }
  });
  return [...violations, ...duplicates(scopes, "scopes")];
};

const redirectRequirementViolations = (fields: ValidatedFields): FieldViolation[] => {
  if (fields.redirectUris.length > 0) return [];
  if (!fields.isConfidential) {
    return [{ field: "redirectUris", code: "required", message: "a public client must register at least one redirect URI" }];
  }
  if (fields.grantTypes.includes("authorization_code")) {
    return [{ field: "redirectUris", code: "required", message: "the authorization_code grant needs at least one redirect URI" }];
  }
  return [];
};

/** Every rule a client application must satisfy, checked on the state a command would produce. */
export const clientApplicationViolations = (fields: ValidatedFields, allowances: ValidationAllowances = {}): readonly FieldViolation[] => [
  ...identifierViolations("workspaceId", fields.workspaceId),
  ...identifierViolations("clientId", fields.clientId),
  ...(reservedClientIds.includes(fields.clientId.toLowerCase())
    ? [{ field: "clientId", code: "reserved", message: `'${fields.clientId}' is reserved by the API` }]
    : []),
  ...displayNameViolations(fields.displayName),
  ...descriptionViolations(fields.description),
  ...redirectUriViolations(fields.redirectUris),
  ...redirectRequirementViolations(fields),
  ...grantTypeViolations(fields, allowances),
  ...scopeViolations(fields.scopes),
];

/**
 * Grant types a client gets when it names none: a client with redirect URIs
 * uses the authorization code flow; a confidential one without uses client credentials.
 */
export const defaultGrantTypes = (isConfidential: boolean, redirectUris: readonly string[]): readonly string[] =>
  isConfidential && redirectUris.length === 0 ? ["client_credentials"] : ["authorization_code", "refresh_token"];
