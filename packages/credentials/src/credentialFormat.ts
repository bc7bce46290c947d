import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * Every credential we hand out looks like `ca_<kind>_<body><check>`: a prefix a
 * secret scanner can match, 256 random bits in base62 (no `-` or `_`, so a
 * double-click selects it whole) and a CRC-32 of everything before it, so a
 * mistyped or truncated credential is refused without a lookup.
 */
export const credentialKinds = {
  clientSecret: "secret",
  apiKey: "key",
  registrationAccessToken: "rat",
  adminToken: "admin",
  /** The platform operator's credential (`platform:admin`): it administers workspaces, not their clients. */
  platformToken: "platform",
} as const;

export type CredentialKind = keyof typeof credentialKinds;

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const bodyLength = 43; // ceil(256 / log2(62))
const checkLength = 6; // ceil(32 / log2(62))

const toBase62 = (value: bigint, length: number): string => {
  let out = "";
  for (let rest = value; out.length < length; rest /= 62n) out = alphabet[Number(rest % 62n)] + out;
  return out;
};

const checksum = (text: string): string => toBase62(BigInt(crc32(text)), checkLength);

const prefixOf = (kind: CredentialKind): string => `ca_${credentialKinds[kind]}_`;

const shape = new RegExp(`^ca_(${Object.values(credentialKinds).join("|")})_([0-9A-Za-z]{${bodyLength}})([0-9A-Za-z]{${checkLength}})$`);

export const generateCredential = (kind: CredentialKind): string => {
  const body = toBase62(BigInt(`0x${randomBytes(32).toString("hex")}`), bodyLength);
  const unchecked = `${prefixOf(kind)}${body}`;
  return `${unchecked}${checksum(unchecked)}`;
};

/** The kind of a well-formed credential whose checksum holds; undefined for anything else. */
export const credentialKindOf = (value: string): CredentialKind | undefined => {
  const match = shape.exec(value);
  if (!match) return undefined;
  const [, tag, body, check] = match;
  if (checksum(`ca_${tag}_${body}`) !== check) return undefined;
  return (Object.keys(credentialKinds) as CredentialKind[]).find((kind) => credentialKinds[kind] === tag);
};

/** Enough to tell credentials apart in a list or an audit entry, never enough to use one. */
export const fingerprintOf = (value: string): string => `…${value.slice(-4)}`;

/** Public, non-secret ids for credentials (`sec_…`, `key_…`, `adm_…`): what events, lists and audit entries name. */
export const newCredentialId = (prefix: "sec" | "key" | "adm"): string => `${prefix}_${randomBytes(8).toString("hex")}`;
