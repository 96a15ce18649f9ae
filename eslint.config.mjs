// @ts-check
/**
 * ESLint flat config: eslint's and typescript-eslint's recommended rules, plus the type-aware rules
 * that catch promise mistakes (a dropped or misused promise in the provider or the harness is a real
 * bug). The rest of recommendedTypeChecked is left out: its no-unsafe-* rules would flag every use of
 * the untyped JSON the tests read back. `npm run lint` runs this, then `prettier --check .`.
 */
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    // sdk/kinds.generated.ts is written by scripts/generate-sdk-types.js and compared byte for byte with its output (tests/sdkTypes.test.ts).
    ignores: ["dist/", "node_modules/", "tests/.work/", ".emulator-data/", "sdk/kinds.generated.ts"],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The code's convention: a leading underscore marks a binding kept on purpose (a rest sibling, a placeholder parameter).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { args: "after-used", argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-for-in-array": "error",
      "@typescript-eslint/no-implied-eval": "error",
      "@typescript-eslint/no-array-delete": "error",
    },
  },
  {
    // Plain CommonJS scripts run by node without a build (and not in tsconfig): require is how they load modules; no type information.
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The SDK's resource classes get their output properties by merging with an interface that extends the generated <Kind>Outputs.
    files: ["sdk/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-declaration-merging": "off",
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    // The __provider shim is serialized into state and must require the installed provider when it runs (an import would be captured).
    files: ["sdk/provider.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The harness loads Pulumi's generated gRPC/protobuf modules from the resolved @pulumi/pulumi by path, with require.
    files: ["tests/harness/**/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests read untyped JSON answers, emulator stores and engine/protobuf objects; typing each probe of them would add nothing.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
