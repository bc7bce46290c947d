import { describe, it } from "vitest";
import { clientApplicationBuilders as b } from "../testing/index.js";

/*
 * A key issued by a key holds no more than its issuer, and goes with it. Before,
 * a write key that expired in two minutes minted a key that never expired, and the
 * child kept working after the parent was gone.
 */

const parentExpiry = b.after(120);
const parent = b.keyIssued({ keyId: "key-parent", scopes: ["clientapps:read", "clientapps:write"], expiresOn: parentExpiry });
const child = b.keyIssued({ keyId: "key-child", scopes: ["clientapps:read"], expiresOn: parentExpiry, issuedByKeyId: "key-parent" });
const grandchild = b.keyIssued({
  keyId: "key-grandchild",
  scopes: ["clientapps:read"],
  expiresOn: parentExpiry,
  issuedByKeyId: "key-child",
});
const unrelated = b.keyIssued({ keyId: "key-other" });

const revokedWith = (keyId: string, issuer: string) => ({
  ...b.keyRevoked(keyId),
  data: { ...b.keyRevoked(keyId).data, revokedWithKeyId: issuer },
});

describe("IssueApiKey asked for by an API key", () => {
  it("records which key issued the new one", () => {
    b.spec
      .given([b.registered(), parent])
      .when(b.issueKey({ keyId: "key-child", scopes: ["clientapps:read"], expiresOn: parentExpiry, issuedByKeyId: "key-parent" }))
      .then([child]);
  });

  it("refuses a key that outlives its issuer: no expiry", () => {
    b.spec
      .given([b.registered(), parent])
      .when(b.issueKey({ keyId: "key-child", expiresOn: null, issuedByKeyId: "key-parent" }))
      .thenRejects("beyond_issuer", [{ field: "expiresOn", code: "beyond_issuer" }]);
  });

  it("refuses a key that outlives its issuer: a later expiry", () => {
    b.spec
      .given([b.registered(), parent])
      .when(b.issueKey({ keyId: "key-child", expiresOn: b.after(121), issuedByKeyId: "key-parent" }))
      .thenRejects("beyond_issuer", [{ field: "expiresOn", code: "beyond_issuer" }]);
  });

  it("refuses scopes the issuer does not hold", () => {
    b.spec
      .given([b.registered(), b.keyIssued({ keyId: "key-reader", scopes: ["clientapps:read"] })])
      .when(b.issueKey({ keyId: "key-child", scopes: ["clientapps:read", "clientapps:write"], issuedByKeyId: "key-reader" }))
      .thenRejects("beyond_issuer", [{ field: "scopes/1", code: "beyond_issuer" }]);
  });

  it("refuses when the issuer no longer works", () => {
    b.spec
      .given([b.registered(), parent, b.keyRevoked("key-parent")])
      .when(b.issueKey({ keyId: "key-child", expiresOn: parentExpiry, issuedByKeyId: "key-parent" }))
      .thenRejects("beyond_issuer");
  });

  it("refuses when the issuer is not a key of this client application", () => {
    b.spec
      .given([b.registered()])
      .when(b.issueKey({ keyId: "key-child", issuedByKeyId: "key-elsewhere" }))
      .thenRejects("beyond_issuer");
  });
});

describe("RevokeApiKey of a key that issued keys", () => {
  it("revokes every key it issued, and the keys those issued, saying with which revocation", () => {
    b.spec
      .given([b.registered(), parent, child, grandchild, unrelated])
      .when(b.revokeKey("key-parent"))
      .then([b.keyRevoked("key-parent"), revokedWith("key-child", "key-parent"), revokedWith("key-grandchild", "key-parent")]);
  });

  it("leaves alone the keys it issued that had already ended", () => {
    b.spec
      .given([b.registered(), parent, child, grandchild, b.keyRevoked("key-child")])
      .when(b.revokeKey("key-parent"))
      .then([b.keyRevoked("key-parent"), revokedWith("key-grandchild", "key-parent")]);
  });

  it("revokes the keys a key issued even when the key itself had ended first (a history from before keys went with their issuer)", () => {
    b.spec
      .given([b.registered(), parent, child, b.keyRevoked("key-parent")])
      .when(b.revokeKey("key-parent"))
      .then([revokedWith("key-child", "key-parent")]);
  });

  it("changes nothing when the key and every key it issued had ended", () => {
    b.spec
      .given([b.registered(), parent, child, b.keyRevoked("key-parent"), b.keyRevoked("key-child")])
      .when(b.revokeKey("key-parent"))
      .thenNothingHappens();
  });
});
