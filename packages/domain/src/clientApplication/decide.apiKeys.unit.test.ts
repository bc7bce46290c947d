import { describe, expect, it } from "vitest";
import { evolve, initialState, isApiKeyLive, type ClientApplicationState } from "./clientApplication.js";
import type { ClientApplicationCommand, IssueApiKey } from "./commands.js";
import { CredentialRejections } from "./credentials.js";
import { ClientApplicationRejections } from "./decide.js";
import type { ClientApplicationEvent } from "./events.js";
import { apiKeyScopes } from "./limits.js";
import {
  after,
  apiKeyState,
  at,
  deactivated,
  deleted,
  expireKey,
  issueKey,
  keyExpired,
  keyIssued,
  keyRevoked,
  keysIssued,
  now,
  registered,
  registeredOn,
  registeredPublic,
  revokeKey,
  spec,
} from "./testing/builders.js";

const { validationFailed, clientInactive, tooManyApiKeys, apiKeyNotFound, apiKeyNotDue } = CredentialRejections;
const { notFound, deleted: clientDeleted } = ClientApplicationRejections;

/** A key issued before now that stops working at `expiresOn`. */
const issuedExpiring = (expiresOn: string, keyId = "key-1") => keyIssued({ keyId, createdOn: registeredOn, expiresOn });

describe("IssueApiKey", () => {
  describe("accepted", () => {
    it("issues a key that never expires, created now", () => {
      spec.given([registered()]).when(issueKey()).then([keyIssued()]);
    });

    it("issues a key with the expiry given", () => {
      const expiresOn = after(86_400);
      spec
        .given([registered()])
        .when(issueKey({ expiresOn }))
        .then([keyIssued({ expiresOn })]);
    });

    it.each([
      ["without milliseconds", "2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000Z"],
      ["with microseconds", "2030-01-01T00:00:00.123456Z", "2030-01-01T00:00:00.123Z"],
      ["with an offset", "2030-01-01T02:00:00+02:00", "2030-01-01T00:00:00.000Z"],
    ])("records an expiry given %s in the canonical form of every other timestamp", (_, given, recorded) => {
      spec
        .given([registered()])
        .when(issueKey({ expiresOn: given }))
        .then([keyIssued({ expiresOn: recorded })]);
    });

    it.each<[string, Partial<IssueApiKey["data"]>]>([
      ["a 100-character name", { name: "n".repeat(100) }],
      ["a name of 100 emoji (counted as characters)", { name: "🔑".repeat(100) }],
      ["every API key scope", { scopes: [...apiKeyScopes] }],
      ["an expiry one millisecond from now", { expiresOn: new Date(now.getTime() + 1).toISOString() }],
    ])("accepts %s", (_, data) => {
      spec
        .given([registered()])
        .when(issueKey(data))
        .then([keyIssued(data)]);
    });

    it("issues a key to a public client", () => {
      spec.given([registeredPublic()]).when(issueKey()).then([keyIssued()]);
    });

    it("issues a 100th working key", () => {
      spec
        .given([registered(), ...keysIssued(99)])
        .when(issueKey({ keyId: "key-99" }))
        .then([keyIssued({ keyId: "key-99" })]);
    });

    it.each<[string, ClientApplicationEvent[]]>([
      ["a revoked one", [...keysIssued(100), keyRevoked("key-0", registeredOn)]],
      ["one whose expiry has passed, not yet recorded", [...keysIssued(99), issuedExpiring(after(-1), "key-99")]],
      ["one expiring exactly now", [...keysIssued(99), issuedExpiring(at, "key-99")]],
      ["one whose expiry is recorded", [...keysIssued(99), issuedExpiring(after(-1), "key-99"), keyExpired("key-99", after(-1))]],
    ])("does not count %s among the 100 working keys", (_, keys) => {
      spec
        .given([registered(), ...keys])
        .when(issueKey({ keyId: "key-new" }))
        .then([keyIssued({ keyId: "key-new" })]);
    });
  });

  describe("rejected", () => {
    it.each<[string, Partial<IssueApiKey["data"]>, { field: string; code: string }[]]>([
      ["an empty name", { name: "" }, [{ field: "name", code: "required" }]],
      ["a blank name", { name: "   " }, [{ field: "name", code: "required" }]],
      ["a name with a control character", { name: "deploy\u0007key" }, [{ field: "name", code: "invalid_characters" }]],
      ["a 101-character name", { name: "n".repeat(101) }, [{ field: "name", code: "too_long" }]],
      ["a name of 101 emoji", { name: "🔑".repeat(101) }, [{ field: "name", code: "too_long" }]],
      ["no scopes", { scopes: [] }, [{ field: "scopes", code: "required" }]],
      ["an unknown scope", { scopes: ["clientapps:read", "clientapps:delete"] }, [{ field: "scopes/1", code: "unknown_scope" }]],
      ["an OAuth scope of the client", { scopes: ["read:organization"] }, [{ field: "scopes/0", code: "unknown_scope" }]],
      ["a scope listed twice", { scopes: ["admin", "clientapps:read", "admin"] }, [{ field: "scopes/2", code: "duplicate" }]],
      ["an expiry in the past", { expiresOn: after(-1) }, [{ field: "expiresOn", code: "in_the_past" }]],
      ["an expiry of exactly now", { expiresOn: at }, [{ field: "expiresOn", code: "in_the_past" }]],
    ])("refuses %s", (_, data, violations) => {
      spec.given([registered()]).when(issueKey(data)).thenRejects(validationFailed, violations);
    });

    it("reports every violation at once", () => {
      spec
        .given([registered()])
        .when(issueKey({ name: "", scopes: ["nope", "nope"], expiresOn: after(-60) }))
        .thenRejects(validationFailed, [
          { field: "name", code: "required" },
          { field: "scopes/0", code: "unknown_scope" },
          { field: "scopes/1", code: "unknown_scope" },
          { field: "expiresOn", code: "in_the_past" },
        ]);
    });

    it("refuses a key for an inactive client", () => {
      spec.given([registered(), deactivated()]).when(issueKey()).thenRejects(clientInactive, []);
    });

    it("refuses a key for a client registered inactive", () => {
      spec
        .given([registered({ isActive: false })])
        .when(issueKey())
        .thenRejects(clientInactive, []);
    });

    it("refuses a 101st working key", () => {
      spec
        .given([registered(), ...keysIssued(100)])
        .when(issueKey({ keyId: "key-new" }))
        .thenRejects(tooManyApiKeys, []);
    });

    it("refuses a 101st working key when the revoked and expired ones are not enough to make room", () => {
      spec
        .given([registered(), ...keysIssued(100), issuedExpiring(after(-1), "key-100"), keyRevoked("key-100")])
        .when(issueKey({ keyId: "key-new" }))
        .thenRejects(tooManyApiKeys, []);
    });
  });
});

