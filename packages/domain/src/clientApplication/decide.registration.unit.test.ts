import { describe, expect, it } from "vitest";
import { evolve, initialState, type ClientApplicationState, type RegistrationMetadata } from "./clientApplication.js";
import type { ClientApplicationCommand, RegisterClient } from "./commands.js";
import { ClientApplicationRejections } from "./decide.js";
import type { ClientApplicationEvent } from "./events.js";
import {
  aRegistration,
  aToken,
  at,
  clientId,
  deactivated,
  deleted,
  metadata,
  metadataReplaced,
  register,
  registered,
  registeredOn,
  registeredPublic,
  replaceRegistration,
  selfRegistered,
  spec,
  tokenRotated,
  updated,
  workspaceId,
} from "./testing/builders.js";

const { validationFailed, immutableField, notFound, deleted: clientDeleted } = ClientApplicationRejections;

type Violations = { field: string; code: string }[];

/** RegisterClient through RFC 7591, with the given metadata. */
const registerItself = (meta: RegistrationMetadata = metadata(), data: Partial<RegisterClient["data"]> = {}): RegisterClient =>
  register({ registration: { token: aToken("registration-1"), metadata: meta }, ...data });

const publicClient = { isConfidential: false, secret: null } as const;
const publicMetadata = metadata({ tokenEndpointAuthMethod: "none" });

describe("RegisterClient with a registration (RFC 7591)", () => {
  it("records the registration: the token's hash and fingerprint, issued now, and the metadata", () => {
    spec
      .given([])
      .when(registerItself())
      .then([registered({ registeredOn: at, registration: aRegistration({ tokenIssuedOn: at }) })]);
  });

  it("registers a public client authenticating with 'none' and using 'code'", () => {
    spec
      .given([])
      .when(registerItself(publicMetadata, publicClient))
      .then([registeredPublic({ registeredOn: at, registration: aRegistration({ tokenIssuedOn: at, metadata: publicMetadata }) })]);
  });

  it.each<[string, Partial<RegistrationMetadata>, Partial<RegisterClient["data"]>]>([
    ["client_secret_post", { tokenEndpointAuthMethod: "client_secret_post" }, {}],
    ["a client_credentials client without response types", { responseTypes: [] }, { redirectUris: [] }],
    ["the response types 'code' and 'none'", { responseTypes: ["code", "none"] }, {}],
    [
      "every URI, https",
      {
        clientUri: "https://example.com",
        logoUri: "https://example.com/logo.png",
        tosUri: "https://example.com/tos",
        policyUri: "https://example.com/privacy",
        jwksUri: "https://example.com/jwks.json",
      },
      {},
    ],
    ["a 2000-character URI", { clientUri: `https://example.com/${"a".repeat(1980)}` }, {}],
    ["a JWK set given by value", { jwks: { keys: [{ kty: "EC", crv: "P-256", x: "x", y: "y" }] } }, {}],
    ["20 contacts", { contacts: Array.from({ length: 20 }, (_, index) => `ops${index}@example.com`) }, {}],
    ["a 255-character software id and version", { softwareId: "s".repeat(255), softwareVersion: "v".repeat(255) }, {}],
  ])("accepts %s", (_, overrides, data) => {
    const meta = metadata(overrides);
    const grantTypes = data.redirectUris?.length === 0 ? { grantTypes: ["client_credentials"] } : {};
    spec
      .given([])
      .when(registerItself(meta, data))
      .then([registered({ registeredOn: at, ...data, ...grantTypes, registration: aRegistration({ tokenIssuedOn: at, metadata: meta }) })]);
  });

  it.each<[string, Partial<RegistrationMetadata>, Partial<RegisterClient["data"]>, Violations]>([
    [
      "an unsupported token endpoint auth method",
      { tokenEndpointAuthMethod: "private_key_jwt" },
      {},
      [{ field: "tokenEndpointAuthMethod", code: "unsupported" }],
    ],
    [
      "'none' for a confidential client",
      { tokenEndpointAuthMethod: "none" },
      {},
      [{ field: "tokenEndpointAuthMethod", code: "inconsistent" }],
    ],
    ["a secret method for a public client", {}, publicClient, [{ field: "tokenEndpointAuthMethod", code: "inconsistent" }]],
    [
      "the response type 'token' (implicit)",
      { responseTypes: ["code", "token"] },
      {},
      [{ field: "responseTypes/1", code: "forbidden_response_type" }],
    ],
    [
      "an unknown response type",
      { responseTypes: ["code", "id_token"] },
      {},
      [{ field: "responseTypes/1", code: "unsupported_response_type" }],
    ],
    [
      "'code' without the authorization_code grant",
      { responseTypes: ["code"] },
      { redirectUris: [], grantTypes: ["client_credentials"] },
      [{ field: "responseTypes", code: "inconsistent" }],
    ],
    ["the authorization_code grant without 'code'", { responseTypes: ["none"] }, {}, [{ field: "responseTypes", code: "inconsistent" }]],
    ["the authorization_code grant without response types", { responseTypes: [] }, {}, [{ field: "responseTypes", code: "inconsistent" }]],
    [
      "jwks and jwks_uri together",
      { jwks: { keys: [] }, jwksUri: "https://example.com/jwks.json" },
      {},
      [{ field: "jwks", code: "conflict" }],
    ],
    [
      "21 contacts",
      { contacts: Array.from({ length: 21 }, (_, index) => `ops${index}@example.com`) },
      {},
      [{ field: "contacts", code: "too_many" }],
    ],
    ["an empty contact", { contacts: ["ops@example.com", ""] }, {}, [{ field: "contacts/1", code: "invalid_length" }]],
    ["a 256-character software id", { softwareId: "s".repeat(256) }, {}, [{ field: "softwareId", code: "too_long" }]],
    ["a 256-character software version", { softwareVersion: "v".repeat(256) }, {}, [{ field: "softwareVersion", code: "too_long" }]],
    ["a 2001-character URI", { clientUri: `https://example.com/${"a".repeat(1981)}` }, {}, [{ field: "clientUri", code: "invalid_uri" }]],
  ])("refuses %s", (_, overrides, data, violations) => {
    spec
      .given([])
      .when(registerItself(metadata(overrides), data))
      .thenRejects(validationFailed, violations);
  });

  const uriFields = ["clientUri", "logoUri", "tosUri", "policyUri", "jwksUri"] as const;
  it.each(
    uriFields.flatMap((field) => [
      [field, "an http URI", "http://example.com/x"],
      [field, "a relative URI", "/x"],
      [field, "a URI of another scheme", "javascript:alert(1)"],
    ]),
  )("refuses as %s %s", (field, _, uri) => {
    spec
      .given([])
      .when(registerItself(metadata({ [field]: uri })))
      .thenRejects(validationFailed, [{ field, code: "invalid_uri" }]);
  });

  it("reports metadata violations together with those of the core fields", () => {
    spec
      .given([])
      .when(registerItself(metadata({ tokenEndpointAuthMethod: "none", logoUri: "http://example.com/logo.png" }), { displayName: "" }))
      .thenRejects(validationFailed, [
        { field: "displayName", code: "required" },
        { field: "tokenEndpointAuthMethod", code: "inconsistent" },
        { field: "logoUri", code: "invalid_uri" },
      ]);
  });
});

