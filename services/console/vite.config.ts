import { defineConfig } from "vite";

// The api serves the built assets under /console (services/api/src/console/consoleRoutes.ts). Workspace packages
// (the redirect-URI rule of @clientapps/domain) are bundled from their TypeScript sources.
export default defineConfig({
  base: "/console/",
  resolve: { conditions: ["@clientapps/source"] },
  esbuild: { jsx: "automatic" },
  build: { outDir: "dist", assetsInlineLimit: 0, sourcemap: false, reportCompressedSize: true },
});
