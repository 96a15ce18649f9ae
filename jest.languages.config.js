/**
 * The language suite (`npm run test:languages`): the resource-provider plugin through the real CLI (a YAML
 * program, pulumi import) and its schema through Pulumi's own tools. Engine tests like tests/engine's
 * others, kept out of `npm run test:engine` (and so out of .ci/run) until they join it: they also need the
 * YAML language host and the codegen tool built beside the CLI (`node dist/cli/pulumiBuild.js --tools`).
 */
const engine = require("./jest.engine.config.js");

module.exports = { ...engine, testMatch: ["**/languages.*.test.ts", "**/pluginSchema.test.ts", "**/sdks.test.ts"], testPathIgnorePatterns: ["/node_modules/"] };
