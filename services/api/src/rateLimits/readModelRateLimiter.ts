import { setTimeout as sleep } from "node:timers/promises";
import {
  ReadModelUnavailableError,
  type CollectionDefinition,
  type ReadModelCollection,
  type ReadModelStore,
} from "@clientapps/read-models";
import { createRequire } from "node:module";
import { RateLimiterRes, type RateLimiterStoreAbstract as StoreBase } from "rate-limiter-flexible";

/**
 * One counter of a limiter: points consumed in the current window, which ends at
 * `expiresAt` (epoch ms; null for a window without end, as `block(key, 0)` makes).
 */
/**
 * The base of custom stores: declared in rate-limiter-flexible's types, but not
 * exported from its main entry, so it is loaded from its own file.
 */
const RateLimiterStoreAbstract = createRequire(import.meta.url)(
  "rate-limiter-flexible/lib/RateLimiterStoreAbstract.js",
) as typeof StoreBase;

type Counter = { points: number; expiresAt: number | null };

/** A counter as the limiter reads it, with the time it was read at. */
type Read = Readonly<{ counter: Counter; now: number }>;

export const rateLimitCountersCollection: CollectionDefinition = { name: "rateLimitCounters", indexes: [{ fields: ["expiresAt"] }] };

/** Concurrent writers of one counter retry their read-modify-write this often, with jitter, before the request is refused as busy (503). */
const maxAttempts = 30;
/** Expired counters are swept on every this many writes, so garbage keys do not pile up. */
const sweepEvery = 200;

const isLive = (counter: Counter, now: number): boolean => counter.expiresAt === null || counter.expiresAt > now;

/**
 * rate-limiter-flexible's custom store (`_upsert`/`_get`/`_delete`) on the read-model
 * port, the one store every api instance shares (SQLite embedded, MongoDB distributed),
 * so a limit holds across instances. The port has no atomic increment; the document
 * revision is its compare-and-set: read the counter at revision r, write r + 1, and
 * when another instance wrote first (the upsert is refused) read again. Time is the
 * injected clock, so windows follow the same time as everything else.
 */
class ReadModelRateLimiter extends RateLimiterStoreAbstract {
  private writes = 0;

  constructor(
    private readonly counters: ReadModelCollection<Counter>,
    private readonly clock: () => Date,
    options: Readonly<{ keyPrefix: string; points: number; duration: number }>,
  ) {
    super({ ...options, storeClient: counters });
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, { counter, now }: Read): RateLimiterRes {
    return new RateLimiterRes(
      Math.max(this.points - counter.points, 0),
      counter.expiresAt === null ? -1 : Math.max(counter.expiresAt - now, 0),
      counter.points,
      counter.points === changedPoints,
    );
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<Read> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      // Writers that lost the race spread out, so they do not collide again in lockstep.
      if (attempt > 0) await sleep(Math.random() * Math.min(attempt, 10) * 2);
      const now = this.clock().getTime();
      const stored = await this.counters.get(rlKey);
      const current = stored && !forceExpire && isLive(stored.document, now) ? stored.document : undefined;
      const counter: Counter = current
        ? { points: current.points + points, expiresAt: current.expiresAt }
        : { points, expiresAt: msDuration > 0 ? now + msDuration : null };
      if (await this.counters.upsert(rlKey, (stored?.revision ?? 0) + 1, counter)) {
        this.sweepNowAndThen(now);
        return { counter, now };
      }
    }
    throw new ReadModelUnavailableError(`The rate-limit counter '${rlKey}' is contended; try again.`);
  }

  async _get(rlKey: string): Promise<Read | null> {
    const now = this.clock().getTime();
    const stored = await this.counters.get(rlKey);
    return stored && isLive(stored.document, now) ? { counter: stored.document, now } : null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    return this.counters.remove(rlKey);
  }

  private sweepNowAndThen(now: number): void {
    this.writes += 1;
    if (this.writes % sweepEvery !== 0) return;
    // Housekeeping: a sweep that fails is done by a later one; a counter it misses has expired anyway.
    void this.counters
      .find({ range: { field: "expiresAt", to: now }, orderBy: { field: "expiresAt", direction: "asc" }, limit: 500 })
      .then(async (page) => {
        // At the revision read: a counter a writer has started again since is no longer this one, and stays.
        for (const { id, revision, document } of page.items) {
          if (document.expiresAt !== null) await this.counters.remove(id, { revision });
        }
      })
      .catch(() => undefined);
  }
}

export type RateLimit = Readonly<{
  /**
   * Counts one point against `key`. Resolves to undefined while the key is within its
   * limit, or to the whole seconds until it may try again once it is over.
   */
  consume: (key: string) => Promise<number | undefined>;
}>;

export type RateLimitOptions = Readonly<{ name: string; points: number; durationSeconds: number }>;

export type RateLimits = Readonly<{ limit: (options: RateLimitOptions) => RateLimit }>;

/** Limiters whose counters live in the shared read-model store. */
export const openRateLimits = async (readModels: ReadModelStore, clock: () => Date): Promise<RateLimits> => {
  const counters = await readModels.collection<Counter>(rateLimitCountersCollection);
  return {
    limit: ({ name, points, durationSeconds }) => {
      const limiter = new ReadModelRateLimiter(counters, clock, { keyPrefix: name, points, duration: durationSeconds });
      return {
        consume: async (key) => {
          try {
            await limiter.consume(key);
            return undefined;
          } catch (refusal) {
            if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
            throw refusal;
          }
        },
      };
    },
  };
};
