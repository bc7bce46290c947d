import { defineConfig } from "vitest/config";

// The browser suite drives the built service (services/standalone/dist) in Debian's Chromium.
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts", "src/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
