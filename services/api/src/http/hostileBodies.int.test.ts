import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsPath, confidentialClient, newCaller } from "../testing/clientApplicationRequests.js";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

/** Bodies shaped to crash a parser or a hash: each is the client's mistake, a 400, never a 5xx. */
describe("hostile request bodies", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  const nested = (levels: number, leaf = "1"): string => `${"[".repeat(levels)}${leaf}${"]".repeat(levels)}`;
  const nestedObject = (levels: number): string => `${'{"a":'.repeat(levels - 1)}{}${"}".repeat(levels - 1)}`;

  const post = async (body: string | Buffer, headers: Readonly<Record<string, string>> = {}) => {
    const caller = await newCaller(t);
    return t
      .http()
      .post(clientsPath)
      .set({ Authorization: caller.auth, "Content-Type": "application/json", ...headers })
      .serialize((raw: unknown) => raw as string)
      .send(body);
  };

  it("answers JSON nested 30000 deep with an Idempotency-Key with 400 json_too_deep, not a crash of the request hash", async () => {
    const response = await post(nested(30_000), { "Idempotency-Key": "deep-1" });

    expectProblem(response, 400, "json_too_deep");
  });

  it("answers JSON nested 30000 deep without an Idempotency-Key with 400 json_too_deep", async () => {
    expectProblem(await post(nested(30_000)), 400, "json_too_deep");
  });

  it("refuses a body nested 65 levels deep and reads one nested 64 levels deep", async () => {
    expectProblem(await post(nestedObject(65)), 400, "json_too_deep");

    const problem = expectProblem(
      await post(JSON.stringify(confidentialClient({ description: JSON.parse(nestedObject(63)) as unknown }))),
      400,
      "validation_failed",
    );
    expect(problem.errors).toEqual([expect.objectContaining({ field: "description" })]);
  });

  it("answers a body declared gzip that is not gzip with 400 malformed_body", async () => {
    const response = await post(JSON.stringify(confidentialClient()), { "Content-Encoding": "gzip" });

    const problem = expectProblem(response, 400, "malformed_body");
    expect(problem.detail).toMatch(/Content-Encoding/);
  });

  it("reads a body that is gzip as declared", async () => {
    const response = await post(gzipSync(JSON.stringify(confidentialClient())), { "Content-Encoding": "gzip" });

    expect(response.status).toBe(201);
  });

  it("answers a path with a broken percent-encoding with 400, not 500", async () => {
    const caller = await newCaller(t);
    const response = await t.http().get(`${clientsPath}/%E0%A4%A`).set("Authorization", caller.auth);

    expectProblem(response, 400, "malformed_path");
  });
});