describe("RevokeApiKey", () => {
  it("revokes a working key", () => {
    spec.given([registered(), keyIssued()]).when(revokeKey()).then([keyRevoked()]);
  });

  it("revokes a key of an inactive client", () => {
    spec.given([registered(), keyIssued(), deactivated()]).when(revokeKey()).then([keyRevoked()]);
  });

  it("refuses a key the client never had", () => {
    spec.given([registered(), keyIssued()]).when(revokeKey("key-2")).thenRejects(apiKeyNotFound, []);
  });

  it("does nothing to a key already revoked", () => {
    spec.given([registered(), keyIssued(), keyRevoked()]).when(revokeKey()).thenNothingHappens();
  });

  it("does nothing to a key whose expiry is recorded: the feed heard of it once", () => {
    spec
      .given([registered(), issuedExpiring(after(-60)), keyExpired()])
      .when(revokeKey())
      .thenNothingHappens();
  });
});

describe("ExpireApiKey", () => {
  it.each([
    ["exactly at its expiry", at],
    ["after its expiry", after(-60)],
  ])("records the expiry of a key %s, as valid until its expiry", (_, expiresOn) => {
    spec
      .given([registered(), issuedExpiring(expiresOn)])
      .when(expireKey())
      .then([keyExpired("key-1", at, expiresOn)]);
  });

  it("refuses a key whose expiry has not come", () => {
    spec
      .given([registered(), issuedExpiring(after(1))])
      .when(expireKey())
      .thenRejects(apiKeyNotDue, []);
  });

  it("refuses a key that never expires", () => {
    spec.given([registered(), keyIssued()]).when(expireKey()).thenRejects(apiKeyNotDue, []);
  });

  it("refuses a key the client never had", () => {
    spec.given([registered()]).when(expireKey()).thenRejects(apiKeyNotFound, []);
  });

  it("does nothing to a revoked key, even one whose expiry has passed", () => {
    spec
      .given([registered(), issuedExpiring(after(-60)), keyRevoked("key-1", after(-120))])
      .when(expireKey())
      .thenNothingHappens();
  });

  it("does nothing to a key whose expiry is already recorded", () => {
    spec
      .given([registered(), issuedExpiring(after(-60)), keyExpired("key-1", after(-30))])
      .when(expireKey())
      .thenNothingHappens();
  });
});

