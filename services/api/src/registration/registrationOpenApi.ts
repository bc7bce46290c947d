import { json } from "../openapi/openApiParts.js";

const rfcError = (description: string) => ({ description, content: json("RegistrationError") });
const clientId = { name: "client_id", in: "path", required: true, schema: { type: "string" } };
const registrationAccessToken = [{ registrationAccessToken: [] }];

/** OpenAPI paths of RFC 7591 registration and RFC 7592 management; errors in the RFCs' own format. */
export const registrationPaths = {
  "/api/v1/clientapplications/register": {
    post: {
      operationId: "registerClient",
      tags: ["Dynamic registration"],
      summary: "RFC 7591 dynamic client registration",
      description: "Needs a credential with clientapps:write or clientapps:register (an initial access token), unless open registration is configured.",
      parameters: [
        { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 } },
      ],
      requestBody: { required: true, content: json("ClientMetadataRequest") },
      responses: {
        "201": { description: "Registered; client_secret and registration_access_token are shown this once", content: json("ClientInformationResponse") },
        "400": rfcError("invalid_redirect_uri, invalid_client_metadata, invalid_software_statement or unapproved_software_statement"),
        "401": rfcError("invalid_token"),
        "403": rfcError("insufficient_scope"),
      },
    },
  },
  "/api/v1/clientapplications/register/{client_id}": {
    parameters: [clientId],
    get: {
      operationId: "readClientRegistration",
      tags: ["Dynamic registration"],
      summary: "RFC 7592 read, with the registration access token",
      security: registrationAccessToken,
      responses: { "200": { description: "The registered metadata", content: json("ClientInformationResponse") }, "401": rfcError("invalid_token") },
    },
    put: {
      operationId: "updateClientRegistration",
      tags: ["Dynamic registration"],
      summary: "RFC 7592 full replacement; answers with a new registration access token",
      security: registrationAccessToken,
      requestBody: { required: true, content: json("ClientUpdateRequest") },
      responses: {
        "200": { description: "Replaced; the old token stops working", content: json("ClientInformationResponse") },
        "400": rfcError("invalid_redirect_uri or invalid_client_metadata"),
        "401": rfcError("invalid_token"),
      },
    },
    delete: {
      operationId: "deleteClientRegistration",
      tags: ["Dynamic registration"],
      summary: "RFC 7592 deregistration",
      security: registrationAccessToken,
      responses: { "204": { description: "Deleted; every credential of the client stops working" }, "401": rfcError("invalid_token") },
    },
  },
};
