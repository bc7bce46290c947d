import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { minimumPepperBytes } from "@clientapps/credentials";
import type { CollectionDefinition, ReadModelCollection, ReadModelStore, Stored } from "@clientapps/read-models";

/**
 * The first response to a request made with an `Idempotency-Key`, kept so a retry
 * gets it again (draft-ietf-httpapi-idempotency-key-header).
 *
 * Such a response may hold a secret shown exactly once (a client secret, an API key,
 * a registration access token). Keeping nothing would leave a retry unable to return
 * that secret, so the client that lost the first answer would lose the secret too.
 * So the body is kept, but only for the window, and only encrypted: AES-256-GCM under
 * a key derived (HKDF-SHA-256) from the server pepper, a fresh 96-bit IV per record
 * and the record id as additional data (a body copied to another record fails to
 * decrypt). A leak of the read-model database alone then discloses no secret; it
 * takes the pepper as well, which is kept out of the database.
 */
export const idempotencyKeysCollection: CollectionDefinition = {
  name: "idempotencyKeys",
  indexes: [{ fields: ["state", "expiresOn"] }],
  // Not derived from the events: it guards a write that is on disk, so it is on disk too.
  durable: true,
};

export type EncryptedBody = { iv: string; data: string; tag: string };

/** Only headers that describe the result; never one that could carry a credential or belongs to one exchange. */
export const replayedHeaders = ["Location", "ETag", "X-Position", "Content-Type", "Cache-Control", "Pragma", "WWW-Authenticate"] as const;

/**
 * `pending` while the first request runs; `done` once its response is kept;
 * `cleared` when there is nothing to replay (the request failed in a way worth
 * retrying, or its window passed and the body was erased). An expired or cleared
 * record counts as absent.
 */
export type IdempotencyRecord =
  | { state: "pending"; requestHash: string; createdOn: string; expiresOn: string }
  | {
      state: "done";
      requestHash: string;
      status: number;
      headers: { [name: string]: string };
      body: EncryptedBody;
      createdOn: string;
      expiresOn: string;
    }
  | { state: "cleared"; createdOn: string; expiresOn: string };

export type KeptResponse = Readonly<{ status: number; headers: Readonly<Record<string, string>>; body: Buffer }>;

/** The right to run the request once and record its outcome. */
export type Claim = Readonly<{ id: string; revision: number; requestHash: string; createdOn: Date }>;

export type Begun =
  | Readonly<{ outcome: "claimed"; claim: Claim }>
  | Readonly<{ outcome: "replay"; response: KeptResponse }>
  | Readonly<{ outcome: "in_progress" }>
  | Readonly<{ outcome: "reused" }>;

export type IdempotencyKeys = Readonly<{
  /** Claims the caller's key for this request, or says what the key already stands for. */
  begin: (scope: Readonly<{ credentialId: string; key: string }>, requestHash: string, now: Date) => Promise<Begun>;
  /** Keeps the response for the window; false when the claim was lost (it outlived its lease). */
  complete: (claim: Claim, response: KeptResponse) => Promise<boolean>;
  /** Gives the key up, so a retry runs the request again. */
  release: (claim: Claim, now: Date) => Promise<boolean>;
  /** Erases the bodies of up to `limit` records whose window has passed. */
  clearExpired: (now: Date, limit?: number) => Promise<number>;
}>;

export type IdempotencyKeyOptions = Readonly<{
  /** How long a completed request is replayed. */
  windowMs?: number;
  /**
   * How long a request may hold its key before it is presumed dead (a crash leaves
   * `pending` behind) and a retry may run it again.
   */
  pendingTimeoutMs?: number;
}>;

export const defaultIdempotencyWindowMs = 24 * 60 * 60 * 1000;
const defaultPendingTimeoutMs = 60 * 1000;
/** Lost races resolve within a couple of reads; after that the caller is told to retry. */
const maxClaimAttempts = 3;

const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** Per credential, so two callers never share a key, and hashed, so the raw key is not stored or indexed. */
export const idempotencyRecordId = (credentialId: string, key: string): string => sha256Hex(`${credentialId}\n${key}`);

type LiveRecord = Exclude<IdempotencyRecord, { state: "cleared" }>;

