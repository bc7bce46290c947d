import { defineConfig } from "vitest/config";

// The browser suite drives the built service (services/standalone/dist) in Debian's Chromium.
// Workspace packages resolve to their TypeScript sources, as in every other package's tests.
const conditions = ["@clientapps/source"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["e2e/**/*.test.ts", "src/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
