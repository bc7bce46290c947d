import { accept, reject, type Decision, type FieldViolation } from "../decider.js";
import { isLive, type ApiKey, type ClientApplication } from "./clientApplication.js";
import type { ExpireApiKey, IssueApiKey, RetireSecret, RevokeApiKey, RotateSecret } from "./commands.js";
import type { ApiKeyRevoked, ClientApplicationEvent } from "./events.js";
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
  /** An API key asked for a key beyond what it holds itself: other scopes, or a longer life. */
  beyondIssuer: "beyond_issuer",
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
  const issuerProblem = issuerViolations(client, command);
  if (issuerProblem) return issuerProblem;
  const { keyId, name, scopes, key, issuedByKeyId } = command.data;
  // Recorded in the form of every other timestamp, so that string order is time order (the schedule relies on it).
  const expiresOn = command.data.expiresOn === null ? null : new Date(command.data.expiresOn).toISOString();
  return accept({
    type: "ApiKeyIssued",
    data: {
      ...target(client),
      apiKey: {
        keyId,
        name,
        scopes,
        ...key,
        createdOn: command.metadata.now.toISOString(),
        expiresOn,
        ...(issuedByKeyId === undefined ? {} : { issuedByKeyId }),
      },
    },
  });
};

/**
 * A key issued by a key holds no more than its issuer: a subset of its scopes and
 * an expiry no later than its own, so it can never outlive it or do what it cannot.
 */
const issuerViolations = (client: ClientApplication, command: IssueApiKey): Decided | undefined => {
  const { issuedByKeyId, scopes, expiresOn } = command.data;
  if (issuedByKeyId === undefined) return undefined;
  const issuer = findKey(client, issuedByKeyId);
  const now = command.metadata.now;
  if (!issuer || issuer.revokedOn !== null || !isLive(issuer.expiresOn, now)) {
    return reject(CredentialRejections.beyondIssuer, "The API key that asks for a new one no longer works.");
  }
  const violations: FieldViolation[] = scopes
    .map((scope, index) => ({ scope, index }))
    .filter(({ scope }) => !issuer.scopes.includes(scope))
    .map(({ scope, index }) => ({
      field: `scopes/${index}`,
      code: "beyond_issuer",
      message: `'${scope}' is not a scope of the issuing key`,
    }));
  if (issuer.expiresOn !== null && (expiresOn === null || Date.parse(expiresOn) > Date.parse(issuer.expiresOn))) {
    violations.push({
      field: "expiresOn",
      code: "beyond_issuer",
      message: `must be no later than the issuing key's expiry, ${issuer.expiresOn}`,
    });
  }
  return violations.length > 0
    ? reject(CredentialRejections.beyondIssuer, "A key issued by a key holds no more than the key that issues it.", violations)
    : undefined;
};

const findKey = (client: ClientApplication, keyId: string) => client.apiKeys.find((key) => key.keyId === keyId);

/** The keys a key issued, the keys those issued, and so on, in the order they were issued. */
const descendantsOf = (client: ClientApplication, keyId: string): ApiKey[] => {
  const lineage = new Set([keyId]);
  // Keys are listed in issue order, and an issuer is always issued before the keys it issues.
  return client.apiKeys.filter((key) => {
    if (key.issuedByKeyId === undefined || !lineage.has(key.issuedByKeyId)) return false;
    lineage.add(key.keyId);
    return true;
  });
};

/** Revoked or with its expiry recorded: the revocation feed has heard of it once already. */
const isEnded = (key: ApiKey): boolean => key.revokedOn !== null || key.expiredOn !== null;

export const revokeApiKey = (client: ClientApplication, command: RevokeApiKey): Decided => {
  const key = findKey(client, command.data.keyId);
  if (!key) return reject(CredentialRejections.apiKeyNotFound, `There is no API key '${command.data.keyId}'.`);
  const revokedOn = command.metadata.now.toISOString();
  const revoked = (ended: ApiKey, revokedWithKeyId?: string): ApiKeyRevoked => ({
    type: "ApiKeyRevoked",
    data: {
      ...target(client),
      keyId: ended.keyId,
      fingerprint: ended.fingerprint,
      revokedOn,
      ...(revokedWithKeyId === undefined ? {} : { revokedWithKeyId }),
    },
  });
  // Also when the key itself had ended: a key it issued may still work, and must not outlive it.
  const issued = descendantsOf(client, key.keyId).filter((descendant) => !isEnded(descendant));
  return accept(...(isEnded(key) ? [] : [revoked(key)]), ...issued.map((descendant) => revoked(descendant, key.keyId)));
};

export const expireApiKey = (client: ClientApplication, command: ExpireApiKey): Decided => {
  const key = findKey(client, command.data.keyId);
  if (!key) return reject(CredentialRejections.apiKeyNotFound, `There is no API key '${command.data.keyId}'.`);
  if (isEnded(key)) return accept();
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
