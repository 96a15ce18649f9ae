/** Tests are TypeScript run by ts-jest; the dynamic-provider host they spawn loads the built package (dist/). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // The acceptance suite and the real-engine suite have their own configs (jest.acceptance.config.js,
  // jest.engine.config.js).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/acceptance/", "<rootDir>/tests/engine/"],
  transform: { "^.+\\.ts$": "ts-jest" },
  testTimeout: 60000,
  maxWorkers: 2,
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
};
