import type { JsonValue } from "@clientapps/read-models";
import type { EventMessage } from "@clientapps/relay";

type Change = Readonly<{ before: JsonValue; after: JsonValue }>;
type Changes = Record<string, Change>;

const coreFields = ["displayName", "description", "redirectUris", "isConfidential", "grantTypes", "scopes", "skipAuthorization", "isActive"];

const json = (value: unknown): JsonValue => (value === undefined ? null : (value as JsonValue));
const field = (data: Record<string, unknown>, name: string): Record<string, unknown> => (data[name] ?? {}) as Record<string, unknown>;

const created = (data: Record<string, unknown>, names: readonly string[]): Changes =>
  Object.fromEntries(names.filter((name) => name in data).map((name) => [name, { before: null, after: json(data[name]) }]));

const diff = (before: Record<string, unknown>, after: Record<string, unknown>): Changes =>
  Object.fromEntries(
    Object.keys(after)
      .filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]))
      .map((name) => [name, { before: json(before[name]), after: json(after[name]) }]),
  );

/** Each changed field, before and after; credentials appear only as ids and fingerprints. */
export const activityChanges = (message: EventMessage): Changes => {
  const { data } = message;
  switch (message.type) {
    case "ClientRegistered": {
      const secret = data.secret as { fingerprint: string } | null;
      const registration = data.registration as { tokenFingerprint: string } | undefined;
      return {
        ...created(data, coreFields),
        ...(secret ? { secret: { before: null, after: secret.fingerprint } } : {}),
        ...(registration ? { registrationToken: { before: null, after: registration.tokenFingerprint } } : {}),
      };
    }
    case "ClientUpdated":
      return diff(field(data, "previous"), field(data, "changes"));
    case "ClientActivated":
      return { isActive: { before: false, after: true } };
    case "ClientDeactivated":
      return { isActive: { before: true, after: false } };
    case "SecretRotated": {
      const superseded = (data.supersededSecrets ?? []) as { fingerprint: string; expiresOn: string }[];
      return {
        secret: { before: superseded.map((secret) => secret.fingerprint), after: field(data, "secret").fingerprint as string },
        graceEndsOn: { before: null, after: superseded[0]?.expiresOn ?? null },
      };
    }
    case "SecretRetired":
      return { secret: { before: json(data.fingerprint), after: null } };
    case "ApiKeyIssued": {
      const key = field(data, "apiKey");
      return { apiKey: { before: null, after: { id: json(key.keyId), name: json(key.name), scopes: json(key.scopes), fingerprint: json(key.fingerprint), expiresOn: json(key.expiresOn) } } };
    }
    case "ApiKeyRevoked":
    case "ApiKeyExpired":
      return { apiKey: { before: { id: json(data.keyId), fingerprint: json(data.fingerprint) }, after: null } };
    case "RegistrationTokenRotated":
      return { registrationToken: { before: null, after: json(data.tokenFingerprint) } };
    case "RegistrationMetadataReplaced":
      return diff(field(data, "previous"), field(data, "metadata"));
    case "ClientDeleted":
      return { deleted: { before: false, after: true } };
  }
};