describe("an API key command to a client that is not there", () => {
  const commands: [string, ClientApplicationCommand][] = [
    ["IssueApiKey", issueKey()],
    ["IssueApiKey with an invalid key", issueKey({ name: "", scopes: [] })],
    ["RevokeApiKey", revokeKey()],
    ["ExpireApiKey", expireKey()],
  ];

  it.each(commands)("%s on a client never registered is client_not_found", (_, command) => {
    spec.given([]).when(command).thenRejects(notFound, []);
  });

  it.each(commands)("%s on a deleted client is client_deleted", (_, command) => {
    spec.given([registered(), keyIssued(), deleted()]).when(command).thenRejects(clientDeleted, []);
  });
});

describe("evolve: API keys", () => {
  const fold = (events: readonly ClientApplicationEvent[]): ClientApplicationState => events.reduce(evolve, initialState());
  const keysOf = (events: readonly ClientApplicationEvent[]) => {
    const state = fold(events);
    if (state.status !== "registered") throw new Error(`expected a registered client, got ${state.status}`);
    return state.client.apiKeys;
  };

  it("ApiKeyIssued adds a working key, neither revoked nor expired", () => {
    expect(keysOf([registered(), keyIssued()])).toEqual([apiKeyState()]);
  });

  it("ApiKeyIssued keeps the keys issued before", () => {
    expect(keysOf([registered(), keyIssued(), keyIssued({ keyId: "key-2" })]).map((key) => key.keyId)).toEqual(["key-1", "key-2"]);
  });

  it("ApiKeyRevoked sets revokedOn of that key only", () => {
    expect(keysOf([registered(), keyIssued(), keyIssued({ keyId: "key-2" }), keyRevoked()])).toEqual([
      apiKeyState({ revokedOn: at }),
      apiKeyState({ ...keyIssued({ keyId: "key-2" }).data.apiKey }),
    ]);
  });

  it("ApiKeyExpired sets expiredOn", () => {
    const expiresOn = after(-60);
    expect(keysOf([registered(), issuedExpiring(expiresOn), keyExpired()])).toEqual([
      apiKeyState({ createdOn: registeredOn, expiresOn, expiredOn: at }),
    ]);
  });

  it("API key events leave the client's updatedOn alone", () => {
    const state = fold([registered(), keyIssued(), keyRevoked()]);
    expect(state.status === "registered" && state.client.updatedOn).toBe(registeredOn);
  });

  it.each([
    ["ApiKeyIssued", keyIssued()],
    ["ApiKeyRevoked", keyRevoked()],
    ["ApiKeyExpired", keyExpired()],
  ])("%s changes neither an absent nor a deleted client", (_, event) => {
    expect(evolve(initialState(), event)).toEqual({ status: "absent" });
    const gone = fold([registered(), deleted()]);
    expect(evolve(gone, event)).toEqual(gone);
  });
});

describe("isApiKeyLive", () => {
  it("is true for a key never revoked that never expires", () => {
    expect(isApiKeyLive(apiKeyState(), now)).toBe(true);
  });

  it("is true for a key before its expiry", () => {
    expect(isApiKeyLive(apiKeyState({ expiresOn: after(1) }), now)).toBe(true);
  });

  it("is false for a revoked key", () => {
    expect(isApiKeyLive(apiKeyState({ revokedOn: after(-60) }), now)).toBe(false);
  });

  it.each([
    ["at its expiry", at],
    ["after its expiry", after(-1)],
  ])("is false %s even before ApiKeyExpired is recorded", (_, expiresOn) => {
    expect(isApiKeyLive(apiKeyState({ expiresOn }), now)).toBe(false);
  });
});
