import { ClientApplicationLimits as Limits } from "@clientapps/domain";
import { z } from "zod";
import { nameText } from "../../clientApplications/schemas.js";

/*
 * Ansible AWX's `/api/v2/applications/` (AWX 24), field for field. Shapes only:
 * the rules are the decider's, as for every other entry point.
 */

/** AWX's grant types; `password` (the resource owner password grant) is deprecated by OAuth 2.1 and accepted for compatibility. */
export const awxGrantTypes = ["authorization-code", "password"] as const;
export const awxClientTypes = ["confidential", "public"] as const;

export const awxTag = "AWX dialect";

/** What AWX shows for a secret that is not shown again. */
export const hiddenSecret = "************";

const name = nameText(Limits.displayNameMaxLength);
const description = z.string().max(Limits.descriptionMaxLength);
const redirectUris = z
  .string()
  .max(Limits.redirectUriMaxLength * Limits.redirectUrisMaxCount)
  .meta({
    description: "Space-separated; each absolute, without fragment (see the core API's rules).",
  });
const organization = z
  .number()
  .int()
  .meta({ description: "The caller's workspace, as `/api/v2/me/` and every application's `organization` show it." });

export const AwxApplicationCreate = z
  .strictObject({
    name,
    description: description.optional(),
    client_type: z.enum(awxClientTypes),
    redirect_uris: redirectUris.optional(),
    authorization_grant_type: z.enum(awxGrantTypes),
    skip_authorization: z.boolean().optional(),
    organization: organization.optional(),
  })
  .meta({
    id: "AwxApplicationCreate",
    example: {
      name: "Deploy bot",
      client_type: "confidential",
      authorization_grant_type: "authorization-code",
      redirect_uris: "https://deploy.example.com/callback",
      organization: 1,
    },
  });

/** Fields AWX shows that a PUT or PATCH may echo back; read-only, ignored. */
const readOnly = {
  id: z.unknown().optional().meta({ readOnly: true }),
  type: z.unknown().optional().meta({ readOnly: true }),
  url: z.unknown().optional().meta({ readOnly: true }),
  related: z.unknown().optional().meta({ readOnly: true }),
  summary_fields: z.unknown().optional().meta({ readOnly: true }),
  created: z.unknown().optional().meta({ readOnly: true }),
  modified: z.unknown().optional().meta({ readOnly: true }),
  client_id: z.unknown().optional().meta({ readOnly: true }),
  client_secret: z.unknown().optional().meta({ readOnly: true }),
};

/** PUT: AWX's required fields are required again; the others return to their defaults when absent. */
export const AwxApplicationReplace = AwxApplicationCreate.extend(readOnly).meta({ id: "AwxApplicationReplace" });

export const AwxApplicationPatch = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    client_type: z.enum(awxClientTypes).optional(),
    redirect_uris: redirectUris.optional(),
    authorization_grant_type: z.enum(awxGrantTypes).optional(),
    skip_authorization: z.boolean().optional(),
    organization: organization.optional(),
    ...readOnly,
  })
  .meta({ id: "AwxApplicationPatch" });

export type AwxApplicationPatch = z.infer<typeof AwxApplicationPatch>;

export const AwxOrganizationSummary = z.object({ id: z.number().int(), name: z.string(), description: z.string() });

export const AwxApplication = z
  .object({
    id: z.number().int(),
    type: z.literal("o_auth2_application"),
    url: z.string(),
    related: z.object({ activity_stream: z.string(), tokens: z.string() }),
    summary_fields: z.object({
      organization: AwxOrganizationSummary,
      user_capabilities: z.object({ edit: z.boolean(), delete: z.boolean() }),
      tokens: z.object({
        count: z.number().int(),
        results: z.array(z.object({ id: z.number().int(), token: z.string(), scope: z.string() })),
      }),
    }),
    created: z.string(),
    modified: z.string(),
    name: z.string(),
    description: z.string(),
    client_id: z.string(),
    client_secret: z
      .string()
      .meta({ description: "The secret in the create response of a confidential client only; then `************`." }),
    client_type: z.enum(awxClientTypes),
    redirect_uris: z.string(),
    authorization_grant_type: z.string().meta({
      description: "`authorization-code` or `password`; `client-credentials` for a client made elsewhere with that grant only.",
    }),
    skip_authorization: z.boolean(),
    organization: z.number().int(),
  })
  .meta({ id: "AwxApplication" });

export type AwxApplication = z.infer<typeof AwxApplication>;

const orderFields = ["id", "name", "description", "client_id", "client_type", "created", "modified"] as const;
export type AwxOrderField = (typeof orderFields)[number];

const orderBy = z
  .string()
  .regex(new RegExp(`^-?(${orderFields.join("|")})(,-?(${orderFields.join("|")}))*$`))
  .meta({ description: `Comma-separated fields, '-' first for descending: ${orderFields.join(", ")}.` });

export const AwxListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(25),
  search: z.string().min(1).max(Limits.displayNameMaxLength).optional().meta({ description: "Name or description contains." }),
  order_by: orderBy.optional(),
  name: z.string().min(1).max(Limits.displayNameMaxLength).optional(),
  client_id: z.string().min(1).max(Limits.clientIdMaxLength).optional(),
  client_type: z.enum(awxClientTypes).optional(),
  authorization_grant_type: z.string().min(1).max(50).optional(),
  organization: z.coerce.number().int().optional(),
});

export type AwxListQuery = z.infer<typeof AwxListQuery>;

/** AWX's page: a count, links to the neighbouring pages, and the results. */
export const awxPage = <Item extends z.ZodType>(item: Item) =>
  z.object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });

export const AwxItemParams = z.object({ id: z.coerce.number().int().min(1) });
