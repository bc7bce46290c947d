import { ClientApplicationLimits as Limits } from "@clientapps/domain";
import { z } from "zod";

const uri = z.string().max(2000);
/** A JWK Set (RFC 7517 §5): an object with a "keys" array of JWKs. */
const jwkSet = z.looseObject({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(20) });

/** Members the server issues (RFC 7592 §2.2): a client must not send them, not even back in an update. */
const issuedByServer = z.never({ error: "is issued by the server and must not be sent (RFC 7592 §2.2)" }).optional();
const serverIssued = {
  registration_access_token: issuedByServer,
  registration_client_uri: issuedByServer,
  client_secret_expires_at: issuedByServer,
  client_id_issued_at: issuedByServer,
};

/**
 * RFC 7591 §2 client metadata. Members this server does not understand are
 * ignored, as §2 requires; the ones it understands must have the right shape.
 */
export const ClientMetadataRequest = z
  .object({
    redirect_uris: z.array(uri).max(Limits.redirectUrisMaxCount).optional(),
    token_endpoint_auth_method: z.string().max(100).optional(),
    grant_types: z.array(z.string().max(200)).max(10).optional(),
    response_types: z.array(z.string().max(100)).max(10).optional(),
    client_name: z.string().min(1).max(Limits.displayNameMaxLength).optional(),
    client_uri: uri.optional(),
    logo_uri: uri.optional(),
    scope: z
      .string()
      .max(Limits.scopesMaxCount * (Limits.scopeMaxLength + 1))
      .optional()
      .meta({ description: "Space-separated scope values." }),
    contacts: z.array(z.string().max(320)).max(20).optional(),
    tos_uri: uri.optional(),
    policy_uri: uri.optional(),
    jwks_uri: uri.optional(),
    jwks: jwkSet.optional(),
    software_id: z.string().max(255).optional(),
    software_version: z.string().max(255).optional(),
    software_statement: z
      .never({ error: "is not accepted: this server trusts no software statement issuer" })
      .optional()
      .meta({
        description:
          "RFC 7591 §2.3. Refused: no issuer is trusted " +
          "(unapproved_software_statement, or invalid_software_statement when it is not a signed JWT).",
      }),
    ...serverIssued,
  })
  .meta({ id: "ClientMetadataRequest" });

/** RFC 7592 §2.2: an update carries the client_id, may carry the current secret, and nothing the server issues. */
export const ClientUpdateRequest = ClientMetadataRequest.extend({
  client_id: z.string().min(1),
  client_secret: z.string().optional(),
}).meta({ id: "ClientUpdateRequest" });

export type ClientMetadataRequest = z.infer<typeof ClientMetadataRequest>;

export const ClientInformationResponse = z
  .object({
    client_id: z.string(),
    client_secret: z.string().optional(),
    client_id_issued_at: z.number().int(),
    client_secret_expires_at: z.number().int().optional().meta({ description: "0: the secret does not expire." }),
    registration_access_token: z.string().optional(),
    registration_client_uri: z.string(),
    redirect_uris: z.array(z.string()),
    token_endpoint_auth_method: z.string(),
    grant_types: z.array(z.string()),
    response_types: z.array(z.string()),
    client_name: z.string(),
    scope: z.string().optional(),
    client_uri: z.string().optional(),
    logo_uri: z.string().optional(),
    contacts: z.array(z.string()).optional(),
    tos_uri: z.string().optional(),
    policy_uri: z.string().optional(),
    jwks_uri: z.string().optional(),
    jwks: jwkSet.optional(),
    software_id: z.string().optional(),
    software_version: z.string().optional(),
  })
  .meta({ id: "ClientInformationResponse" });

export const RegistrationError = z
  .object({
    error: z.enum([
      "invalid_redirect_uri",
      "invalid_client_metadata",
      "invalid_software_statement",
      "unapproved_software_statement",
      "invalid_token",
      "insufficient_scope",
      "invalid_request",
    ]),
    error_description: z.string(),
  })
  .meta({ id: "RegistrationError" });
