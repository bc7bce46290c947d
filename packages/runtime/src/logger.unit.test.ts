import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { createLogger } from "./logger.js";

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
    { clientSecret: "s1", request: { headers: { authorization: "Bearer t1" } }, body: { client_secret: "s2", registration_access_token: "t2" }, apiKey: "k1" },
    "oops",
  );
  const line = lines.join("");
  for (const secret of ["s1", "t1", "s2", "t2", "k1"]) expect(line).not.toContain(`"${secret}"`);
  expect(line).toContain("[redacted]");
  expect(JSON.parse(line)).toMatchObject({ level: "info", msg: "oops", name: "clientapps" });
});
