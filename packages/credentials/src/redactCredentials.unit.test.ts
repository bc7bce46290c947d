import { describe, expect, it } from "vitest";
import { generateCredential } from "./credentialFormat.js";
import { redactCredentials } from "./redactCredentials.js";

describe("redactCredentials", () => {
  it("replaces each of our credentials in a text by its prefix, wherever it stands", () => {
    const [key, secret, rat, admin, platform] = [
      generateCredential("apiKey"),
      generateCredential("clientSecret"),
      generateCredential("registrationAccessToken"),
      generateCredential("adminToken"),
      generateCredential("platformToken"),
    ];
    expect(redactCredentials(`/x/${key}?s=${secret}&t=${rat} '${admin}' ${platform}`)).toBe(
      "/x/ca_key_[redacted]?s=ca_secret_[redacted]&t=ca_rat_[redacted] 'ca_admin_[redacted]' ca_platform_[redacted]",
    );
  });

  it("redacts a credential right after a word character: a percent-escape, a JSON escape, an underscore", () => {
    const key = generateCredential("apiKey");
    for (const before of ["%20", "%22", "\\n", "x_", "9"]) {
      expect(redactCredentials(`/x/${before}${key}`)).toBe(`/x/${before}ca_key_[redacted]`);
    }
  });

  it("redacts a mistyped or truncated credential too: most of it is still the secret", () => {
    const key = generateCredential("apiKey");
    expect(redactCredentials(`${key.slice(0, -1)}x`)).toBe("ca_key_[redacted]");
    expect(redactCredentials(key.slice(0, 30))).toBe("ca_key_[redacted]");
  });

  it("leaves other text alone, ids of credentials included", () => {
    expect(redactCredentials("sec_0123456789abcdef key_0123456789abcdef ca_key_short")).toBe(
      "sec_0123456789abcdef key_0123456789abcdef ca_key_short",
    );
  });
});