describe("ReplaceRegistration (RFC 7592)", () => {
  const newMetadata = metadata({ clientUri: "https://example.com", contacts: ["ops@example.com"] });

  it("rotates the registration token even when nothing else changes", () => {
    spec.given([selfRegistered()]).when(replaceRegistration()).then([tokenRotated()]);
  });

  it("replaces the core fields, recording their previous values", () => {
    spec
      .given([selfRegistered()])
      .when(replaceRegistration({ changes: { displayName: "Renamed", scopes: [] } }))
      .then([
        updated({ displayName: "Renamed", scopes: [] }, { displayName: "Awork integration", scopes: ["read:organization"] }),
        tokenRotated(),
      ]);
  });

  it("replaces the metadata when it differs", () => {
    spec
      .given([selfRegistered()])
      .when(replaceRegistration({ metadata: newMetadata }))
      .then([metadataReplaced(newMetadata), tokenRotated()]);
  });

  it("replaces core fields and metadata together", () => {
    const meta = metadata({ responseTypes: [] });
    spec
      .given([selfRegistered()])
      .when(replaceRegistration({ changes: { redirectUris: [], grantTypes: ["client_credentials"] }, metadata: meta }))
      .then([
        updated(
          { redirectUris: [], grantTypes: ["client_credentials"] },
          { redirectUris: ["https://app.example.com/callback"], grantTypes: ["authorization_code", "refresh_token"] },
        ),
        metadataReplaced(meta),
        tokenRotated(),
      ]);
  });

  it("accepts the immutable fields echoed back unchanged", () => {
    spec
      .given([selfRegistered()])
      .when(replaceRegistration({ immutable: { workspaceId, clientId, isConfidential: true } }))
      .then([tokenRotated()]);
  });

  it("leaves the fields it does not manage, and the client's activity, alone", () => {
    spec
      .given([selfRegistered({ description: "Syncs projects", skipAuthorization: true }), deactivated()])
      .when(replaceRegistration())
      .then([tokenRotated()]);
  });

  it.each<[string, Parameters<typeof replaceRegistration>[0], Violations]>([
    ["a change of client id", { immutable: { clientId: "other" } }, [{ field: "clientId", code: "immutable" }]],
    ["a change of confidentiality", { immutable: { isConfidential: false } }, [{ field: "isConfidential", code: "immutable" }]],
    [
      "a change of confidentiality, even with metadata fit for a public client",
      { immutable: { isConfidential: false }, metadata: publicMetadata },
      [{ field: "isConfidential", code: "immutable" }],
    ],
  ])("refuses %s", (_, replacement, violations) => {
    spec.given([selfRegistered()]).when(replaceRegistration(replacement)).thenRejects(immutableField, violations);
  });

  it.each<[string, Parameters<typeof replaceRegistration>[0], Violations]>([
    ["'none' for a confidential client", { metadata: publicMetadata }, [{ field: "tokenEndpointAuthMethod", code: "inconsistent" }]],
    ["an http logo URI", { metadata: metadata({ logoUri: "http://example.com/logo.png" }) }, [{ field: "logoUri", code: "invalid_uri" }]],
    [
      "the implicit response type",
      { metadata: metadata({ responseTypes: ["token"] }) },
      [
        { field: "responseTypes/0", code: "forbidden_response_type" },
        { field: "responseTypes", code: "inconsistent" },
      ],
    ],
    [
      "grant types that no longer agree with the response types",
      { changes: { redirectUris: [], grantTypes: ["client_credentials"] } },
      [{ field: "responseTypes", code: "inconsistent" }],
    ],
    [
      "invalid metadata and core fields together",
      { changes: { displayName: "" }, metadata: metadata({ jwks: { keys: [] }, jwksUri: "https://example.com/jwks.json" }) },
      [
        { field: "jwks", code: "conflict" },
        { field: "displayName", code: "required" },
      ],
    ],
  ])("refuses %s", (_, replacement, violations) => {
    spec.given([selfRegistered()]).when(replaceRegistration(replacement)).thenRejects(validationFailed, violations);
  });

  it("refuses a client made by an administrator, which has no registration", () => {
    spec.given([registered()]).when(replaceRegistration()).thenRejects(notFound, []);
  });

  it.each<[string, ClientApplicationCommand]>([
    ["a valid replacement", replaceRegistration()],
    ["an invalid replacement", replaceRegistration({ immutable: { clientId: "other" }, metadata: publicMetadata })],
  ])("refuses %s on a client never registered, or deleted", (_, command) => {
    spec.given([]).when(command).thenRejects(notFound, []);
    spec.given([selfRegistered(), deleted()]).when(command).thenRejects(clientDeleted, []);
  });
});

