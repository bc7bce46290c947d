import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateCredential } from "@clientapps/credentials";
import { createLogger, logDestination } from "./logger.js";

it("redacts credential-bearing fields should one ever be logged", () => {
  const lines: string[] = [];
  const logger = createLogger(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    }),
  );
  logger.info(
    {
      clientSecret: "s1",
      request: { headers: { authorization: "Bearer t1" } },
      body: { client_secret: "s2", registration_access_token: "t2" },
      apiKey: "k1",
    },
    "oops",
  );
  const line = lines.join("");
  for (const secret of ["s1", "t1", "s2", "t2", "k1"]) expect(line).not.toContain(`"${secret}"`);
  expect(line).toContain("[redacted]");
  expect(JSON.parse(line)).toMatchObject({ level: "info", msg: "oops", name: "clientapps" });
});

it("redacts a credential anywhere in a log line: message, field values, error messages and stacks", () => {
  const lines: string[] = [];
  const logger = createLogger(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    }),
  );
  const [key, secret, token] = [generateCredential("apiKey"), generateCredential("clientSecret"), generateCredential("adminToken")];
  logger.info({ path: `/api/v1/clientapplications/${key}` }, "request");
  logger.error({ err: new Error(`no such client '${secret}'`) }, `unhandled error for ${token}`);

  const text = lines.join("");
  for (const credential of [key, secret, token]) expect(text).not.toContain(credential.slice(7));
  expect(JSON.parse(lines[0] ?? "")).toMatchObject({ path: "/api/v1/clientapplications/ca_key_[redacted]", msg: "request" });
  expect(text).toContain("ca_admin_[redacted]");
});

describe("the log destination", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "clientapps-logs-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Logs one line through the destination chosen for an output like `output`, and returns what reached the file. */
  const written = (isTTY: boolean): string => {
    const path = join(dir, "out.log");
    const fd = openSync(path, "w");
    try {
      createLogger({ level: "info", name: "clientapps-test" }, logDestination({ fd, isTTY })).info(
        { clientId: "c1", token: "t1" },
        "client registered",
      );
    } finally {
      closeSync(fd);
    }
    return readFileSync(path, "utf8");
  };

  it("writes JSON lines when the output is not a terminal, as log collectors expect", () => {
    const lines = written(false).trimEnd().split("\n");

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "info",
      name: "clientapps-test",
      msg: "client registered",
      clientId: "c1",
      token: "[redacted]",
    });
  });

  it("pretty-prints on a terminal, still redacted, synchronously", () => {
    const output = written(true);

    expect(() => void JSON.parse(output)).toThrow();
    expect(output).toContain("client registered");
    expect(output).toContain("clientapps-test");
    expect(output).toContain("[redacted]");
    expect(output).not.toContain("t1");
  });
});
