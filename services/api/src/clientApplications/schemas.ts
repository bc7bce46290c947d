import {
  ClientApplicationLimits as Limits,
  deceptiveCharacterClass,
  deceptiveOnOneLineCharacterClass,
  identifierPattern,
  scopeTokenPattern,
} from "@clientapps/domain";
import { z } from "zod";
import { Cursor } from "../http/routes/routeHeaders.js";

/*
 * Shapes only: types, lengths and presence. The business rules (redirect URIs,
 * grant types, public vs confidential) are the decider's, so every entry point
 * gets the same answer. Limits come from the domain so the numbers exist once.
 */
/** An array without repeated members, declared as such (`uniqueItems`), refused by the decider when not. */
export const uniqueItems = <Item extends z.ZodType>(schema: z.ZodArray<Item>) =>
  schema.refine((items) => new Set(items).size === items.length, { message: "must not list a value twice" }).meta({ uniqueItems: true });

const clientId = z
  .string()
  .min(1)
  .max(Limits.clientIdMaxLength)
  .regex(identifierPattern)
  .meta({ description: "Unique per workspace; letters, digits, '.', '_', '~', '-'." });
/** A name as the decider takes it: not blank (so not empty), on one line, without a character that deceives a reader. */
export const nameText = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .regex(
      new RegExp(
        `^[^${deceptiveOnOneLineCharacterClass}]*[^\\s${deceptiveOnOneLineCharacterClass}][^${deceptiveOnOneLineCharacterClass}]*$`,
      ),
    );

/** Free text as the decider takes it: line breaks and tabs, but no character that deceives a reader. */
const freeText = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .regex(new RegExp(`^[^${deceptiveCharacterClass}]*$`));

const displayName = nameText(Limits.displayNameMaxLength);
const description = freeText(Limits.descriptionMaxLength);
const redirectUris = uniqueItems(z.array(z.string().min(1).max(Limits.redirectUriMaxLength)).max(Limits.redirectUrisMaxCount)).meta({
  description: "Absolute, no fragment; https, loopback http (127.0.0.1, [::1]) or a reverse-domain private-use scheme (RFC 8252).",
});
const grantTypes = z.array(z.string()).max(10);
const scopes = uniqueItems(z.array(z.string().max(Limits.scopeMaxLength).regex(scopeTokenPattern)).max(Limits.scopesMaxCount));

const updatable = {
  displayName,
  description,
  redirectUris,
  grantTypes,
  scopes,
  skipAuthorization: z.boolean(),
  isActive: z.boolean(),
};

export const CreateClientApplicationRequest = z
  .strictObject({
    clientId: clientId.optional(),
    displayName,
    description: description.optional(),
    redirectUris: redirectUris.optional(),
    isConfidential: z.boolean().default(true),
    grantTypes: grantTypes.optional(),
    scopes: scopes.optional(),
    skipAuthorization: z.boolean().optional(),
    isActive: z.boolean().optional(),
  })
  .meta({
    id: "CreateClientApplicationRequest",
    example: {
      clientId: "integration",
      displayName: "Awork integration",
      redirectUris: ["https://app.example.com/callback"],
      scopes: ["read:organization"],
    },
  });

/** Fields a GET returns that a PUT may echo back: immutable ones must not change, read-only ones are ignored. */
const echoed = {
  clientId: clientId.optional(),
  isConfidential: z.boolean().optional(),
  workspaceId: z.string().optional(),
  secrets: z.unknown().optional().meta({ readOnly: true }),
  registration: z.unknown().optional().meta({ readOnly: true }),
  createdOn: z.unknown().optional().meta({ readOnly: true }),
  updatedOn: z.unknown().optional().meta({ readOnly: true }),
  related: z.unknown().optional().meta({ readOnly: true }),
};

