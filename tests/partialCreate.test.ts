import { INCOMPLETE_KEY } from "../provider/dynamic";
import { KINDS } from "../provider/kinds";
import { deepEqual } from "./harness";
import { claimed, Env, inventory, KINDS_UNDER_TEST } from "./harness/kinds";
import { startWorld, World } from "./support/world";

// Issue 12 item 6: a create that fails after the object was made leaves the object in the state with
// init errors and the outputs the create could record. The engine's next `up` calls Update even when
// Diff sees no change; that Update must finish the create: the outputs it records are the ones a read
// gives (a create that went through records the same), the declared inputs are converged, and no
// second object is made. Faults (emulator/faults.ts) fail a later step of each create.
let w: World;

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.close();
});

const kindUnderTest = (type: string) => KINDS_UNDER_TEST.find((k) => k.type === type)!;
const maintained = (type: string): readonly string[] => (KINDS[type as keyof typeof KINDS] as unknown as { serviceMaintained?: readonly string[] }).serviceMaintained ?? [];
const stateOf = (type: string, name: string) => w.engine.state.get(w.engine.urn(type, name));

/** Output keys that differ, service-maintained ones aside (an update finishing the create may move those on). */
function differing(type: string, a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => k !== "__provider" && !maintained(type).includes(k) && !deepEqual(a[k] ?? null, b[k] ?? null)).sort();
}

interface Case {
  type: string;
  /** The later step of the create that fails. */
  what: string;
  fault: { method: string; path: string };
  /** The writes the next up sends: the failed step and nothing else. */
  finishes: string[];
  inputs(env: Env): Record<string, unknown>;
  setup?(): Promise<Env>;
  /** Readings the emulator speaks for this case (the default ones otherwise). */
  dialect?: Record<string, string>;
}

const step = { task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "./deploy.sh" } };
const CASES: Case[] = [
  {
    type: "PipelineTemplate",
    what: "the read after the create fails",
    fault: { method: "GET", path: "/v5/{tenant_id}/api/pipeline-templates/{template_id}" },
    finishes: [],
    inputs: () => kindUnderTest("PipelineTemplate").inputs({}, 901),
  },
  {
    type: "Pipeline",
    what: "made from a template, the move into its group fails",
    fault: { method: "POST", path: "/v5/{project_id}/api/pipeline-group/pipeline/move" },
    finishes: ["PipelineGroup.movePipelines"],
    setup: () => kindUnderTest("Pipeline").setup!(w),
    inputs: (env) => kindUnderTest("Pipeline").steps!.find((s) => s.route.path.endsWith("/move"))!.inputs!(env, 902),
  },
  {
    type: "Plugin",
    what: "the listing after the add fails",
    fault: { method: "POST", path: "/v1/*/agent-plugin/query-all" },
    finishes: [],
    inputs: () => kindUnderTest("Plugin").inputs({}, 903),
  },
  {
    type: "PluginVersion",
    what: "§4.9.1 makes a draft (X12 draft), its publishing fails",
    fault: { method: "POST", path: "/v1/*/agent-plugin/publish-draft" },
    finishes: ["PluginVersion.publishDraft"],
    dialect: { X12: "draft" },
    setup: async () => {
      await w.engine.up("Plugin", "partial-plugin", { pluginName: "partial_plugin", displayName: "Partial", businessType: "Deploy" });
      return { plugin: "partial_plugin" };
    },
    inputs: (env) => ({ pluginName: env.plugin, version: "1.0.0", steps: [step], publish: true }),
  },
  {
    type: "PluginVersion",
    what: "§4.9.1 makes it released, binding its publisher fails",
    fault: { method: "POST", path: "/v1/*/agent-plugin/publish-plugin-bind" },
    finishes: ["Plugin.bindPublisher"],
    setup: async () => {
      await w.engine.up("Plugin", "partial-plugin-2", { pluginName: "partial_plugin_2", displayName: "Partial 2", businessType: "Deploy" });
      const publisher = (await w.engine.up("Publisher", "partial-publisher", { name: "Partial", enName: "partial", supportUrl: "support@acme.example" })).state!.id;
      return { plugin: "partial_plugin_2", publisher };
    },
    inputs: (env) => ({ pluginName: env.plugin, version: "1.0.0", steps: [step], publish: true, publisherId: env.publisher }),
  },
  {
    type: "TestPlan",
    what: "the plan is made, adding its test cases fails",
    fault: { method: "POST", path: "/v1/projects/{project_id}/plans/{plan_id}/testcases/batch-add" },
    finishes: ["TestPlan.addTestCases"],
    setup: () => kindUnderTest("TestPlan").setup!(w),
    inputs: (env) => kindUnderTest("TestPlan").steps![0].inputs!(env, 905),
  },
];

