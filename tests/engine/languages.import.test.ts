import * as fs from "fs";
import * as path from "path";
import { clientSettings, DEFAULT_ACCOUNT, seedTestCases, stackConfig, startEmulator, type Emulator, type LogEntry } from "../../emulator";
import { ApiClient } from "../../provider/client";
import { makeProvider, type Glue } from "../../provider/dynamic";
import { KINDS, type KindName } from "../../provider/kinds";
import { KINDS_UNDER_TEST, stateMismatch, type Env } from "../harness/kinds";
import type { ResourceState } from "../harness/engine";
import { CliStack, PLUGIN_DIR, type CliRun } from "../harness/cliStack";
import { definitions, goProgram, pythonProgram, typescriptProgram, type Registered } from "../harness/generatedCode";
import { ENGINE_WORK_ROOT, type ExportedResource } from "../harness/realEngine";
import { byName, isSecret, mutating } from "../harness/languagePrograms";

/**
 * `pulumi import` of every kind that has a read by id, through the real CLI: one object of each made
 * outside the program (by the same glue, as a console would), all imported in bulk with `--file` (each
 * by the id form its `get` documents), into a YAML project whose language host writes the code. The state
 * then equals the service, the code the CLI wrote, added to the program, leaves `up` nothing to do, and
 * the same import written in TypeScript, Python and Go (`pulumi-codearts-codegen definitions`: the
 * importer and program generators the language hosts run) compiles against the SDKs generated from the
 * schema and declares what was imported: each resource's inputs, references and `protect` as `pulumi
 * import` writes them. The VPCEP access control, with no read by id, is refused.
 */
const P = DEFAULT_ACCOUNT.codeartsProjects[0];
const D = DEFAULT_ACCOUNT.domainId;
/** A sensitive script parameter: the service answers a mask, so the code must not hold the value. */
const TOKEN = "s3cret-import-token";

const PROGRAM = `name: codearts-import
runtime: yaml
description: Objects made elsewhere, adopted with pulumi import.
plugins:
  providers:
    - name: codearts
      path: ${PLUGIN_DIR}
resources: {}
`;

/**
 * One object of each readable kind, in the order their dependencies need: the inputs the reliability
 * suites use (tests/harness/kinds.ts), what a kind provides to the later ones, and the id `pulumi
 * import` is given (the forms docs/plugin.md lists, both forms where a kind takes two).
 */
const OBJECTS: Array<{ kind: KindName; inputs?: (e: Env) => Record<string, unknown>; provides?: string; importId?: (id: string) => string }> = [
  { kind: "PipelineGroup", provides: "G1", importId: (id) => `${P}/${id}` },
  { kind: "PipelineTemplate", provides: "T", importId: (id) => `${D}/${id}` },
  { kind: "Pipeline", importId: (id) => `${P}/${id}` },
  { kind: "Publisher", provides: "publisher" },
  // A multi plug-in: the version's steps make it composite, refused on a single one.
  { kind: "Plugin", inputs: () => ({ pluginName: "versioned", displayName: "Versioned", businessType: "Deploy", pluginCompositionType: "multi" }), provides: "plugin" },
  { kind: "PluginVersion" },
  { kind: "Rule", provides: "rule" },
  { kind: "RuleSet", importId: (id) => `${D}/${id}` },
  { kind: "OpenSourcePolicy" },
  {
    kind: "Script",
    inputs: () => ({
      name: "imported_script",
      description: "d",
      type: "SHELL",
      content: './deploy.sh "$token"',
      riskLevel: "LOW",
      version: "1",
      params: [{ name: "token", value: TOKEN, sensitive: true }],
    }),
  },
  { kind: "TestPlan", importId: (id) => `${P}/${id}` },
];
/**
 * What a read by id cannot return, per kind (docs/plugin.md, Import): the program import writes holds
 * something else there, and declaring the object's real value afterwards changes it at the next up, in
 * place, or by replacing it where the kind replaces.
 */
