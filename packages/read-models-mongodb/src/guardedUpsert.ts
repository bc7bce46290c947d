import { duplicateKeyOf } from "./mongoErrors.js";

/** Enough for a handful of writers racing on one id; more means something else is wrong. */
const MAX_ATTEMPTS = 3;

export type GuardedUpsert = Readonly<{
  /**
   * `updateOne({ _id, <guard>: { $lt: value } }, { $set }, { upsert: true })`: it
   * updates a stored record whose guard is lower, or inserts when none is stored;
   * when one is stored at or beyond the value, the insert fails on `_id`.
   */
  write: () => Promise<unknown>;
  /** Whether the record stored under the id has a guard at or beyond the value written. */
  storedIsCurrent: () => Promise<boolean>;
  /** The error for a duplicate on another unique index; omitted where `_id` is the only unique index. */
  otherDuplicate?: () => Error;
}>;

/**
 * One write without a transaction, as the port asks: the duplicate key error the
 * guard provokes is how MongoDB says "not lower", and is answered with false.
 * A duplicate on another unique index is a no-op too when the stored record is
 * current (a replayed old revision whose value now belongs to another document);
 * otherwise it is the caller's error. A duplicate `_id` over a lower stored value
 * means a concurrent writer inserted first, and the update matches on retry. When
 * the server does not say which index it was, retrying tells them apart: a value
 * held by another document fails every time.
 */
export const guardedUpsert = async ({ write, storedIsCurrent, otherDuplicate }: GuardedUpsert): Promise<boolean> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await write();
      return true;
    } catch (error) {
      const duplicate = duplicateKeyOf(error);
      if (duplicate === undefined) throw error;
      if (await storedIsCurrent()) return false;
      const last = attempt >= MAX_ATTEMPTS;
      if (otherDuplicate && (duplicate === "other" || (duplicate === "unknown" && last))) throw otherDuplicate();
      if (last) throw error;
    }
  }
};
