import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources in tests (the
// "@clientapps/source" export condition), so no build is needed to test.
// Only that condition is named: third-party packages keep Node's own resolution.
const conditions = ["@clientapps/source"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["src/**/*.test.ts", "blackbox/**/*.test.ts"],
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    restoreMocks: true,
  },
});