describe.each(CASES.map((c) => [c.type, c.what, c] as const))("%s: %s", (type, _what, c) => {
  afterEach(() => w.emu.dialect.reset());
  test("the next up finishes the create: complete outputs (as a read gives them), inputs converged, one object", async () => {
    w.emu.dialect.set(c.dialect ?? {});
    const env = c.setup ? await c.setup() : {};
    const inputs = c.inputs(env);
    // One resource per case (two cases share a kind).
    const name = `partial-${CASES.indexOf(c)}`;
    // Every retry the client and the provider allow fails too.
    w.emu.faults.inject({ ...c.fault, fault: { type: "status", status: 503 }, times: 20 });
    await expect(w.engine.up(type, name, inputs)).rejects.toThrow(/was created and is kept in the state/);
    w.emu.faults.clear();
    const partial = stateOf(type, name)!;
    expect(partial.initErrors?.length).toBeGreaterThan(0);
    expect(partial.outputs[INCOMPLETE_KEY]).toBe(true);

    const mark = w.emu.log.mark();
    const again = await w.engine.up(type, name, inputs);
    expect(again.op).toBe("update");
    // Reads, then only the step the create did not get to: nothing created again, nothing rewritten.
    const writes = w.emu.log
      .since(mark)
      .map((e) => e.operation ?? "")
      .filter((op) => !/\.(list|get|detail|tree)$/.test(op));
    expect(writes).toEqual(c.finishes);
    const finished = stateOf(type, name)!;
    expect(finished.initErrors ?? []).toEqual([]);
    expect(finished.outputs[INCOMPLETE_KEY]).toBeUndefined();

    // What the service says now: the same outputs, and nothing left to change.
    const read = (await w.engine.refresh(type, name)).state!;
    expect({ type, differing: differing(type, finished.outputs, read.outputs) }).toEqual({ type, differing: [] });
    expect((await w.engine.preview(type, name, inputs)).op).toBe("same");
    // No second object: the service holds exactly what the state claims.
    const k = kindUnderTest(type);
    expect(inventory(w, k).sort()).toEqual(claimed(w, k).sort());
  });
});

test("Publisher (no update API): an Update after init errors reads the object and records complete outputs", async () => {
  const inputs = kindUnderTest("Publisher").inputs({}, 906);
  const made = (await w.engine.up("Publisher", "partial", inputs)).state!;
  const complete = made.outputs;
  // The state the engine keeps after a create that failed part-way: the declared inputs as outputs, with init errors.
  w.engine.state.set(made.urn, { ...made, outputs: { ...inputs, __provider: complete.__provider, [INCOMPLETE_KEY]: true }, initErrors: ["failed part-way"] });
  const mark = w.emu.log.mark();
  const again = await w.engine.up("Publisher", "partial", inputs);
  expect(again.op).toBe("update");
  expect(w.emu.log.since(mark).every((e) => e.operation === "Publisher.detail")).toBe(true);
  expect({ differing: differing("Publisher", again.state!.outputs, complete) }).toEqual({ differing: [] });
  expect(again.state!.outputs.publisherId).toBe(made.id);
});
