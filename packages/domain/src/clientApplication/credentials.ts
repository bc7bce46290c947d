import { accept, reject, type Decision, type FieldViolation } from "../decider.js";
import { isLive, type ClientApplication } from "./clientApplication.js";
import type { ExpireApiKey, IssueApiKey, RetireSecret, RevokeApiKey, RotateSecret } from "./commands.js";
import type { ClientApplicationEvent } from "./events.js";
import { apiKeyScopes, CredentialLimits as Limits } from "./limits.js";
import { textViolations } from "./text.js";

export const CredentialRejections = {
  validationFailed: "validation_failed",
  publicClient: "public_client_has_no_secret",
  tooManySecrets: "too_many_secrets",
  secretNotDue: "secret_not_due",
  clientInactive: "client_inactive",
  tooManyApiKeys: "too_many_api_keys",
  apiKeyNotFound: "api_key_not_found",
  apiKeyNotDue: "api_key_not_due",
} as const;

type Decided = Decision<ClientApplicationEvent>;

const target = (client: ClientApplication) => ({ workspaceId: client.workspaceId, clientId: client.clientId });

const laterOf = (now: Date, seconds: number): string => new Date(now.getTime() + seconds * 1000).toISOString();

export const rotateSecret = (client: ClientApplication, command: RotateSecret): Decided => {
  const { now } = command.metadata;
  const grace = command.data.gracePeriodSeconds;
  if (!client.isConfidential) {
    return reject(CredentialRejections.publicClient, "A public client has no secret to rotate.");
  }
  if (!Number.isInteger(grace) || grace < 0 || grace > Limits.maxGracePeriodSeconds) {
    return reject(CredentialRejections.validationFailed, "The grace period is not valid.", [
      { field: "gracePeriodSeconds", code: "out_of_range", message: `must be a whole number from 0 to ${Limits.maxGracePeriodSeconds}` },
    ]);
  }
  // Every secret that works now is put on notice; one already on a shorter notice keeps it.
  const graceEnd = laterOf(now, grace);
  const live = client.secrets.filter((secret) => isLive(secret.expiresOn, now));
  if (grace > 0 && live.length >= Limits.maxLiveSecrets) {
    return reject(
      CredentialRejections.tooManySecrets,
      `${live.filter((secret) => secret.expiresOn !== null).length} secrets are still in their grace period; ` +
        "rotate with gracePeriodSeconds 0 or wait until one retires.",
    );
  }
  const superseded = live.map((secret) => ({
    secretId: secret.secretId,
    fingerprint: secret.fingerprint,
    expiresOn: secret.expiresOn !== null && secret.expiresOn < graceEnd ? secret.expiresOn : graceEnd,
  }));
  const rotatedOn = now.toISOString();
  const events: ClientApplicationEvent[] = [
    {
      type: "SecretRotated",
      data: {
        ...target(client),
        secret: { secretId: command.data.secretId, ...command.data.secret, createdOn: rotatedOn, expiresOn: null },
        gracePeriodSeconds: grace,
        supersededSecrets: superseded,
        rotatedOn,
      },
    },
  ];
  // Without a grace period the old secrets stop at once; nothing is left for the scheduler.
  if (grace === 0) {
    for (const secret of superseded) {
      events.push({
        type: "SecretRetired",
        data: {
          ...target(client),
          secretId: secret.secretId,
          fingerprint: secret.fingerprint,
          validUntil: rotatedOn,
          retiredOn: rotatedOn,
        },
      });
    }
  }
  return accept(...events);
};

export const retireSecret = (client: ClientApplication, command: RetireSecret): Decided => {
  const secret = client.secrets.find((candidate) => candidate.secretId === command.data.secretId);
  // Already retired: retiring twice would tell the revocation feed twice, so it is a no-op.
  if (!secret) return accept();
  if (isLive(secret.expiresOn, command.metadata.now)) {
    return reject(CredentialRejections.secretNotDue, "The secret is still in use or in its grace period.");
  }
  return accept({
    type: "SecretRetired",
    data: {
      ...target(client),
      secretId: secret.secretId,
      fingerprint: secret.fingerprint,
      validUntil: secret.expiresOn ?? command.metadata.now.toISOString(),
      retiredOn: command.metadata.now.toISOString(),
    },
  });
};

