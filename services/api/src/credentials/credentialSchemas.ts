import { apiKeyScopes, CredentialLimits } from "@clientapps/domain";
import { z } from "zod";
import { ClientApplicationResource, nameText, uniqueItems } from "../clientApplications/schemas.js";

const timestamp = z.iso.datetime().meta({ example: "2026-03-14T16:40:40.100Z" });

export const RotateSecretRequest = z
  .strictObject({
    gracePeriodSeconds: z
      .number()
      .int()
      .min(0)
      .max(CredentialLimits.maxGracePeriodSeconds)
      .default(0)
      .meta({ description: "How long the current secrets keep working; the server retires them afterwards on its own." }),
  })
  .meta({ id: "RotateSecretRequest" });

export const RotatedSecretResource = ClientApplicationResource.extend({
  clientSecret: z.string().meta({ description: "The new secret; shown in this response and never again." }),
}).meta({ id: "RotatedSecret" });

export const IssueApiKeyRequest = z
  .strictObject({
    name: nameText(CredentialLimits.apiKeyNameMaxLength),
    scopes: uniqueItems(z.array(z.enum(apiKeyScopes)).min(1).max(apiKeyScopes.length)),
    expiresOn: timestamp.nullable().optional().meta({ description: "When the key stops working, in the future; never, when absent." }),
  })
  .meta({
    id: "IssueApiKeyRequest",
    example: { name: "deploy pipeline", scopes: ["clientapps:read"], expiresOn: "2027-01-01T00:00:00.000Z" },
  });

export const ApiKeyResource = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    fingerprint: z.string(),
    status: z.enum(["active", "revoked", "expired"]),
    createdOn: timestamp,
    expiresOn: timestamp.nullable(),
    revokedOn: timestamp.nullable(),
  })
  .meta({ id: "ApiKey" });

export const IssuedApiKeyResource = ApiKeyResource.extend({
  key: z.string().meta({ description: "The key itself (ca_key_…); shown in this response and never again." }),
}).meta({ id: "IssuedApiKey" });
