import { DEFAULT_ACCOUNT, seedTestCases, startEmulator, type Emulator } from "../emulator";
import { KINDS } from "../provider/kinds";
import { tokenOf } from "../provider/plugin/tokens";
import { KINDS_UNDER_TEST, stages } from "./harness/kinds";
import { closeAll, plugin, type PluginClient, type Props } from "./support/pluginClient";

/**
 * What `pulumi import` does for every kind, through the plugin's service as the engine calls it: an
 * object made by the plugin is read by id alone (the id forms the kind's `get` documents), recorded
 * with the id a create records, and the inputs that read answers, checked and diffed as a program
 * declaring them would be, show no change (the next up has nothing to do) — or the kind says why not.
 */
const P = DEFAULT_ACCOUNT.codeartsProjects[0];
const D = DEFAULT_ACCOUNT.domainId;
let emu: Emulator;
let p: PluginClient;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  seedTestCases(emu.store, P, 1, ["c1000000000000000000000000000001"]);
  p = await plugin();
  await p.configure({
    region: "cn-north-4",
    accessKey: DEFAULT_ACCOUNT.accessKey,
    secretKey: DEFAULT_ACCOUNT.secretKey,
    domainId: D,
    projectId: DEFAULT_ACCOUNT.iamProjects[0].id,
    endpoints: JSON.stringify({ "*": emu.url }),
  });
});
afterAll(async () => {
  closeAll();
  await emu?.close();
});

/** Check, then create, as an up does; the created id and outputs. */
async function make(kind: string, inputs: Props): Promise<{ id: string; outs: Props }> {
  const checked = await p.check(tokenOf(kind), inputs);
  if (checked.failures.length) throw new Error(`${kind}: ${JSON.stringify(checked.failures)}`);
  return p.create(tokenOf(kind), unwrap(checked.inputs));
}
const unwrap = (v: Props): Props => JSON.parse(JSON.stringify(v), (_k, x) => (x && typeof x === "object" && x["4dabf18193072939515e22adb298388d"] ? x.value : x));

/** What each kind's dependencies are, made through the plugin (the reliability suites make them through the dynamic host). */
async function env(kind: string): Promise<Record<string, string>> {
  switch (kind) {
    case "PipelineGroup":
    case "TestPlan":
      return { P };
    case "Pipeline": {
      const T = (await make("PipelineTemplate", { name: "for pipelines", language: "Java", isShowSource: true, definition: { stages } })).id;
      return { P, T, G1: (await make("PipelineGroup", { projectId: P, name: "pipelines-1" })).id };
    }
    case "PluginVersion":
      await make("Plugin", { pluginName: "versioned", displayName: "Versioned", businessType: "Deploy", pluginCompositionType: "multi" });
      return { plugin: "versioned", publisher: (await make("Publisher", { name: "Binder", enName: "binder", supportUrl: "support@acme.example" })).id };
    case "RuleSet":
      return {
        rule: (
          await make("Rule", {
            name: "rule for sets",
            type: "Gate",
            layoutContent: "l",
            content: [{ groupName: "g", properties: [{ key: "k", name: "n", type: "judge", operator: ">=", valueType: "float", value: "0.5" }] }],
          })
        ).id,
      };
    default:
      return {};
  }
}

/** The id `pulumi import` is given: the form the kind's read by id alone takes (its SDK's `get` documents it). */
function importId(kind: string, id: string, inputs: Props): string {
  if (["PipelineGroup", "Pipeline", "TestPlan"].includes(kind)) return `${inputs.projectId as string}/${id}`;
  if (["Rule", "RuleSet", "OpenSourcePolicy", "PipelineTemplate"].includes(kind)) return `${D}/${id}`;
  return id;
}

const readable = KINDS_UNDER_TEST.filter((k) => !(KINDS as Record<string, { noImport?: string }>)[k.type].noImport);

test.each(readable.map((k) => [k.type, k] as const))("%s: imported by id alone with the id a create records; declaring what import found shows no change", async (kind, k) => {
  const e = await env(kind);
  const inputs = k.inputs(e, 1);
  const made = await make(kind, inputs);
  const found = await p.read(tokenOf(kind), importId(kind, made.id, inputs));
  expect(found.id).toBe(made.id);
  // The program `pulumi import` writes declares found.inputs; its up checks them against the state and diffs.
  const checked = await p.check(tokenOf(kind), found.inputs!, found.inputs!);
  expect(checked.failures).toEqual([]);
  const diff = await p.diff(tokenOf(kind), found.id, unwrap(found.props!), unwrap(checked.inputs));
  expect([kind, diff.changes, diff.diffs]).toEqual([kind, "none", []]);
});

test("VpcepAccessControl: import refused, naming why (no read by id)", async () => {
  await expect(p.read(tokenOf("VpcepAccessControl"), "vpceps-cn-north-4-12345678")).rejects.toThrow(/cannot be imported: no API reads access records by id/);
});