const apiKeyViolations = (command: IssueApiKey): FieldViolation[] => {
  const { name, scopes, expiresOn } = command.data;
  const violations: FieldViolation[] = [];
  if (name.trim().length === 0) violations.push({ field: "name", code: "required", message: "must not be blank" });
  violations.push(...textViolations("name", name));
  if ([...name].length > Limits.apiKeyNameMaxLength) {
    violations.push({ field: "name", code: "too_long", message: `must be at most ${Limits.apiKeyNameMaxLength} characters` });
  }
  if (scopes.length === 0) violations.push({ field: "scopes", code: "required", message: "at least one scope is needed" });
  scopes.forEach((scope, index) => {
    if (!(apiKeyScopes as readonly string[]).includes(scope)) {
      violations.push({ field: `scopes/${index}`, code: "unknown_scope", message: `must be one of ${apiKeyScopes.join(", ")}` });
    } else if (scopes.indexOf(scope) !== index) {
      violations.push({ field: `scopes/${index}`, code: "duplicate", message: `'${scope}' is listed twice` });
    }
  });
  if (expiresOn !== null && !(Date.parse(expiresOn) > command.metadata.now.getTime())) {
    violations.push({ field: "expiresOn", code: "in_the_past", message: "must be a time in the future" });
  }
  return violations;
};

export const issueApiKey = (client: ClientApplication, command: IssueApiKey): Decided => {
  const violations = apiKeyViolations(command);
  if (violations.length > 0) return reject(CredentialRejections.validationFailed, "The API key is not valid.", violations);
  if (!client.isActive) return reject(CredentialRejections.clientInactive, "An inactive client application cannot get new API keys.");
  const live = client.apiKeys.filter((key) => key.revokedOn === null && isLive(key.expiresOn, command.metadata.now));
  if (live.length >= Limits.maxLiveApiKeys) {
    return reject(CredentialRejections.tooManyApiKeys, `A client application has at most ${Limits.maxLiveApiKeys} working API keys.`);
  }
  const { keyId, name, scopes, key } = command.data;
  // Recorded in the form of every other timestamp, so that string order is time order (the schedule relies on it).
  const expiresOn = command.data.expiresOn === null ? null : new Date(command.data.expiresOn).toISOString();
  return accept({
    type: "ApiKeyIssued",
    data: { ...target(client), apiKey: { keyId, name, scopes, ...key, createdOn: command.metadata.now.toISOString(), expiresOn } },
  });
};

const findKey = (client: ClientApplication, keyId: string) => client.apiKeys.find((key) => key.keyId === keyId);

export const revokeApiKey = (client: ClientApplication, command: RevokeApiKey): Decided => {
  const key = findKey(client, command.data.keyId);
  if (!key) return reject(CredentialRejections.apiKeyNotFound, `There is no API key '${command.data.keyId}'.`);
  // Already revoked, or its expiry already recorded: the revocation feed has heard of it once.
  if (key.revokedOn !== null || key.expiredOn !== null) return accept();
  return accept({
    type: "ApiKeyRevoked",
    data: { ...target(client), keyId: key.keyId, fingerprint: key.fingerprint, revokedOn: command.metadata.now.toISOString() },
  });
};

export const expireApiKey = (client: ClientApplication, command: ExpireApiKey): Decided => {
  const key = findKey(client, command.data.keyId);
  if (!key) return reject(CredentialRejections.apiKeyNotFound, `There is no API key '${command.data.keyId}'.`);
  // Revoked or already recorded as expired: the feed has heard of it.
  if (key.revokedOn !== null || key.expiredOn !== null) return accept();
  if (isLive(key.expiresOn, command.metadata.now)) return reject(CredentialRejections.apiKeyNotDue, "The API key has not expired.");
  return accept({
    type: "ApiKeyExpired",
    data: {
      ...target(client),
      keyId: key.keyId,
      fingerprint: key.fingerprint,
      validUntil: key.expiresOn ?? command.metadata.now.toISOString(),
      expiredOn: command.metadata.now.toISOString(),
    },
  });
};
