// @ts-check
// One flat config for the whole workspace. Each package runs `eslint .` from its own
// folder (a turbo task, so results are cached per package); ESLint finds this file by
// walking up, and the project service gives each file the types of its nearest tsconfig.json.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const tests = [
  "**/*.test.ts",
  "services/console/e2e/**/*.ts",
  "**/testing/**/*.ts",
  "**/blackbox/**/*.ts",
  "packages/test-support/**/*.ts",
];

export default tseslint.config(
  {
    ignores: ["**/dist/", "**/node_modules/", "**/.turbo/", "**/coverage/", "**/data/", "**/*.d.ts"],
  },
  {
    // .tsx: the console's React pages (services/console), type-checked like the rest.
    files: ["**/*.ts", "**/*.tsx"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-duplicate-imports": "error",
      // verbatimModuleSyntax keeps every import that is not marked `type`; inline markers keep one statement per module.
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-non-null-assertion": "error",
      // `_` marks a deliberately unused name; `{ secret, ...rest }` is how the code omits a key.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // Adapters implement Promise-returning ports with `async` on synchronous drivers (SQLite) on purpose: a throw becomes a rejection.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: tests,
    rules: {
      // vitest fixtures must destructure their first parameter, even to `{}`, for vitest to read their dependencies.
      "no-empty-pattern": "off",
      // Spies and fakes pass methods unbound (`expect(fake.close).toHaveBeenCalled()`); `this` is never used there.
      "@typescript-eslint/unbound-method": "off",
      // vitest's asymmetric matchers (`expect.any(String)`, `expect.stringContaining(…)`) are typed `any` and sit inside expected objects.
      "@typescript-eslint/no-unsafe-assignment": "off",
      // supertest types a response body `any`: what a test reads of it is what it asserts, and a wrong read fails the test.
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      // Under noUncheckedIndexedAccess, `rows[0]!` in a test is an assertion: when it is wrong, the test fails.
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["**/*.js"],
    extends: [js.configs.recommended],
  },
  {
    // Build scripts run on Node.
    files: ["services/console/scripts/**/*.js"],
    languageOptions: { globals: { process: "readonly", fetch: "readonly", URL: "readonly" } },
  },
);
