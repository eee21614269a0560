import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".hwlocal/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "Read time from the injected Clock (src/kernel/clock.ts)." },
        { object: "Math", property: "random", message: "Take ids and randomness from the injected Ids (src/kernel/ids.ts)." },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/kernel/zod-exports.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "zod", message: "Import { z } from src/kernel/zod.ts: zod's root namespace adds ~25 ms to cold start." }] },
      ],
    },
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", URL: "readonly" } },
  },
  {
    // bin/ is CommonJS (bin/package.json): Node starts it without its ES module loader.
    files: ["bin/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["src/kernel/clock.ts", "src/kernel/ids.ts", "test/**", "bench/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
