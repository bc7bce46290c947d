import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/testApi.js";

/*
 * The document the api serves is also committed, in @clientapps/api-contract, for
 * clients generated from it (the console) to build against without starting the
 * api. This test keeps the two the same: it fails when a route declaration changed
 * and the contract was not regenerated, and `UPDATE_API_CONTRACT=1` regenerates it.
 */

const contractPath = createRequire(import.meta.url).resolve("@clientapps/api-contract/openapi.json");
const asFile = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

it("serves exactly the document committed in @clientapps/api-contract (UPDATE_API_CONTRACT=1 rewrites it)", async () => {
  const served = asFile((await t.http().get("/openapi.json")).body);
  if (process.env.UPDATE_API_CONTRACT === "1") writeFileSync(contractPath, served);

  expect(
    readFileSync(contractPath, "utf8"),
    "the committed contract is stale: run " +
      "UPDATE_API_CONTRACT=1 pnpm --filter @clientapps/api exec vitest run src/openapi/apiContract.int.test.ts",
  ).toBe(served);
});
