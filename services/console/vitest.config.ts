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
    // A browser test walks many pages (the accessibility sweep runs a dozen axe scans in one test:
    // 38 s on a two-core CI machine beside the other packages' tests); the bound only ends a test that hangs.
    testTimeout: 150_000,
    hookTimeout: 60_000,
  },
});
