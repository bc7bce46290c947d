import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minimumPepperBytes } from "@clientapps/credentials";

/**
 * The pepper keys every stored credential hash. Configured, it comes from the
 * environment; otherwise the first start writes a random one into the data
 * directory (owner-only), and every later start reads it back. Losing it
 * invalidates every stored credential, so it is backed up with the data.
 */
export const loadPepper = (configured: string | undefined, dataDir: string): Buffer => {
  if (configured) return Buffer.from(configured, "base64");
  const path = join(dataDir, "pepper");
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, randomBytes(minimumPepperBytes).toString("base64"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return Buffer.from(readFileSync(path, "utf8").trim(), "base64");
};