const liveRecord = (stored: Stored<IdempotencyRecord> | undefined, now: Date): LiveRecord | undefined => {
  const record = stored?.document;
  if (record === undefined || record.state === "cleared") return undefined;
  return Date.parse(record.expiresOn) > now.getTime() ? record : undefined;
};

export const openIdempotencyKeys = async (
  readModels: ReadModelStore,
  pepper: Buffer,
  options: IdempotencyKeyOptions = {},
): Promise<IdempotencyKeys> => {
  if (pepper.length < minimumPepperBytes) throw new RangeError(`the pepper must be at least ${minimumPepperBytes} bytes`);
  const windowMs = options.windowMs ?? defaultIdempotencyWindowMs;
  const pendingTimeoutMs = Math.min(options.pendingTimeoutMs ?? defaultPendingTimeoutMs, windowMs);
  const key = Buffer.from(hkdfSync("sha256", pepper, Buffer.alloc(0), "clientapps idempotency v1", 32));
  const records: ReadModelCollection<IdempotencyRecord> = await readModels.collection<IdempotencyRecord>(idempotencyKeysCollection);

  const encrypt = (id: string, plain: Buffer): EncryptedBody => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(id, "utf8"));
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { iv: iv.toString("base64"), data: data.toString("base64"), tag: cipher.getAuthTag().toString("base64") };
  };

  const decrypt = (id: string, sealed: EncryptedBody): Buffer => {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"))
      .setAAD(Buffer.from(id, "utf8"))
      .setAuthTag(Buffer.from(sealed.tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]);
  };

  const answer = (id: string, record: LiveRecord, requestHash: string): Begun => {
    if (record.requestHash !== requestHash) return { outcome: "reused" };
    if (record.state === "pending") return { outcome: "in_progress" };
    return { outcome: "replay", response: { status: record.status, headers: record.headers, body: decrypt(id, record.body) } };
  };

  /*
   * Revisions: every write is "the revision read, plus one" (0 for a new record),
   * and the store writes only over a lower revision. Two requests that read the
   * same state therefore race for the same revision and exactly one wins, whatever
   * their clocks say; a pending record is replaced only by its own outcome, and an
   * expired one only by the first new claim. Records are never removed (removal is
   * unconditional in the port), so the counter never goes back.
   */
  const begin: IdempotencyKeys["begin"] = async (scope, requestHash, now) => {
    const id = idempotencyRecordId(scope.credentialId, scope.key);
    for (let attempt = 0; attempt < maxClaimAttempts; attempt++) {
      const stored = await records.get(id);
      const live = liveRecord(stored, now);
      if (live) return answer(id, live, requestHash);
      const revision = stored ? stored.revision + 1 : 0;
      const pending: IdempotencyRecord = {
        state: "pending",
        requestHash,
        createdOn: now.toISOString(),
        expiresOn: new Date(now.getTime() + pendingTimeoutMs).toISOString(),
      };
      if (await records.upsert(id, revision, pending)) return { outcome: "claimed", claim: { id, revision, requestHash, createdOn: now } };
    }
    return { outcome: "in_progress" };
  };

  return {
    begin,
    complete: async (claim, response) =>
      records.upsert(claim.id, claim.revision + 1, {
        state: "done",
        requestHash: claim.requestHash,
        status: response.status,
        headers: { ...response.headers },
        body: encrypt(claim.id, response.body),
        createdOn: claim.createdOn.toISOString(),
        expiresOn: new Date(claim.createdOn.getTime() + windowMs).toISOString(),
      }),
    release: async (claim, now) =>
      records.upsert(claim.id, claim.revision + 1, {
        state: "cleared",
        createdOn: claim.createdOn.toISOString(),
        expiresOn: now.toISOString(),
      }),
    clearExpired: async (now, limit = 20) => {
      const expired = await records.find({
        where: { state: "done" },
        range: { field: "expiresOn", to: now.toISOString() },
        orderBy: { field: "expiresOn", direction: "asc" },
        limit,
      });
      let cleared = 0;
      for (const { id, revision, document } of expired.items) {
        const erased: IdempotencyRecord = { state: "cleared", createdOn: document.createdOn, expiresOn: document.expiresOn };
        if (await records.upsert(id, revision + 1, erased)) cleared++;
      }
      return cleared;
    },
  };
};
