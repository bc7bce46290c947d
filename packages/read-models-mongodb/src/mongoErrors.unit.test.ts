import { DuplicateKeyError, ReadModelUnavailableError } from "@clientapps/read-models";
import {
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";
import { describe, expect, it } from "vitest";
import { duplicateKeyOf, translateMongoError } from "./mongoErrors.js";

const serverError = (fields: Record<string, unknown>) => new MongoServerError(fields);

describe("duplicateKeyOf", () => {
  it.each([
    ["MongoDB's key pattern on _id", { code: 11000, errmsg: "E11000", keyPattern: { _id: 1 } }, "id"],
    ["MongoDB's key pattern on a field", { code: 11000, errmsg: "E11000", keyPattern: { "doc.email": 1 } }, "other"],
    [
      "the index named in the message",
      { code: 11000, errmsg: 'E11000 duplicate key error collection: db.rm_c index: _id_ dup key: { _id: "c1" }' },
      "id",
    ],
    [
      "another index named in the message",
      { code: 11000, errmsg: "E11000 duplicate key error collection: db.rm_c index: unique(email) dup key: {}" },
      "other",
    ],
    ["FerretDB's insert, naming no index", { code: 11000, errmsg: "E11000 duplicate key error collection: db.rm_c" }, "unknown"],
    [
      "FerretDB's update over SQLite",
      { code: 1, errmsg: "[update.go:114] constraint failed: UNIQUE constraint failed: index 'rm_c_fd0c5087_unique(email)' (2067)" },
      "other",
    ],
    ["another InternalError", { code: 1, errmsg: "something else" }, undefined],
    ["another server error", { code: 2, errmsg: "BadValue" }, undefined],
  ] as const)("reads %s", (_, fields, expected) => {
    expect(duplicateKeyOf(serverError(fields))).toBe(expected);
  });

  it("answers undefined for errors that are not the server's", () => {
    expect(duplicateKeyOf(new MongoNetworkError("reset"))).toBeUndefined();
    expect(duplicateKeyOf(new Error("E11000"))).toBeUndefined();
  });
});

describe("translateMongoError", () => {
  it.each([
    new MongoNetworkError("connection refused"),
    new MongoNetworkTimeoutError("timed out"),
    new MongoServerSelectionError("no server", { type: "Unknown", servers: new Map() } as never),
    new MongoTopologyClosedError(),
  ])("reports %s as unreachable", (error) => {
    const translated = translateMongoError(error);
    expect(translated).toBeInstanceOf(ReadModelUnavailableError);
    expect(translated.message).toMatch(/cannot be reached/);
    expect(translated.cause).toBe(error);
  });

  it("reports any other driver or server error as unavailable, naming its class and code but not its values", () => {
    const error = serverError({ code: 11000, errmsg: 'E11000 dup key: { email: "secret@example.test" }' });
    const translated = translateMongoError(error);
    expect(translated).toBeInstanceOf(ReadModelUnavailableError);
    expect(translated.message).toBe("The MongoDB read-model store failed (MongoServerError 11000).");
    expect(translated.message).not.toContain("secret");
    expect(translateMongoError(new TypeError("boom"))).toBeInstanceOf(ReadModelUnavailableError);
  });

  it("leaves the port's own errors as they are", () => {
    const duplicate = new DuplicateKeyError("clients");
    expect(translateMongoError(duplicate)).toBe(duplicate);
  });
});
