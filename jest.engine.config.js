/**
 * The real-engine suite (`npm run test:engine`): tests/engine/ only, through the Pulumi CLI built from
 * source (`npm run pulumi-cli`) and the built package (dist/). Each file runs its stacks in its own
 * PULUMI_HOME and file backend; two files at a time on 2 cores.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests/engine"],
  testMatch: ["**/*.test.ts"],
  // The language suite has its own config (jest.languages.config.js, npm run test:languages).
  testPathIgnorePatterns: ["/node_modules/", "/tests/engine/languages\\.", "/tests/engine/pluginSchema\\.test\\.ts$", "/tests/engine/sdks\\.test\\.ts$"],
  transform: { "^.+\\.ts$": "ts-jest" },
  testTimeout: 300000,
  maxWorkers: 2,
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
};
