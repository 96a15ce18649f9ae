/** Tests are TypeScript run by ts-jest; the dynamic-provider host they spawn loads the built package (dist/). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // The acceptance suite has its own config (jest.acceptance.config.js, `npm run test:acceptance`).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/acceptance/"],
  transform: { "^.+\\.ts$": "ts-jest" },
  testTimeout: 60000,
  maxWorkers: 2,
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
};
