import { resolve } from "node:path";
import type Database from "better-sqlite3";

/** `PRAGMA synchronous` as a number: 2 is FULL. */
const fullSynchronous = 2;

/**
 * How the stores on one handle write. On a `derived` file, every write made in one turn of the
 * event loop joins one IMMEDIATE transaction, committed when the turn ends: a projection that
 * applies a batch of events, the relay that publishes them and the audit that consumes them
 * pay one commit together instead of one each (and one write of each page they touch). Their
 * checkpoints are written in the same transactions as what they record, so a crash loses a
 * suffix of whole turns, and each consumer resumes from a checkpoint that was kept with its
 * writes. On a `full` file each write commits on its own, as before.
 */
export type TurnTransactions = Readonly<{
  /** Runs a write: inside this turn's transaction on a derived file, else on its own. */
  write: <R>(work: () => R) => R;
  /** Commits this turn's transaction now, if one is open: before a read that must see only what a crash keeps. */
  commitNow: () => void;
  /**
   * Runs a write that must be on disk when it returns (a record not derived from the events):
   * every open turn on the file is committed first, then it commits on its own with a full
   * fsync, which in WAL mode also makes every earlier commit of the file durable.
   */
  durable: <R>(work: () => R) => R;
  /** Runs a schema change (or any write a store makes once, as it opens), committed at once. */
  schema: <R>(work: () => R) => R;
  /** Whether writes share the turn's transaction (a derived file). */
  batched: boolean;
}>;

/** Raised once a turn's transaction was lost: what it held was answered as written, so nothing may go on from it. */
export class TurnTransactionLostError extends Error {
  readonly code = "sqlite_turn_transaction_lost";
}

const byHandle = new WeakMap<Database.Database, TurnTransactions>();

/**
 * The open turns of this process, per file. Another process waits for a turn's commit (the busy
 * timeout), as its event loop goes on meanwhile; a handle of this process cannot, as the commit
 * waits for this very event loop. So a handle about to write to a file first commits the turns
 * other handles of this process hold open on it.
 */
const openTurnsByFile = new Map<string, Set<() => void>>();

const commitOthersOn = (file: string, own?: () => void): void => {
  for (const commit of openTurnsByFile.get(file) ?? []) if (commit !== own) commit();
};

/**
 * The one {@link TurnTransactions} of a handle, shared by every store on it (the embedded read
 * models and the bus log share a file), so that they write in the same transactions.
 *
 * Should SQLite roll a turn's transaction back (a full disk, an I/O error) or its commit fail,
 * writes already answered as done are gone: every later write on the handle then fails with
 * {@link TurnTransactionLostError}, so that no consumer goes on past what it lost; a restart
 * resumes each one from the checkpoint the file kept.
 */
export const turnTransactions = (db: Database.Database): TurnTransactions => {
  const known = byHandle.get(db);
  if (known) return known;
  const baseline = Number(db.pragma("synchronous", { simple: true }));
  const batched = baseline < fullSynchronous;
  const file = resolve(db.name);
  const ownCommits = <R>(work: () => R): R => {
    commitOthersOn(file);
    return work();
  };
  const created: TurnTransactions = batched
    ? batchedWrites(db, file, baseline)
    : { write: ownCommits, durable: ownCommits, schema: ownCommits, commitNow: () => undefined, batched };
  byHandle.set(db, created);
  return created;
};

const batchedWrites = (db: Database.Database, file: string, baseline: number): TurnTransactions => {
  let open = false;
  let lost: TurnTransactionLostError | undefined;
  let ending: NodeJS.Immediate | undefined;
  const openTurns = openTurnsByFile.get(file) ?? new Set<() => void>();
  openTurnsByFile.set(file, openTurns);

  const fail = (cause: unknown): TurnTransactionLostError =>
    (lost ??= new TurnTransactionLostError(
      "Writes to the SQLite file were rolled back after they were answered; restart the process to resume from its checkpoints.",
      { cause },
    ));

  /** The turn is over (committed, or lost): no commit is left pending for it. */
  const endTurn = (): void => {
    open = false;
    openTurns.delete(endOfTurn);
    clearImmediate(ending);
    ending = undefined;
  };

  const commitNow = (): void => {
    if (!open) return;
    endTurn();
    if (!db.inTransaction) throw fail(new Error("the transaction ended before its commit"));
    try {
      db.exec("COMMIT");
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw fail(error);
    }
  };

  const endOfTurn = (): void => {
    try {
      commitNow();
    } catch {
      // Recorded in `lost`: the next write on the handle fails with it.
    }
  };

  const turns: TurnTransactions = {
    batched: true,
    commitNow,
    // Not left open for the rest of the turn: a store opens before its process does anything
    // else, which may be to wait, synchronously, for another process.
    schema: <R>(work: () => R): R => {
      const result = turns.write(work);
      commitNow();
      return result;
    },
    durable: <R>(work: () => R): R => {
      commitOthersOn(file, endOfTurn);
      commitNow();
      // The pragma is per connection and the work synchronous, so no other write slips in between.
      db.pragma("synchronous = FULL");
      try {
        return work();
      } finally {
        db.pragma(`synchronous = ${baseline}`);
      }
    },
    write: <R>(work: () => R): R => {
      if (lost) throw lost;
      if (!open) {
        commitOthersOn(file, endOfTurn);
        // IMMEDIATE takes the write lock before anything is read, as the stores' own transactions do.
        db.exec("BEGIN IMMEDIATE");
        open = true;
        openTurns.add(endOfTurn);
        ending = setImmediate(endOfTurn);
      }
      try {
        return work();
      } finally {
        // A statement's own failure (a unique index) leaves the transaction open; a full disk
        // or an I/O error may roll all of it back, and with it writes already answered.
        if (!db.inTransaction) {
          endTurn();
          fail(new Error("SQLite rolled the turn's transaction back"));
        }
      }
    },
  };
  return turns;
};