export const UpdateClientApplicationRequest = z
  .strictObject({
    ...Object.fromEntries(Object.entries(updatable).map(([name, schema]) => [name, schema.optional()])),
    ...echoed,
  } as { [K in keyof typeof updatable]: z.ZodOptional<(typeof updatable)[K]> } & typeof echoed)
  .extend({
    // awork documents these as "string or null, optional", and its generated clients send null for what they leave alone.
    displayName: displayName.nullable().optional().meta({ description: "null leaves it unchanged, as absent does." }),
    redirectUris: redirectUris.nullable().optional().meta({ description: "null leaves them unchanged, as absent does." }),
  })
  .meta({ id: "UpdateClientApplicationRequest" });

export const PatchClientApplicationRequest = z
  .strictObject({
    ...Object.fromEntries(Object.entries(updatable).map(([name, schema]) => [name, schema.nullable().optional()])),
    ...echoed,
  } as { [K in keyof typeof updatable]: z.ZodOptional<z.ZodNullable<(typeof updatable)[K]>> } & typeof echoed)
  .meta({ id: "PatchClientApplicationRequest", description: "JSON Merge Patch (RFC 7396): a member set to null returns to its default." });

/** ISO 8601 in UTC; the example keeps generated docs from inventing dates off the pattern. */
const timestamp = z.iso.datetime().meta({ example: "2026-03-14T16:40:40.100Z" });

const booleanQuery = z.enum(["true", "false"]).transform((value) => value === "true");

export const ListClientApplicationsQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  cursor: Cursor.optional(),
  isConfidential: booleanQuery.optional(),
  isActive: booleanQuery.optional(),
  q: z.string().min(1).max(Limits.displayNameMaxLength).optional().meta({ description: "Display name contains (case-insensitive)." }),
});

export const ClientSecretSummary = z
  .object({
    id: z.string(),
    createdOn: timestamp,
    expiresOn: timestamp.nullable(),
    fingerprint: z.string().meta({ description: "'…' and the secret's last four characters." }),
  })
  .meta({ id: "ClientSecretSummary" });

const nullableUri = z.string().nullable();

export const RegistrationMetadataResource = z
  .object({
    tokenEndpointAuthMethod: z.string(),
    responseTypes: z.array(z.string()),
    clientUri: nullableUri,
    logoUri: nullableUri,
    tosUri: nullableUri,
    policyUri: nullableUri,
    contacts: z.array(z.string()),
    jwksUri: nullableUri,
    jwks: z.record(z.string(), z.unknown()).nullable().meta({ description: "A JWK Set (RFC 7517 §5) of public keys." }),
    softwareId: z.string().nullable(),
    softwareVersion: z.string().nullable(),
  })
  .meta({ id: "RegistrationMetadata", description: "RFC 7591 §2 client metadata that has no counterpart among the core fields." });

export const RegistrationResource = z
  .object({
    tokenFingerprint: z.string().meta({ description: "'…' and the registration access token's last four characters." }),
    tokenIssuedOn: timestamp,
    metadata: RegistrationMetadataResource,
  })
  .meta({
    id: "Registration",
    description: "How the client registered itself (RFC 7591); the token is never shown, only its fingerprint.",
  });

export const ClientApplicationResource = z
  .object({
    clientId: z.string(),
    displayName: z.string(),
    description: z.string(),
    redirectUris: z.array(z.string()),
    isConfidential: z.boolean(),
    grantTypes: z.array(z.string()),
    scopes: z.array(z.string()),
    skipAuthorization: z.boolean(),
    isActive: z.boolean(),
    workspaceId: z.string(),
    secrets: z.array(ClientSecretSummary),
    registration: RegistrationResource.nullable().meta({ description: "null for a client made through this admin API." }),
    createdOn: timestamp,
    updatedOn: timestamp,
    related: z.object({ activityStream: z.string(), apiKeys: z.string() }),
  })
  .meta({ id: "ClientApplication" });

export const CreatedClientApplicationResource = ClientApplicationResource.extend({
  clientSecret: z.string().optional().meta({ description: "Confidential clients only; shown in this response and never again." }),
}).meta({ id: "CreatedClientApplication" });

export type ClientApplicationResource = z.infer<typeof ClientApplicationResource>;