describe("evolve: registration", () => {
  const fold = (events: readonly ClientApplicationEvent[]): ClientApplicationState => events.reduce(evolve, initialState());
  const clientOf = (events: readonly ClientApplicationEvent[]) => {
    const state = fold(events);
    if (state.status !== "registered") throw new Error(`expected a registered client, got ${state.status}`);
    return state.client;
  };

  it("ClientRegistered keeps the registration", () => {
    expect(clientOf([selfRegistered()]).registration).toEqual(aRegistration());
  });

  it("RegistrationTokenRotated replaces the token's hash, fingerprint and issue time, keeping the metadata", () => {
    const token = aToken("registration-2");
    expect(clientOf([selfRegistered(), tokenRotated()]).registration).toEqual({
      tokenHash: token.hash,
      tokenFingerprint: token.fingerprint,
      tokenIssuedOn: at,
      metadata: metadata(),
    });
  });

  it("RegistrationMetadataReplaced replaces the metadata and updatedOn, keeping the token", () => {
    const meta = metadata({ softwareId: "awork-sync", softwareVersion: "2.1.0" });
    const client = clientOf([selfRegistered(), metadataReplaced(meta)]);
    expect(client.registration).toEqual(aRegistration({ metadata: meta }));
    expect(client.updatedOn).toBe(at);
    expect(client.createdOn).toBe(registeredOn);
  });

  it.each([
    ["RegistrationTokenRotated", tokenRotated()],
    ["RegistrationMetadataReplaced", metadataReplaced(metadata({ softwareId: "x" }))],
  ])("%s gives a client made by an administrator no registration", (_, event) => {
    expect(clientOf([registered(), event])).toEqual(clientOf([registered()]));
  });

  it.each([
    ["RegistrationTokenRotated", tokenRotated()],
    ["RegistrationMetadataReplaced", metadataReplaced(metadata({ softwareId: "x" }))],
  ])("%s changes neither an absent nor a deleted client", (_, event) => {
    expect(evolve(initialState(), event)).toEqual({ status: "absent" });
    const gone = fold([selfRegistered(), deleted()]);
    expect(evolve(gone, event)).toEqual(gone);
  });
});
