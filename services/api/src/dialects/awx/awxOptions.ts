import { ClientApplicationLimits as Limits } from "@clientapps/domain";
import { awxClientTypes, awxGrantTypes } from "./awxSchemas.js";

/*
 * What AWX answers to OPTIONS on a list, for the fields of an application: awxkit
 * builds its command-line options from it (`--name`, `--client_type`, …), and offers
 * `create` only when `actions.POST` is there.
 */

type FieldMetadata = Readonly<Record<string, unknown>>;

const choices = (values: readonly string[], labels: Readonly<Record<string, string>>): [string, string][] =>
  values.map((value) => [value, labels[value] ?? value]);

const grantChoices = choices(awxGrantTypes, {
  "authorization-code": "Authorization code",
  password: "Resource owner password-based (deprecated by OAuth 2.1)",
});
const clientTypeChoices = choices(awxClientTypes, { confidential: "Confidential", public: "Public" });

const writable: Readonly<Record<string, FieldMetadata>> = {
  name: { type: "string", required: true, label: "Name", max_length: Limits.displayNameMaxLength, help_text: "Name of this application." },
  description: { type: "string", required: false, label: "Description", max_length: Limits.descriptionMaxLength, default: "" },
  client_type: {
    type: "choice",
    required: true,
    label: "Client Type",
    help_text: "Set to Public or Confidential depending on how secure the client device is.",
    choices: clientTypeChoices,
  },
  redirect_uris: { type: "string", required: false, label: "Redirect URIs", help_text: "Allowed URIs list, space separated", default: "" },
  authorization_grant_type: {
    type: "choice",
    required: true,
    label: "Authorization Grant Type",
    help_text: "The Grant type the user must use to acquire tokens for this application.",
    choices: grantChoices,
  },
  skip_authorization: { type: "boolean", required: false, label: "Skip Authorization", default: false },
  organization: { type: "id", required: false, label: "Organization", help_text: "Organization containing this application." },
};

/** Fields a list can filter on are `filterable`; awxkit offers those as `awx applications list --<field>`. */
const filterable = new Set(["name", "client_id", "client_type", "authorization_grant_type", "organization"]);

const readOnly: Readonly<Record<string, FieldMetadata>> = {
  id: { type: "integer", label: "ID" },
  type: { type: "choice", label: "Type", choices: [["o_auth2_application", "Application"]] },
  url: { type: "string", label: "Url" },
  related: { type: "object", label: "Related" },
  summary_fields: { type: "object", label: "Summary fields" },
  created: { type: "datetime", label: "Created" },
  modified: { type: "datetime", label: "Modified" },
  client_id: { type: "string", label: "Client ID" },
  client_secret: { type: "string", label: "Client Secret" },
};

export const awxListOptions = (mayWrite: boolean): Readonly<Record<string, unknown>> => ({
  name: "Applications",
  description: "OAuth 2.0 client applications of the caller's workspace.",
  renders: ["application/json"],
  parses: ["application/json"],
  types: ["o_auth2_application"],
  actions: {
    GET: Object.fromEntries(
      Object.entries({ ...readOnly, ...writable }).map(([field, { required: _required, ...metadata }]) => [
        field,
        { ...metadata, filterable: filterable.has(field) },
      ]),
    ),
    ...(mayWrite ? { POST: writable } : {}),
  },
});
