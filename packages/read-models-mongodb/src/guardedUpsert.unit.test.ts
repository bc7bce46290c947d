import { MongoNetworkError, MongoServerError } from "mongodb";
import { describe, expect, it } from "vitest";
import { guardedUpsert } from "./guardedUpsert.js";

const duplicate = (fields: Record<string, unknown> = {}) =>
  new MongoServerError({ code: 11000, errmsg: "E11000 duplicate key error collection: db.rm_clients", ...fields });
const onId = () => duplicate({ keyPattern: { _id: 1 } });
const onEmail = () => duplicate({ keyPattern: { "doc.email": 1 } });
const unnamed = () => duplicate();

class Taken extends Error {}

/** A write that fails with the given errors, one per attempt, then succeeds. */
const failing = (...errors: Error[]) => {
  let attempts = 0;
  return {
    write: async () => {
      const error = errors[attempts];
      attempts += 1;
      if (error) throw error;
    },
    attempts: () => attempts,
  };
};

describe("guardedUpsert", () => {
  it("answers true when the write succeeds", async () => {
    const write = failing();
    expect(await guardedUpsert({ write: write.write, storedIsCurrent: async () => false })).toBe(true);
  });

  it.each([
    ["_id", onId],
    ["another index", onEmail],
    ["an unnamed index", unnamed],
  ])("answers false for a duplicate on %s when the stored record is current", async (_, error) => {
    const write = failing(error());
    const result = guardedUpsert({ write: write.write, storedIsCurrent: async () => true, otherDuplicate: () => new Taken() });
    expect(await result).toBe(false);
    expect(write.attempts()).toBe(1);
  });

  it("throws the caller's error at once for a duplicate on another index over an older record", async () => {
    const write = failing(onEmail(), onEmail());
    const result = guardedUpsert({ write: write.write, storedIsCurrent: async () => false, otherDuplicate: () => new Taken() });
    await expect(result).rejects.toBeInstanceOf(Taken);
    expect(write.attempts()).toBe(1);
  });

  it("retries a duplicate _id over an older record: a concurrent writer inserted first", async () => {
    const write = failing(onId());
    const result = guardedUpsert({ write: write.write, storedIsCurrent: async () => false, otherDuplicate: () => new Taken() });
    expect(await result).toBe(true);
    expect(write.attempts()).toBe(2);
  });

  it("retries a duplicate on an unnamed index, and calls it the caller's error when it persists", async () => {
    const once = failing(unnamed());
    expect(await guardedUpsert({ write: once.write, storedIsCurrent: async () => false, otherDuplicate: () => new Taken() })).toBe(true);
    const always = failing(unnamed(), unnamed(), unnamed());
    const result = guardedUpsert({ write: always.write, storedIsCurrent: async () => false, otherDuplicate: () => new Taken() });
    await expect(result).rejects.toBeInstanceOf(Taken);
    expect(always.attempts()).toBe(3);
  });

  it("without other unique indexes, treats every duplicate as _id and gives up with the driver's error", async () => {
    const always = failing(unnamed(), unnamed(), unnamed());
    await expect(guardedUpsert({ write: always.write, storedIsCurrent: async () => false })).rejects.toBeInstanceOf(MongoServerError);
    expect(always.attempts()).toBe(3);
  });

  it("passes any other error through, for the store to translate", async () => {
    const network = new MongoNetworkError("connection reset");
    const result = guardedUpsert({ write: failing(network).write, storedIsCurrent: async () => false });
    await expect(result).rejects.toBe(network);
  });
});
