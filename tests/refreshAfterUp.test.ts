import { KINDS } from "../provider/kinds";
import { deepEqual } from "./harness";
import { Env, KINDS_UNDER_TEST, KindUnderTest } from "./harness/kinds";
import { startWorld, World } from "./support/world";

// Issue 12 item 3: straight after `up` (a create, or an in-place update), with nothing changed outside
// Pulumi, a `refresh` must leave every output as it was, except the outputs the kind declares
// service-maintained (the service changes them by itself). Every kind, through the real host.
let w: World;
const envs = new Map<string, Env>();
/** kind → step → outputs a refresh changed, printed after the run. */
const changedOnRefresh: Record<string, Record<string, string[]>> = {};
/** kind → every output key a step or a refresh recorded in this run. */
const outputKeys: Record<string, Set<string>> = {};
const noteOutputs = (type: string, outs: Record<string, unknown>) => Object.keys(outs).forEach((k) => (outputKeys[type] ??= new Set()).add(k));

/** What this test needs of a kind's definition. */
type Declared = { schema: { shape: Record<string, unknown> }; serviceMaintained?: readonly string[] };
const kindOf = (type: string) => KINDS[type as keyof typeof KINDS] as unknown as Declared;
const maintained = (type: string): readonly string[] => kindOf(type).serviceMaintained ?? [];

/** Output keys whose values differ between two output maps (the provider reference aside). */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete("__provider");
  return [...keys].filter((k) => !deepEqual(before[k] ?? null, after[k] ?? null)).sort();
}

async function envOf(k: KindUnderTest): Promise<Env> {
  if (!envs.has(k.type)) envs.set(k.type, k.setup ? await k.setup(w) : {});
  return envs.get(k.type)!;
}

/** The step (`up`) and a refresh right after it; returns the outputs the refresh changed. */
async function refreshAfter(k: KindUnderTest, name: string, step: string, up: () => Promise<unknown>): Promise<string[]> {
  await up();
  const recorded = w.engine.state.get(w.engine.urn(k.type, name))!;
  expect(recorded.initErrors ?? []).toEqual([]);
  const r = await w.engine.refresh(k.type, name);
  expect(r.op).toBe("refresh");
  noteOutputs(k.type, recorded.outputs);
  noteOutputs(k.type, r.state!.outputs);
  const changed = changedKeys(recorded.outputs, r.state!.outputs);
  (changedOnRefresh[k.type] ??= {})[step] = changed;
  // Inputs too: a refresh that rewrote them would show as a change at the next preview.
  expect({ step, inputs: changedKeys(recorded.inputs, r.state!.inputs) }).toEqual({ step, inputs: [] });
  return changed;
}

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  const rows = Object.entries(changedOnRefresh).flatMap(([kind, steps]) =>
    Object.entries(steps).map(([step, fields]) => `| ${kind} | ${step} | ${fields.join(", ") || "none"} | ${maintained(kind).join(", ") || "none"} |`),
  );
  console.log(["Outputs a refresh changed right after up:", "| kind | step | changed | service-maintained |", "|---|---|---|---|", ...rows].join("\n"));
  await w.close();
});

describe.each(KINDS_UNDER_TEST.map((k) => [k.type, k] as const))("%s", (_type, k) => {
  test("service-maintained outputs are outputs the service sets, never a declared input", () => {
    const inputs = Object.keys(kindOf(k.type).schema.shape);
    for (const field of maintained(k.type)) expect({ field, isInput: inputs.includes(field) }).toEqual({ field, isInput: false });
    expect(new Set(maintained(k.type)).size).toBe(maintained(k.type).length);
  });

  test("refresh right after create, and right after an in-place update, changes only service-maintained outputs", async () => {
    const env = await envOf(k);
    const n = 700 + KINDS_UNDER_TEST.indexOf(k);
    k.seed?.(w, n);
    const name = `fresh-${n}`;
    const afterCreate = await refreshAfter(k, name, "create", () => w.engine.up(k.type, name, k.inputs(env, n)));
    const afterUpdate = k.updated
      ? await refreshAfter(k, name, "update", async () => {
          const r = await w.engine.up(k.type, name, k.updated!(env, n));
          expect(r.op).toBe("update");
        })
      : [];
    const unexpected = (changed: string[]) => changed.filter((f) => !maintained(k.type).includes(f));
    expect({ create: unexpected(afterCreate), update: unexpected(afterUpdate) }).toEqual({ create: [], update: [] });
    await w.engine.destroy(k.type, name);
  });
});

describe("what a sibling resource changes", () => {
  const step = { task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "./deploy.sh" } };
  const plugin = (displayName: string) => ({ pluginName: "sibling_plugin", displayName, businessType: "Deploy" });
  const outputsOf = (type: string, name: string) => w.engine.state.get(w.engine.urn(type, name))!.outputs;
  /** A refresh of one resource: the outputs it changed, all of which must be service-maintained. */
  async function refreshed(type: string, name: string, what: string): Promise<string[]> {
    const before = outputsOf(type, name);
    const after = (await w.engine.refresh(type, name)).state!.outputs;
    noteOutputs(type, after);
    const changed = changedKeys(before, after);
    (changedOnRefresh[type] ??= {})[what] = changed;
    expect({ what, unexpected: changed.filter((f) => !maintained(type).includes(f)) }).toEqual({ what, unexpected: [] });
    return changed;
  }

  test("a version published after its plug-in was created changes only the plug-in's service-maintained outputs", async () => {
    await w.engine.up("Plugin", "sibling", plugin("Sibling"));
    expect(await refreshed("Plugin", "sibling", "create (sibling case)")).toEqual([]);
    await w.engine.up("PluginVersion", "sibling-1", { pluginName: "sibling_plugin", version: "1.0.0", steps: [step], publish: true });
    // The service does move the plug-in on, so this case tests something.
    expect(await refreshed("Plugin", "sibling", "a version of it published")).toContain("latestVersion");
  });

  test("a plug-in edited after its version was created changes only the version's service-maintained outputs", async () => {
    await w.engine.up("Plugin", "sibling", plugin("Sibling (renamed)"));
    expect(await refreshed("PluginVersion", "sibling-1", "its plug-in edited")).toContain("displayName");
  });
});

test("every declared service-maintained field is an output the kind recorded in this run (no catch-all of names)", () => {
  for (const k of KINDS_UNDER_TEST) {
    for (const field of maintained(k.type)) expect({ kind: k.type, field, seen: outputKeys[k.type]?.has(field) ?? false }).toEqual({ kind: k.type, field, seen: true });
  }
});
