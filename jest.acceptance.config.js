/**
 * The acceptance suite (docs/acceptance.md): tests/acceptance/ only, one file, run in band. What it
 * runs against is CODEARTS_ACC: 1 (a Huawei Cloud account), emulator, or unset (skipped, one line).
 * The dynamic-provider host it spawns loads the built package (dist/): run `npm run build` first.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests/acceptance"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "ts-jest" },
  testTimeout: 600000,
  maxWorkers: 1,
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
};
