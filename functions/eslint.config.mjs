import js from "@eslint/js";
import tseslint from "typescript-eslint";

const LOGS_ONLY =
  "Log through src/logs.ts (logInfo/logWarn/logError with an event from log-events.ts): it masks phone numbers.";
const LOG_METHODS = "/^(info|warn|error|debug|log|write)$/";

export default tseslint.config(
  { ignores: ["lib/**", "node_modules/**", "*.mjs", "*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    // Every log line goes through logs.ts: a named event from its catalogue, phone numbers masked.
    files: ["src/**/*.ts"],
    ignores: ["src/logs.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "firebase-functions/logger", message: LOGS_ONLY },
            { name: "firebase-functions", importNames: ["logger"], message: LOGS_ONLY },
            { name: "firebase-functions/v1", importNames: ["logger"], message: LOGS_ONLY },
            { name: "firebase-functions/v2", importNames: ["logger"], message: LOGS_ONLY },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: `MemberExpression[property.name=${LOG_METHODS}][object.name=/[lL]ogger$/]`,
          message: LOGS_ONLY,
        },
        {
          selector: `MemberExpression[property.name=${LOG_METHODS}][object.property.name=/[lL]ogger$/]`,
          message: LOGS_ONLY,
        },
      ],
    },
  },
  {
    files: ["src/tools/**/*.ts", "test/**/*.ts", "bench/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
