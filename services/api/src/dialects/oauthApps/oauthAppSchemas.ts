import { ClientApplicationLimits as Limits, scopeTokenPattern } from "@clientapps/domain";
import { z } from "zod";
import { nameText, uniqueItems } from "../../clientApplications/schemas.js";
import { Cursor } from "../../http/routes/routeHeaders.js";

/*
 * The "OAuth apps" API of developer platforms: an app has a name (≤ 100), a
 * description (≤ 500), one redirect URI and scopes; its client id and secret never
 * change; only admins change apps. Shapes only, the rules are the decider's.
 */

const name = nameText(Limits.displayNameMaxLength);
const description = z.string().max(Limits.descriptionMaxLength);
const redirectUri = z.string().min(1).max(Limits.redirectUriMaxLength).meta({
  description: "Absolute, no fragment; https, loopback http (127.0.0.1, [::1]) or a reverse-domain private-use scheme (RFC 8252).",
});
const scopes = uniqueItems(z.array(z.string().max(Limits.scopeMaxLength).regex(scopeTokenPattern)).max(Limits.scopesMaxCount));

export const CreateOauthAppRequest = z
  .strictObject({ name, description: description.optional(), redirectUri, scopes: scopes.optional(), isActive: z.boolean().optional() })
  .meta({
    id: "CreateOauthAppRequest",
    example: { name: "Partner portal", redirectUri: "https://partners.example.com/callback", scopes: ["read:organization"] },
  });

export const UpdateOauthAppRequest = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    redirectUri: redirectUri.optional(),
    scopes: scopes.optional(),
    isActive: z.boolean().optional(),
    clientId: z.string().optional().meta({ description: "Immutable: may be echoed back unchanged." }),
    createdAt: z.unknown().optional().meta({ readOnly: true }),
    updatedAt: z.unknown().optional().meta({ readOnly: true }),
  })
  .meta({ id: "UpdateOauthAppRequest", description: "The fields present are set; the others keep their value." });

export const OauthApp = z
  .object({
    clientId: z.string(),
    name: z.string(),
    description: z.string(),
    redirectUri: z.string().nullable().meta({ description: "The first of the client's redirect URIs; null when it has none." }),
    scopes: z.array(z.string()),
    isActive: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "OauthApp" });

export const CreatedOauthApp = OauthApp.extend({
  clientSecret: z.string().meta({ description: "Shown in this response and never again." }),
}).meta({ id: "CreatedOauthApp" });

export type OauthApp = z.infer<typeof OauthApp>;

export const ListOauthAppsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: Cursor.optional(),
});
