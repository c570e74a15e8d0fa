// npm run lint: type-aware rules (typescript-eslint reads the project's types, so it can tell a
// promise nobody awaits, or an `any` where a real type exists).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Learner code (tutorials, templates, examples: seL4-style TODO blocks), build output, and
    // fixtures that are wrong on purpose.
    ignores: [
      "dist/",
      "dist-bench/",
      "node_modules/",
      "tutorials/",
      "templates/",
      "examples/",
      "skeletons/",
      "test/**/fixtures/",
      "**/*.d.ts",
      // ajv's code for schemas/*.schema.json (scripts/schema-validators.mjs writes it).
      "**/*.generated.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { project: "./tsconfig.eslint.json", tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    // The in-process driver's programs are generators even when they never trap (a thread that
    // just returns), so a generator without yield is fine there.
    files: ["test/**/*.ts"],
    rules: { "require-yield": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
