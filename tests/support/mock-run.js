// Runs a compiled Pulumi program with @pulumi/pulumi's mocks in a plain Node process (the closure
// serializer misbehaves inside jest's VM) and prints the resources it declares as JSON lines.
// usage: node mock-run.js <program.js> <config-json>
const crypto = require("crypto");
process.env.PULUMI_CONFIG = process.argv[3];
const pulumi = require("@pulumi/pulumi");
const declared = [];
// The engine unwraps secrets for providers that do not accept them (the dynamic host says acceptSecrets: false).
const SIG = "4dabf18193072939515e22adb298388d";
const unwrapSecrets = (v) =>
  Array.isArray(v)
    ? v.map(unwrapSecrets)
    : v && typeof v === "object"
      ? v[SIG]
        ? unwrapSecrets(v.value)
        : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]))
      : v;
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      // 32-hex ids, the form every CodeArts id has, so cross-resource references pass the provider's check.
      const id = crypto.createHash("md5").update(args.name).digest("hex");
      const { __provider, ...inputs } = unwrapSecrets(args.inputs);
      declared.push({ type: args.type, name: args.name, inputs });
      // Outputs the service generates that another resource takes as an input: an API test suite's case ids (a plan's testCases).
      const generated = args.type.split(":").pop() === "ApiTestSuite" ? { testsuiteId: id, testcaseIds: [id] } : {};
      return { id, state: { ...args.inputs, ...generated } };
    },
    call: () => ({}),
  },
  "codearts-platform",
  "mock",
  false,
);
require(process.argv[2]);
process.on("beforeExit", () => {
  if (declared.length === 0) return;
  process.stdout.write(JSON.stringify(declared.splice(0)) + "\n");
});
