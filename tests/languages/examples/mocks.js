/**
 * Runs a resource page's TypeScript example (its first ```ts block, the dynamic resources of the package as
 * built in dist/) under Pulumi's mocks, as tests/languages/examples/mocks.py runs the Python generated from
 * the page's YAML: each registration recorded (type, logical name, inputs less the serialized provider,
 * secrets unwrapped), answered with its inputs and, as its id, 32 hex digits from its name. Prints them as JSON.
 *
 *   node mocks.js PAGE.md
 */
const crypto = require("crypto");
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const ts = require("typescript");

const SIG = "4dabf18193072939515e22adb298388d";
const plain = (v) =>
  Array.isArray(v) ? v.map(plain) : v && typeof v === "object" ? (SIG in v ? plain(v.value) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))) : v;
const registered = [];
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      const { __provider: _serialized, ...inputs } = a.inputs;
      registered.push({ type: a.type, name: a.name, inputs: plain(inputs) });
      const id = crypto.createHash("md5").update(a.name).digest("hex");
      // Outputs the service makes from nothing declared: an API test suite's (its id and the cases it generated).
      const made = a.type.endsWith(":ApiTestSuite") ? { testsuiteId: id, testcaseIds: [id] } : {};
      return { id, state: { ...a.inputs, ...made } };
    },
    call: (a) => {
      throw new Error(`the example calls ${a.token}: examples declare resources only`);
    },
  },
  "example",
  "dev",
  false,
);
const page = fs.readFileSync(process.argv[2], "utf8");
const sample = /```ts\n([\s\S]*?)\n```/.exec(page);
if (!sample) throw new Error(`${process.argv[2]} has no TypeScript example`);
// Type-checked elsewhere (tests/docSamples.test.ts): here only run, as CommonJS.
const js = ts.transpileModule(sample[1], { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
const module_ = { exports: {} };
new Function("require", "module", "exports", js)(require, module_, module_.exports);
process.once("beforeExit", () => process.stdout.write(JSON.stringify(registered)));