const UNREAD: Partial<Record<KindName, { differ: string[]; replace: string[] }>> = {
  // Found by listing (no API returns one pipeline): only its name and project.
  Pipeline: { differ: ["definition", "groupId", "isPublish", "sources"], replace: ["definition", "isPublish", "sources"] },
  // The detail answers the steps without their identifiers.
  PluginVersion: { differ: ["steps"], replace: [] },
  // The detail omits layout_content: import records a marker.
  Rule: { differ: ["layoutContent"], replace: [] },
  // Sensitive parameter values come back as the service's mask.
  Script: { differ: ["params"], replace: [] },
  // No API returns a plan's services.
  TestPlan: { differ: ["serviceIdList"], replace: [] },
};
const READABLE = KINDS_UNDER_TEST.filter((k) => !(KINDS as Record<string, { noImport?: string }>)[k.type].noImport);
const nameOf = (kind: string) => `adopted${kind}`;

let emu: Emulator;
let stack: CliStack;
let client: ApiClient;
const forgotten = new Set<string>();
/** Per kind: the id its create recorded, the inputs it was made with (checked), and its glue. */
const made: Record<string, string> = {};
const declared: Record<string, Record<string, unknown>> = {};
const glues: Record<string, Glue> = {};
/** `pulumi stack export --show-secrets` right after the import: the states `pulumi import` writes its code from. */
let afterImport: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  seedTestCases(emu.store, P, 1, ["c1000000000000000000000000000001"]);
  // The default provider's configuration: the dynamic resources' keys, in the codearts: namespace.
  const config = Object.fromEntries(Object.entries(stackConfig(emu, DEFAULT_ACCOUNT)).map(([k, v]) => [k.replace(/^huaweicloud:/, "codearts:"), v]));
  stack = await CliStack.create({ project: PROGRAM, config });
});
afterAll(async () => {
  await client?.close();
  await stack?.dispose();
  await emu?.close();
});

/** State values as a program declares them: secrets unwrapped (an export with --show-secrets holds their plaintext; without, none are compared). */
const plain = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(plain)
    : v && typeof v === "object"
      ? isSecret(v)
        ? "plaintext" in v
          ? plain(JSON.parse((v as { plaintext: string }).plaintext))
          : "[secret]"
        : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
      : v;

/** The service holds what the stack export claims, for every kind (the VPCEP access control: none). */
async function agrees(): Promise<ReturnType<CliStack["exported"]>> {
  const exported = await stack.exported();
  const state = new Map<string, ResourceState>(exported.resources.filter((x) => x.custom && x.id).map((x, i) => [`${i}`, x as unknown as ResourceState]));
  const mismatches = KINDS_UNDER_TEST.map((k) => stateMismatch({ emu, engine: { state } }, k, forgotten)).filter((m) => m !== undefined);
  expect(mismatches).toEqual([]);
  expect(exported.text).not.toContain(TOKEN);
  return exported;
}

async function op(operation: "up"): Promise<CliRun & { calls: LogEntry[] }> {
  const mark = emu.log.mark();
  const r = await stack.op(operation);
  if (!r.ok) throw new Error(`${operation}: ${r.stderr || r.stdout}`);
  return { ...r, calls: emu.log.since(mark) };
}

test("every kind with a read is covered here: one object made outside the program", async () => {
  expect(OBJECTS.map((o) => o.kind).sort()).toEqual(READABLE.map((k) => k.type).sort());
  client = new ApiClient(clientSettings(emu, DEFAULT_ACCOUNT));
  const settings = clientSettings(emu, DEFAULT_ACCOUNT);
  const env: Env = { P };
  for (const o of OBJECTS) {
    const glue = (glues[o.kind] = makeProvider(KINDS[o.kind] as never, () => ({ client, settings, log: () => undefined })));
    const k = READABLE.find((x) => x.type === o.kind)!;
    // Checked first, as an up would: what check fills in from the configuration (a policy's tenant).
    const checked = await glue.check({}, o.inputs ? o.inputs(env) : k.inputs(env, 1));
    expect([o.kind, checked.failures]).toEqual([o.kind, []]);
    declared[o.kind] = checked.inputs;
    made[o.kind] = (await glue.create(checked.inputs)).id;
    if (o.provides) env[o.provides] = o.provides === "plugin" ? (checked.inputs.pluginName as string) : made[o.kind];
  }
  // The state does not claim them yet: the service holds one of each kind that the stack does not know.
  const exported = await stack.exported();
  expect(exported.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))).toEqual([]);
});

