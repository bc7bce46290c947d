import type { ApiKey, ClientApplication, FieldViolation, UpdatableFields } from "@clientapps/domain";
import type { Caller } from "../../auth/authenticate.js";
import { HttpProblem } from "../../http/problem.js";
import { hiddenSecret, type AwxApplication, type AwxApplicationPatch } from "./awxSchemas.js";

export const awxApplicationsPath = "/api/v2/applications/";
export const awxApplicationPath = (number: number): string => `${awxApplicationsPath}${number}/`;

/** An AWX organization: the caller's workspace. */
export type AwxOrganization = Readonly<{ id: number; name: string; description: string }>;

/**
 * Every credential sees one workspace and nothing of another, so from where a caller
 * stands there is one organization, always id 1, named after the workspace.
 */
export const organizationOf = (caller: Caller): AwxOrganization => ({ id: 1, name: caller.workspaceId, description: "" });

const grantTypesOf = (grant: string): string[] =>
  grant === "password" ? ["password", "refresh_token"] : ["authorization_code", "refresh_token"];

/** The AWX grant type of a client's grants: the first AWX knows, or, for a client registered elsewhere, its first. */
const awxGrantOf = (grantTypes: readonly string[]): string => {
  if (grantTypes.includes("authorization_code")) return "authorization-code";
  if (grantTypes.includes("password")) return "password";
  return (grantTypes[0] ?? "").replaceAll("_", "-");
};

/** The keys AWX would list as the application's tokens: those that still work. */
export const workingKeys = (client: ClientApplication, now: Date): ApiKey[] =>
  client.apiKeys.filter(
    (key) => key.revokedOn === null && key.expiredOn === null && (key.expiresOn === null || Date.parse(key.expiresOn) > now.getTime()),
  );

/** AWX's two token scopes: a key that may change things writes. */
export const awxScopeOf = (key: ApiKey): "read" | "write" =>
  key.scopes.some((scope) => scope === "admin" || scope.endsWith(":write")) ? "write" : "read";

/** AWX tokens are numbered like everything in AWX: a key's place among its application's keys, which only grow. */
export const tokenNumberOf = (client: ClientApplication, key: ApiKey): number => client.apiKeys.indexOf(key) + 1;

export const toAwxApplication = (
  client: ClientApplication,
  number: number,
  caller: Caller,
  now: Date,
  clientSecret?: string,
): AwxApplication => {
  const organization = organizationOf(caller);
  const mayWrite = caller.scopes.has("admin") || caller.scopes.has("clientapps:write");
  const keys = workingKeys(client, now);
  return {
    id: number,
    type: "o_auth2_application",
    url: awxApplicationPath(number),
    related: {
      activity_stream: `${awxApplicationPath(number)}activity_stream/`,
      tokens: `${awxApplicationPath(number)}tokens/`,
    },
    summary_fields: {
      organization,
      user_capabilities: { edit: mayWrite, delete: mayWrite },
      tokens: {
        count: keys.length,
        results: keys.map((key) => ({ id: tokenNumberOf(client, key), token: hiddenSecret, scope: awxScopeOf(key) })),
      },
    },
    created: client.createdOn,
    modified: client.updatedOn,
    name: client.displayName,
    description: client.description,
    client_id: client.clientId,
    client_secret: clientSecret ?? (client.isConfidential ? hiddenSecret : ""),
    client_type: client.isConfidential ? "confidential" : "public",
    redirect_uris: client.redirectUris.join(" "),
    authorization_grant_type: awxGrantOf(client.grantTypes),
    skip_authorization: client.skipAuthorization,
    organization: organization.id,
  };
};

const redirectUrisOf = (value: string): string[] => value.split(" ").filter((uri) => uri.length > 0);

/** The core fields an AWX body sets; only those present. */
export const changesOf = (body: AwxApplicationPatch): Partial<UpdatableFields> => ({
  ...(body.name !== undefined ? { displayName: body.name } : {}),
  ...(body.description !== undefined ? { description: body.description } : {}),
  ...(body.redirect_uris !== undefined ? { redirectUris: redirectUrisOf(body.redirect_uris) } : {}),
  ...(body.authorization_grant_type !== undefined ? { grantTypes: grantTypesOf(body.authorization_grant_type) } : {}),
  ...(body.skip_authorization !== undefined ? { skipAuthorization: body.skip_authorization } : {}),
});

/** An organization other than the caller's is refused, as AWX refuses one the caller cannot see. */
export const checkOrganization = (caller: Caller, organization: number | undefined): void => {
  if (organization !== undefined && organization !== organizationOf(caller).id) {
    throw new HttpProblem(400, "validation_failed", "Validation failed", "The request is not valid.", [
      { field: "organization", code: "unknown", message: `must be ${organizationOf(caller).id}, the caller's workspace` },
    ]);
  }
};

const awxFields: Readonly<Record<string, string>> = {
  displayName: "name",
  description: "description",
  redirectUris: "redirect_uris",
  grantTypes: "authorization_grant_type",
  skipAuthorization: "skip_authorization",
  isConfidential: "client_type",
  clientId: "client_id",
};

/** A core field in a violation (`redirectUris/0`) named as AWX names it (`redirect_uris`). */
const awxViolation = (violation: FieldViolation): FieldViolation => {
  const [field = "", ...rest] = violation.field.split("/");
  return { ...violation, field: [awxFields[field] ?? field, ...rest].join("/") };
};

/** Runs a write, naming the fields of its refusals as AWX does. */
export const inAwxTerms = async <T>(write: () => Promise<T>): Promise<T> => {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof HttpProblem) || error.errors.length === 0) throw error;
    throw new HttpProblem(error.status, error.code, error.title, error.detail, error.errors.map(awxViolation), error.headers);
  }
};
