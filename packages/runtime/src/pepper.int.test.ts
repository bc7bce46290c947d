import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { loadPepper } from "./pepper.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clientapps-runtime-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("generates a 256-bit pepper on first start, readable by the owner only, and reads the same one back", () => {
  const first = loadPepper(undefined, join(dir, "data"));
  expect(first.length).toBe(32);
  expect(statSync(join(dir, "data", "pepper")).mode & 0o777).toBe(0o600);
  expect(loadPepper(undefined, join(dir, "data")).equals(first)).toBe(true);
});

it("takes a configured pepper and writes nothing", () => {
  const configured = randomBytes(48);
  expect(loadPepper(configured.toString("base64"), dir).equals(configured)).toBe(true);
  expect(() => statSync(join(dir, "pepper"))).toThrow();
});