test("imported in bulk with --file, each by its documented id: recorded with the id a create records, nothing written", async () => {
  const file = path.join(stack.dir, "import.json");
  fs.writeFileSync(
    file,
    JSON.stringify({ resources: OBJECTS.map((o) => ({ type: `codearts:index:${o.kind}`, name: nameOf(o.kind), id: (o.importId ?? ((id) => id))(made[o.kind]) })) }),
  );
  const mark = emu.log.mark();
  // As a user runs it: protected (the default), code written by the YAML language host.
  const r = await stack.run(["import", "--file", file, "--yes", "--out", path.join(stack.dir, "import.yaml"), "--stack", stack.stackName]);
  expect([r.ok, r.stderr]).toEqual([true, ""]);
  expect(mutating(emu.log.since(mark))).toEqual([]);
  const { resources } = await agrees();
  for (const o of OBJECTS) {
    expect([o.kind, byName(resources, nameOf(o.kind))]).toEqual([o.kind, expect.objectContaining({ type: `codearts:index:${o.kind}`, id: made[o.kind], protect: true })]);
  }
  // What import recorded is the object as it was made, compared as the kind compares (its diff), but for what no read by id returns.
  const quiet = jest.spyOn(console, "error").mockImplementation(() => undefined); // the diff logs why it would replace
  const differ: Array<[string, string[], string[]]> = [];
  try {
    for (const o of OBJECTS) {
      const diff = await glues[o.kind].diff(made[o.kind], plain(byName(resources, nameOf(o.kind))!.outputs) as Record<string, unknown>, declared[o.kind]);
      differ.push([o.kind, diff.diffs.sort(), diff.replaces.sort()]);
    }
  } finally {
    quiet.mockRestore();
  }
  expect(differ).toEqual(OBJECTS.map((o) => [o.kind, UNREAD[o.kind]?.differ ?? [], UNREAD[o.kind]?.replace ?? []]));
  const exported = await stack.run(["stack", "export", "--show-secrets", "--stack", stack.stackName]);
  expect(exported.ok).toBe(true);
  afterImport = path.join(stack.dir, "after-import.json");
  fs.writeFileSync(afterImport, exported.stdout);
});

test("the YAML the CLI wrote, added to the program, leaves up nothing to do", async () => {
  const yaml = fs.readFileSync(path.join(stack.dir, "import.yaml"), "utf8");
  for (const o of OBJECTS) expect(yaml).toContain(`type: codearts:${o.kind}\n`);
  expect(yaml.match(/protect: true/g)).toHaveLength(OBJECTS.length);
  expect(yaml).not.toContain(TOKEN);
  // The program had no resources ({}: YAML refuses an empty key); appendResources adds under `resources:`.
  const project = path.join(stack.programDir, "Pulumi.yaml");
  fs.writeFileSync(project, fs.readFileSync(project, "utf8").replace(/^resources: \{\}$/m, "resources:"));
  stack.appendResources(yaml);
  const up = await op("up");
  expect(up.summary!.resources.filter((l) => l.op !== "same").map((l) => [l.name, l.op, l.changes, l.replaces])).toEqual([]);
  expect(mutating(up.calls)).toEqual([]);
  await agrees();
});

test("a VPCEP access control cannot be imported: refused, saying there is no read by id", async () => {
  const file = path.join(stack.dir, "import-vpcep.json");
  fs.writeFileSync(file, JSON.stringify({ resources: [{ type: "codearts:index:VpcepAccessControl", name: "access", id: "vpceps-cn-north-4-12345678" }] }));
  const r = await stack.run(["import", "--file", file, "--yes", "--out", path.join(stack.dir, "import-vpcep.yaml"), "--stack", stack.stackName]);
  expect(r.ok).toBe(false);
  expect(r.stdout + r.stderr).toContain("VpcepAccessControl cannot be imported: no API reads access records by id");
  const { resources } = await agrees();
  expect(resources.filter((x) => x.type === "codearts:index:VpcepAccessControl")).toEqual([]);
});

