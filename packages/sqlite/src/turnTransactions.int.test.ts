import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setImmediate as endOfTurn } from "node:timers/promises";
import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteDatabase, type SqliteDurability } from "./openSqliteDatabase.js";
import { TurnTransactionLostError, turnTransactions } from "./turnTransactions.js";

let dir: string;
const opened: Database.Database[] = [];

const open = (durability: SqliteDurability): Database.Database => {
  const db = openSqliteDatabase(join(dir, `${durability}.sqlite`), durability);
  opened.push(db);
  return db;
};

/** The file as another process would see it: what is committed, and only that. */
const committedRows = (durability: SqliteDurability): number[] => {
  const other = open(durability);
  return other.prepare<[], number>("SELECT x FROM t ORDER BY x").pluck().all();
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clientapps-turn-"));
  for (const durability of ["derived", "full"] as const) open(durability).exec("CREATE TABLE t (x INTEGER PRIMARY KEY)");
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("writes on a derived file", () => {
  it("share one transaction per turn of the event loop, committed when the turn ends", async () => {
    const db = open("derived");
    const turn = turnTransactions(db);
    const insert = db.prepare<[number]>("INSERT INTO t (x) VALUES (?)");

    for (const x of [1, 2, 3]) turn.write(() => insert.run(x));

    expect(turn.batched).toBe(true);
    expect(db.inTransaction).toBe(true);
    expect(committedRows("derived")).toEqual([]);
    await endOfTurn();
    expect(db.inTransaction).toBe(false);
    expect(committedRows("derived")).toEqual([1, 2, 3]);
  });

  it("are one and the same for every store on the handle", () => {
    const db = open("derived");
    expect(turnTransactions(db)).toBe(turnTransactions(db));
  });

  it("keep the turn's other writes when one statement fails on its own, as a unique index refuses it", async () => {
    const db = open("derived");
    const turn = turnTransactions(db);
    const insert = db.prepare<[number]>("INSERT INTO t (x) VALUES (?)");

    turn.write(() => insert.run(1));
    expect(() => turn.write(() => insert.run(1))).toThrow(/UNIQUE/);
    turn.write(() => insert.run(2));
    await endOfTurn();

    expect(committedRows("derived")).toEqual([1, 2]);
  });

  it("of two handles of this process on one file take turns, each committing the other's turn before writing", async () => {
    const first = open("derived");
    const second = open("derived");
    const insert = (db: Database.Database, x: number) => turnTransactions(db).write(() => db.exec(`INSERT INTO t (x) VALUES (${x})`));

    // Without the hand-over, the second BEGIN IMMEDIATE would wait on a commit this event loop can never run.
    insert(first, 1);
    insert(second, 2);
    expect(committedRows("derived")).toEqual([1]);
    insert(first, 3);
    expect(committedRows("derived")).toEqual([1, 2]);
    await endOfTurn();

    expect(committedRows("derived")).toEqual([1, 2, 3]);
  });

  it("of another handle of this process are committed before a durable write, which is then on disk on its own", () => {
    const first = open("derived");
    const second = open("derived");
    turnTransactions(first).write(() => first.exec("INSERT INTO t (x) VALUES (1)"));

    turnTransactions(second).durable(() => second.exec("INSERT INTO t (x) VALUES (2)"));

    expect(first.inTransaction || second.inTransaction).toBe(false);
    expect(second.pragma("synchronous", { simple: true })).toBe(1);
    expect(committedRows("derived")).toEqual([1, 2]);
  });

  it("commit at once when asked, before a write that must be durable on its own", () => {
    const db = open("derived");
    const turn = turnTransactions(db);
    turn.write(() => db.exec("INSERT INTO t (x) VALUES (1)"));

    turn.commitNow();

    expect(db.inTransaction).toBe(false);
    expect(committedRows("derived")).toEqual([1]);
  });

  it("refuse every later write once a turn's transaction was rolled back under them", async () => {
    const db = open("derived");
    const turn = turnTransactions(db);
    turn.write(() => db.exec("INSERT INTO t (x) VALUES (1)"));
    // What SQLite does on a full disk or an I/O error: the whole transaction is gone.
    turn.write(() => db.exec("ROLLBACK"));
    await endOfTurn();

    expect(() => turn.write(() => db.exec("INSERT INTO t (x) VALUES (2)"))).toThrow(TurnTransactionLostError);
    expect(committedRows("derived")).toEqual([]);
  });
});

describe("writes on a full file", () => {
  it("commit each on its own, as soon as it is made", () => {
    const db = open("full");
    const turn = turnTransactions(db);

    turn.write(() => db.exec("INSERT INTO t (x) VALUES (1)"));

    expect(turn.batched).toBe(false);
    expect(db.inTransaction).toBe(false);
    expect(committedRows("full")).toEqual([1]);
  });
});
