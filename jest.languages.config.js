/**
 * The language suite (`npm run test:languages`, run by .ci/run after the engine suite): the resource-provider
 * plugin through the real CLI (YAML, Python and Go programs, pulumi import, the two doors compared), its
 * schema through Pulumi's own tools and the committed SDKs against a fresh generation. Engine tests like
 * tests/engine's others, with their own config because they also need the Go tools built beside the CLI
 * (`node dist/cli/pulumiBuild.js --tools`: the YAML language host and the code generators).
 */
const engine = require("./jest.engine.config.js");

module.exports = { ...engine, testMatch: ["**/languages.*.test.ts", "**/pluginSchema.test.ts", "**/sdks.test.ts"], testPathIgnorePatterns: ["/node_modules/"] };
