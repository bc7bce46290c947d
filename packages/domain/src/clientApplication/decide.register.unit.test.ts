import { describe, it } from "vitest";
import type { RegisterClient } from "./commands.js";
import { ClientApplicationRejections } from "./decide.js";
import type { ClientRegistered } from "./events.js";
import { supportedGrantTypes } from "./limits.js";
import {
  aSecret,
  at,
  deactivated,
  deleted,
  redirectUris,
  register,
  registered,
  registeredPublic,
  scopes,
  spec,
} from "./testing/builders.js";

const { validationFailed, alreadyExists } = ClientApplicationRejections;

/** The event registering now produces. */
const registeredNow = (overrides: Partial<ClientRegistered["data"]> = {}): ClientRegistered =>
  registered({ registeredOn: at, ...overrides });

const registerPublic = (data: Partial<RegisterClient["data"]> = {}): RegisterClient =>
  register({ isConfidential: false, secret: null, ...data });

describe("RegisterClient", () => {
  describe("accepted", () => {
    it("registers a confidential client with the defaults and its first secret", () => {
      spec.given([]).when(register()).then([registeredNow()]);
    });

    it("keeps every field the caller gives", () => {
      const data = {
        displayName: "Build server",
        description: "Deploys on merge",
        redirectUris: ["https://ci.example.com/oauth", "http://127.0.0.1:8080/cb"],
        grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
        scopes: ["read:organization", "write:projects"],
        skipAuthorization: true,
        isActive: false,
      };
      spec
        .given([])
        .when(register(data))
        .then([registeredNow(data)]);
    });

    it("registers a public client without a secret, using the authorization code flow", () => {
      spec
        .given([])
        .when(registerPublic({ redirectUris: ["com.example.app:/callback"] }))
        .then([registeredPublic({ registeredOn: at, redirectUris: ["com.example.app:/callback"] })]);
    });

    it("gives a confidential client without redirect URIs the client_credentials grant", () => {
      spec
        .given([])
        .when(register({ redirectUris: [] }))
        .then([registeredNow({ redirectUris: [], grantTypes: ["client_credentials"] })]);
    });

    it("treats absent redirect URIs as none", () => {
      spec
        .given([])
        .when(register({ redirectUris: undefined }))
        .then([registeredNow({ redirectUris: [], grantTypes: ["client_credentials"] })]);
    });

    it("accepts a confidential client_credentials client without redirect URIs", () => {
      spec
        .given([])
        .when(register({ redirectUris: [], grantTypes: ["client_credentials"] }))
        .then([registeredNow({ redirectUris: [], grantTypes: ["client_credentials"] })]);
    });

    it.each([
      ["a 100-character display name", { displayName: "a".repeat(100) }],
      ["a display name of 100 emoji (counted as characters, not UTF-16 units)", { displayName: "🚀".repeat(100) }],
      ["a 500-character description", { description: "d".repeat(500) }],
      ["a description of 500 emoji", { description: "🚀".repeat(500) }],
      ["a multi-line description", { description: "line one\nline two" }],
      ["a display name with non-ASCII letters", { displayName: "Zürich Ωmega 東京" }],
      ["no scopes", { scopes: [] }],
      ["100 scopes", { scopes: scopes(100) }],
      ["a 200-character scope", { scopes: ["s".repeat(200)] }],
      ["50 redirect URIs", { redirectUris: redirectUris(50) }],
      ["loopback and native redirect URIs", { redirectUris: ["http://127.0.0.1:51004/cb", "http://[::1]/cb", "com.example.app:/cb"] }],
      ["every supported grant type", { grantTypes: supportedGrantTypes }],
    ] as const)("accepts %s", (_, data) => {
      spec
        .given([])
        .when(register(data))
        .then([registeredNow(data)]);
    });

    it.each([
      ["a 64-character client id", "c".repeat(64)],
      ["a client id using every allowed character", "0aZ._~-"],
    ])("accepts %s", (_, id) => {
      spec
        .given([])
        .when(register({ clientId: id }))
        .then([registeredNow({ clientId: id })]);
    });
  });

  describe("rejected", () => {
    it("refuses a client id that is already registered", () => {
      spec.given([registered()]).when(register()).thenRejects(alreadyExists);
    });

    it("refuses a client id that is already registered, even an inactive one", () => {
      spec.given([registered(), deactivated()]).when(register()).thenRejects(alreadyExists);
    });

    it("never reuses the client id of a deleted client", () => {
      spec.given([registered(), deleted()]).when(register()).thenRejects(alreadyExists);
    });

    it.each<[string, Partial<RegisterClient["data"]>, { field: string; code: string }[]]>([
      ["an empty display name", { displayName: "" }, [{ field: "displayName", code: "required" }]],
      ["a blank display name", { displayName: " \t " }, [{ field: "displayName", code: "required" }]],
      ["a 101-character display name", { displayName: "a".repeat(101) }, [{ field: "displayName", code: "too_long" }]],
      ["a display name of 101 emoji", { displayName: "🚀".repeat(101) }, [{ field: "displayName", code: "too_long" }]],
      ["a display name with a control character", { displayName: "Bell\u0007" }, [{ field: "displayName", code: "invalid_characters" }]],
      ["a display name with a line break", { displayName: "two\nlines" }, [{ field: "displayName", code: "invalid_characters" }]],
      ["a display name with DEL", { displayName: "del\u007F" }, [{ field: "displayName", code: "invalid_characters" }]],
      ["a 501-character description", { description: "d".repeat(501) }, [{ field: "description", code: "too_long" }]],
      ["a description of 501 emoji", { description: "🚀".repeat(501) }, [{ field: "description", code: "too_long" }]],
      ["an empty client id", { clientId: "" }, [{ field: "clientId", code: "required" }]],
      ["a 65-character client id", { clientId: "c".repeat(65) }, [{ field: "clientId", code: "too_long" }]],
      ["a client id starting with a dash", { clientId: "-integration" }, [{ field: "clientId", code: "invalid_format" }]],
      ["a client id with a space", { clientId: "my client" }, [{ field: "clientId", code: "invalid_format" }]],
      ["a client id with a colon", { clientId: "ws:client" }, [{ field: "clientId", code: "invalid_format" }]],
      ["a client id with a slash", { clientId: "a/b" }, [{ field: "clientId", code: "invalid_format" }]],
      ["a client id with a non-ASCII letter", { clientId: "zürich" }, [{ field: "clientId", code: "invalid_format" }]],
      ["an invalid workspace id", { workspaceId: "../other" }, [{ field: "workspaceId", code: "invalid_format" }]],
      [
        "a public client without redirect URIs",
        { isConfidential: false, secret: null, redirectUris: [] },
        [{ field: "redirectUris", code: "required" }],
      ],
      [
        "a confidential authorization_code client without redirect URIs",
        { redirectUris: [], grantTypes: ["authorization_code", "refresh_token"] },
        [{ field: "redirectUris", code: "required" }],
      ],
      [
        "a public client with the client_credentials grant",
        { isConfidential: false, secret: null, grantTypes: ["authorization_code", "client_credentials"] },
        [{ field: "grantTypes", code: "public_client_credentials" }],
      ],
      ["the implicit grant", { grantTypes: ["implicit"] }, [{ field: "grantTypes/0", code: "forbidden_grant_type" }]],
      ["the password grant", { grantTypes: ["authorization_code", "password"] }, [{ field: "grantTypes/1", code: "forbidden_grant_type" }]],
      ["an unknown grant type", { grantTypes: ["magic_link"] }, [{ field: "grantTypes/0", code: "unsupported_grant_type" }]],
      ["no grant type", { grantTypes: [] }, [{ field: "grantTypes", code: "required" }]],
      [
        "a grant type listed twice",
        { grantTypes: ["authorization_code", "refresh_token", "authorization_code"] },
        [{ field: "grantTypes/2", code: "duplicate" }],
      ],
      ["a scope listed twice", { scopes: ["read", "write", "read"] }, [{ field: "scopes/2", code: "duplicate" }]],
      [
        "a redirect URI listed twice",
        { redirectUris: ["https://a.example/cb", "https://a.example/cb"] },
        [{ field: "redirectUris/1", code: "duplicate" }],
      ],
      ["a scope with a space", { scopes: ["read write"] }, [{ field: "scopes/0", code: "invalid_format" }]],
      ["a scope with a quote", { scopes: ['say"hi'] }, [{ field: "scopes/0", code: "invalid_format" }]],
      ["a scope with a backslash", { scopes: ["a\\b"] }, [{ field: "scopes/0", code: "invalid_format" }]],
      ["an empty scope", { scopes: ["read", ""] }, [{ field: "scopes/1", code: "invalid_format" }]],
      ["a non-ASCII scope", { scopes: ["lesen:größe"] }, [{ field: "scopes/0", code: "invalid_format" }]],
      ["a 201-character scope", { scopes: ["s".repeat(201)] }, [{ field: "scopes/0", code: "too_long" }]],
      ["101 scopes", { scopes: scopes(101) }, [{ field: "scopes", code: "too_many" }]],
      ["51 redirect URIs", { redirectUris: redirectUris(51) }, [{ field: "redirectUris", code: "too_many" }]],
      [
        "an invalid redirect URI, named by its position",
        { redirectUris: ["https://a.example/cb", "http://a.example/cb"] },
        [{ field: "redirectUris/1", code: "insecure_scheme" }],
      ],
      ["a confidential client without a secret", { secret: null }, [{ field: "secret", code: "required" }]],
      ["a public client with a secret", { isConfidential: false, secret: aSecret() }, [{ field: "secret", code: "forbidden" }]],
    ])("refuses %s", (_, data, violations) => {
      spec.given([]).when(register(data)).thenRejects(validationFailed, violations);
    });

    it("reports every violation at once", () => {
      spec
        .given([])
        .when(
          register({
            clientId: "-bad",
            displayName: "",
            description: "d".repeat(501),
            redirectUris: ["http://example.com/cb", "https://ok.example/cb#frag"],
            grantTypes: ["implicit", "authorization_code", "authorization_code"],
            scopes: ["read write", "read write"],
            secret: null,
          }),
        )
        .thenRejects(validationFailed, [
          { field: "clientId", code: "invalid_format" },
          { field: "displayName", code: "required" },
          { field: "description", code: "too_long" },
          { field: "redirectUris/0", code: "insecure_scheme" },
          { field: "redirectUris/1", code: "fragment" },
          { field: "grantTypes/0", code: "forbidden_grant_type" },
          { field: "grantTypes/2", code: "duplicate" },
          { field: "scopes/0", code: "invalid_format" },
          { field: "scopes/1", code: "invalid_format" },
          { field: "scopes/1", code: "duplicate" },
          { field: "secret", code: "required" },
        ]);
    });

    it("reports a public client's missing redirect URI, forbidden grant and secret together", () => {
      spec
        .given([])
        .when(registerPublic({ redirectUris: [], grantTypes: ["client_credentials"], secret: aSecret() }))
        .thenRejects(validationFailed, [
          { field: "redirectUris", code: "required" },
          { field: "grantTypes", code: "public_client_credentials" },
          { field: "secret", code: "forbidden" },
        ]);
    });
  });
});
