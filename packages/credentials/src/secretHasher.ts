import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Credentials are stored only as HMAC-SHA-256 under a server-side pepper: a
 * leaked database alone does not let anyone test guesses offline.
 */
export type SecretHasher = Readonly<{
  hash: (secret: string) => string;
  /** Constant-time comparison of a presented secret with a stored hash. */
  matches: (secret: string, storedHash: string) => boolean;
}>;

export const minimumPepperBytes = 32;

export const createSecretHasher = (pepper: Buffer): SecretHasher => {
  if (pepper.length < minimumPepperBytes) {
    throw new RangeError(`the pepper must be at least ${minimumPepperBytes} bytes`);
  }
  const hash = (secret: string): string => createHmac("sha256", pepper).update(secret, "utf8").digest("base64url");
  return {
    hash,
    matches: (secret, storedHash) => {
      const presented = Buffer.from(hash(secret));
      const stored = Buffer.from(storedHash);
      return presented.length === stored.length && timingSafeEqual(presented, stored);
    },
  };
};
