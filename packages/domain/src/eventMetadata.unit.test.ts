import { describe, expect, it } from "vitest";
import { displayText } from "./clientApplication/text.js";
import { actorLimits, actorTypes, upgradeLegacyActor, userActor } from "./eventMetadata.js";

describe("userActor", () => {
  it("names a person by subject, with the display name and e-mail the token carried", () => {
    expect(userActor({ sub: "ada-7f3e", name: "Ada Lovelace", email: "ada@example.com" })).toEqual({
      type: "user",
      id: "ada-7f3e",
      name: "Ada Lovelace",
      email: "ada@example.com",
    });
    expect(userActor({ sub: "ada-7f3e" })).toEqual({ type: "user", id: "ada-7f3e", name: null, email: null });
  });

  it("cleans a name that would deceive a reader, and cuts one that is too long", () => {
    expect(userActor({ sub: "s", name: "Ada\u202E nimda\u200B\nLovelace" })?.name).toBe("Ada nimda Lovelace");
    expect(userActor({ sub: "s", name: "\u200B\u2066" })?.name).toBeNull();
    const long = userActor({ sub: "s", name: "😀".repeat(actorLimits.name + 5) })?.name;
    expect(Array.from(long ?? "")).toHaveLength(actorLimits.name);
  });

  it("leaves out an e-mail that is not one", () => {
    expect(userActor({ sub: "s", email: "not an e-mail" })?.email).toBeNull();
    expect(userActor({ sub: "s", email: `${"a".repeat(300)}@example.com` })?.email).toBeNull();
  });

  it("refuses a subject that is empty, too long or deceptive", () => {
    expect(userActor({ sub: "" })).toBeUndefined();
    expect(userActor({ sub: "a".repeat(actorLimits.id + 1) })).toBeUndefined();
    expect(userActor({ sub: "ada\u202Eevil" })).toBeUndefined();
    expect(userActor({ sub: "ada\nevil" })).toBeUndefined();
  });
});

describe("displayText", () => {
  it("never splits a surrogate pair and drops lone surrogates", () => {
    expect(displayText("ab😀", 3)).toBe("ab😀");
    expect(displayText("a\uD800b", 10)).toBe("ab");
  });
});

describe("upgradeLegacyActor", () => {
  it("reads an untyped credential id as the kind its shape names", () => {
    expect(upgradeLegacyActor("key_0123456789abcdef")).toEqual({ type: "apiKey", id: "key_0123456789abcdef" });
    expect(upgradeLegacyActor("cred_abc")).toEqual({ type: "adminToken", id: "cred_abc" });
    expect(upgradeLegacyActor("registration:integration")).toEqual({ type: "registrationToken", id: "integration" });
    expect(upgradeLegacyActor("anonymous:203.0.113.7")).toEqual({ type: "anonymous", id: "anonymous" });
  });

  it("lists every actor type", () => {
    expect([...actorTypes].sort()).toEqual(
      ["adminToken", "anonymous", "apiKey", "platformOperator", "registrationToken", "system", "unknown", "user"].sort(),
    );
  });
});
