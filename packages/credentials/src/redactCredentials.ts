import { credentialKinds } from "./credentialFormat.js";

/**
 * Anything shaped like one of our credentials: its prefix and at least 16 of the base62
 * characters after it. Neither the length nor the checksum is required to match, since a
 * mistyped or truncated credential is still mostly the secret. No word boundary before the
 * prefix: a credential right after `%20`, a JSON `\n` or an underscore is still one.
 */
const credentialShaped = new RegExp(`ca_(${Object.values(credentialKinds).join("|")})_[0-9A-Za-z]{16,}`, "g");

/**
 * The text with every credential-shaped run replaced by its prefix (`ca_key_[redacted]`),
 * so a reader still sees which kind was there. The one redaction of log lines and error
 * answers: whatever a caller sends (a path, a member name) can be echoed only through it.
 */
export const redactCredentials = (text: string): string =>
  text.replace(credentialShaped, (_match, kind: string) => `ca_${kind}_[redacted]`);