describe("the same import written in TypeScript, Python and Go (codegen definitions), compiled", () => {
  let work: string;
  let imported: ExportedResource[];
  const names = OBJECTS.map((o) => nameOf(o.kind));
  beforeAll(() => {
    if (!afterImport) throw new Error("no state after the import: its test failed");
    fs.mkdirSync(ENGINE_WORK_ROOT, { recursive: true });
    work = fs.mkdtempSync(path.join(ENGINE_WORK_ROOT, "import-code-"));
    imported = (JSON.parse(fs.readFileSync(afterImport, "utf8")) as { deployment: { resources: ExportedResource[] } }).deployment.resources.filter((r) =>
      names.some((n) => r.urn.endsWith(`::${n}`)),
    );
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  const nameIn = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
  /** What each imported resource must register: its type, name, the inputs the import recorded, protected. */
  const expected = () => imported.map((r) => ({ type: r.type, name: nameIn(r.urn), inputs: plain(r.inputs), protect: true })).sort((a, b) => a.name.localeCompare(b.name));
  const ids = () => Object.fromEntries(imported.map((r) => [nameIn(r.urn), r.id!]));
  const registered = (rs: Registered[]) => rs.filter((r) => !r.type.startsWith("pulumi:providers:")).sort((a, b) => a.name.localeCompare(b.name));

  test("TypeScript: compiles (strict) against the Node.js SDK generated from the schema; run under mocks, declares exactly what was imported, protected", async () => {
    const code = await definitions("nodejs", afterImport, names);
    expect(code).not.toContain(TOKEN);
    // An input equal to another imported resource's id is written as a reference to it.
    expect(code).toContain("id: adoptedRule.id,");
    expect(code).toContain("pluginName: adoptedPlugin.id,");
    expect(registered(await typescriptProgram(code, work, ids()))).toEqual(expected());
  });

  test("Go: builds against sdk/go (CGO off); run under mocks, declares exactly what was imported, protected", async () => {
    const code = await definitions("go", afterImport, names);
    expect(code).not.toContain(TOKEN);
    expect(code).toContain("Id:      adoptedRule.ID(),");
    expect(registered(await goProgram(code, work, ids()))).toEqual(expected());
  });

  test("Python: compiles; every class, argument, enum member and nested key it uses is in sdk/python; declares what was imported, protected", async () => {
    const code = await definitions("python", afterImport, names);
    expect(code).not.toContain(TOKEN);
    const report = await pythonProgram(code, work);
    expect(report.problems).toEqual([]);
    // Python's names are snake_case where the state's are camelCase: compared without case or underscores.
    const key = (k: string) => k.replace(/_/g, "").toLowerCase();
    const byVariable = new Map(report.resources.map((r) => [r.variable, r]));
    const id = new Map(imported.map((r) => [nameIn(r.urn), r.id]));
    const norm = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(norm);
      if (v && typeof v === "object") {
        const ref = (v as { $ref?: [string, string] }).$ref;
        if (ref) return ref[1] === "id" ? id.get(byVariable.get(ref[0])?.name ?? "") : v;
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [key(k), norm(x)]));
      }
      return v;
    };
    const declared = report.resources
      .map((r) => ({ type: `codearts:index:${r.kind}`, name: r.name, inputs: norm(r.inputs), protect: r.protect }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(declared).toEqual(expected().map((e) => ({ ...e, inputs: norm(e.inputs) })));
    expect(report.resources.find((r) => r.kind === "RuleSet")!.inputs.rules).toEqual([expect.objectContaining({ id: { $ref: ["adopted_rule", "id"] } })]);
  });

  test("the plain form, [{type, name, id, inputs}], gives the same code as the state", async () => {
    const list = imported.map((r) => ({ type: r.type, name: nameIn(r.urn), id: r.id, inputs: r.inputs }));
    const file = path.join(work, "plain.json");
    fs.writeFileSync(file, JSON.stringify(list));
    for (const lang of ["nodejs", "python", "go"] as const) expect([lang, await definitions(lang, file)]).toEqual([lang, await definitions(lang, afterImport, names)]);
  });
});
