import { upgradeLegacyActor, type Actor, type EventMetadata, type PublicClientApplicationEvent } from "@clientapps/domain";
import type { JsonValue } from "@clientapps/primitives";
import { z } from "zod";
import { same, type Same } from "./sameShape.js";

/*
 * The public event as a consumer reads it off the bus: one schema per event type,
 * checked by the compiler against the domain's own `PublicClientApplicationEvent`,
 * so a field added, removed or retyped in the domain fails the build here rather
 * than at a consumer.
 */

const identity = { workspaceId: z.string(), clientId: z.string() };
const strings = z.array(z.string()).readonly();

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue).readonly(), z.record(z.string(), jsonValue).readonly()]),
);

const secret = z
  .object({ secretId: z.string(), fingerprint: z.string(), createdOn: z.string(), expiresOn: z.string().nullable() })
  .readonly();

const updatableFields = z
  .object({
    displayName: z.string(),
    description: z.string(),
    redirectUris: strings,
    grantTypes: strings,
    scopes: strings,
    skipAuthorization: z.boolean(),
    isActive: z.boolean(),
  })
  .partial()
  .readonly();

const registrationMetadata = z
  .object({
    tokenEndpointAuthMethod: z.string(),
    responseTypes: strings,
    clientUri: z.string().nullable(),
    logoUri: z.string().nullable(),
    tosUri: z.string().nullable(),
    policyUri: z.string().nullable(),
    contacts: strings,
    jwksUri: z.string().nullable(),
    jwks: z.record(z.string(), jsonValue).readonly().nullable(),
    softwareId: z.string().nullable(),
    softwareVersion: z.string().nullable(),
  })
  .readonly();

const event = <Type extends string, Shape extends z.ZodRawShape>(type: Type, data: Shape) =>
  z.object({ type: z.literal(type), data: z.object({ ...identity, ...data }).readonly() }).readonly();

export const PublicEvent = z.discriminatedUnion("type", [
  event("ClientRegistered", {
    displayName: z.string(),
    description: z.string(),
    redirectUris: strings,
    isConfidential: z.boolean(),
    grantTypes: strings,
    scopes: strings,
    skipAuthorization: z.boolean(),
    isActive: z.boolean(),
    secret: secret.nullable(),
    registration: z
      .object({ tokenFingerprint: z.string(), tokenIssuedOn: z.string(), metadata: registrationMetadata })
      .readonly()
      .optional(),
    registeredOn: z.string(),
  }),
  event("ClientUpdated", { changes: updatableFields, previous: updatableFields, updatedOn: z.string() }),
  event("ClientActivated", {
    activatedOn: z.string(),
    reinstated: z
      .object({
        secrets: z.array(z.object({ secretId: z.string(), fingerprint: z.string() }).readonly()).readonly(),
        apiKeys: z.array(z.object({ keyId: z.string(), fingerprint: z.string() }).readonly()).readonly(),
        registrationToken: z.boolean(),
      })
      .readonly()
      .optional(),
  }),
  event("ClientDeactivated", { deactivatedOn: z.string() }),
  event("SecretRotated", {
    secret,
    gracePeriodSeconds: z.number(),
    supersededSecrets: z.array(z.object({ secretId: z.string(), fingerprint: z.string(), expiresOn: z.string() }).readonly()).readonly(),
    rotatedOn: z.string(),
  }),
  event("SecretRetired", { secretId: z.string(), fingerprint: z.string(), validUntil: z.string(), retiredOn: z.string() }),
  event("ApiKeyIssued", {
    apiKey: z
      .object({
        keyId: z.string(),
        name: z.string(),
        scopes: strings,
        fingerprint: z.string(),
        createdOn: z.string(),
        expiresOn: z.string().nullable(),
        issuedByKeyId: z.string().optional(),
      })
      .readonly(),
  }),
  event("ApiKeyRevoked", { keyId: z.string(), fingerprint: z.string(), revokedOn: z.string(), revokedWithKeyId: z.string().optional() }),
  event("ApiKeyExpired", { keyId: z.string(), fingerprint: z.string(), validUntil: z.string(), expiredOn: z.string() }),
  event("RegistrationTokenRotated", { tokenFingerprint: z.string(), rotatedOn: z.string() }),
  event("RegistrationMetadataReplaced", { metadata: registrationMetadata, previous: registrationMetadata, replacedOn: z.string() }),
  event("ClientDeleted", { deletedOn: z.string() }),
]);

const isLegacyActor = (value: unknown): value is Readonly<{ type: "credential"; id: string }> =>
  typeof value === "object" &&
  value !== null &&
  "type" in value &&
  value.type === "credential" &&
  "id" in value &&
  typeof value.id === "string";

/**
 * Who made the change. Events recorded before actors had types carry `{type: "credential", id}`:
 * read as the credential kind their id names (see upgradeLegacyActor).
 */
export const ActorSchema = z.preprocess(
  (value) => (isLegacyActor(value) ? upgradeLegacyActor(value.id) : value),
  z.union([
    z.object({ type: z.literal("user"), id: z.string(), name: z.string().nullable(), email: z.string().nullable() }).readonly(),
    z
      .object({
        type: z.enum(["apiKey", "adminToken", "registrationToken", "platformOperator", "system", "anonymous", "unknown"]),
        id: z.string(),
      })
      .readonly(),
  ]),
);

export const EventMetadataSchema = z.object({
  occurredAt: z.string(),
  actor: ActorSchema,
  workspaceId: z.string(),
  requestId: z.string(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  sourceIp: z.string().nullable(),
  userAgent: z.string().nullable(),
  traceparent: z.string().optional(),
});

same<Same<z.output<typeof PublicEvent>, PublicClientApplicationEvent>>();
same<Same<z.output<typeof EventMetadataSchema>, EventMetadata>>();
same<Same<z.output<typeof ActorSchema>, Actor>>();
