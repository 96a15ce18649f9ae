import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type Emulator, type LogEntry } from "../../emulator";
import { installRoot } from "../../cli/pulumiBuild";
import { byName, disagreements, isSecret, KINDS_IN_PROGRAM, mutating, P2, pluginConfig, programConfig, secretsWith } from "../harness/languagePrograms";
import { REPO_ROOT } from "../harness/host";
import { outOfBand } from "../harness/recordEvents";
import { CliStack, PLUGIN_DIR } from "../harness/cliStack";
import { PULUMI_PYTHON_REQUIREMENT, pythonVenv } from "../harness/pythonVenv";

/**
 * A Python program through the real Pulumi CLI (built from source) and the resource-provider plugin
 * pulumi-resource-codearts, against the emulator: the committed Python SDK (sdk/python, pip-installed
 * into a cached venv with the pinned pulumi package) registering the package's kinds, configured from
 * stack config in the codearts: namespace (secretKey a secret) and, for a second account, by an
 * explicit pulumi_codearts.Provider. No Python language host can be built, so the program is an
 * Automation API inline program (tests/languages/python/program.py, one operation a run); the stack's
 * Pulumi.yaml, config and export go through the CLI as a user's would. In order: preview (no API
 * call), up, up again (nothing to do), a change whose preview names the changed properties, an
 * out-of-band rename that refresh records and up puts back, and destroy. After each, the emulator holds
 * what `pulumi stack export` claims, and no secret is in clear in the export or the program's output.
 */
const DEPLOY_TOKEN = "s3cret-deploy-token-py";
const SECRETS = secretsWith(DEPLOY_TOKEN);
const DRIVER = path.join(REPO_ROOT, "tests", "languages", "python", "program.py");

// The Python Automation API's ProjectSettings has no `plugins` section: the project file is written here, the driver uses it as is.
const PROJECT = `name: codearts-python
runtime: python
description: The plugin's kinds from Python, one account by stack config and one by a provider resource.
plugins:
  providers:
    - name: codearts
      path: ${PLUGIN_DIR}
`;

let emu: Emulator;
let stack: CliStack;
let python: string;
/** Objects the state need not claim: test plans CloudTest cannot delete, once claimed. */
const forgotten = new Set<string>();

interface StepEvent {
  op: string;
  diffs: string[];
  detailedDiff: string[];
}
/** A resource's step: as planned (its pre-event) and as the engine decided (its outputs event). */
interface Step {
  name: string;
  type: string;
  planned?: StepEvent;
  done?: StepEvent;
}
/** What program.py prints: the Automation API's answer and the resource steps of its events. */
interface DriverRun {
  ok: boolean;
  operation: string;
  error?: string;
  changes?: Record<string, number>;
  result?: string;
  outputs?: Record<string, unknown>;
  stdout?: string;
  steps: Step[];
  /** The whole of the process's output, Automation API output and events included. */
  raw: string;
  calls: LogEntry[];
}

beforeAll(async () => {
  python = pythonVenv();
  emu = await startEmulator({ port: 0, quiet: true });
  stack = await CliStack.create({
    project: PROJECT,
    config: {
      ...pluginConfig(emu),
      ...programConfig("codearts-python", emu, DEPLOY_TOKEN),
    },
  });
}, 600000);
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

/** One operation by the Python program, asynchronously: the emulator answers from this process meanwhile. */
async function op(operation: "preview" | "up" | "refresh" | "destroy"): Promise<DriverRun> {
  const mark = emu.log.mark();
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(python, [DRIVER, operation, stack.programDir, installRoot()], { env: { ...process.env, ...stack.env }, maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) =>
      err ? reject(new Error(`program.py ${operation}: ${errOut || err.message}`)) : resolve({ stdout: out, stderr: errOut }),
    );
  });
  const run = JSON.parse(stdout.trim().split("\n").pop()!) as DriverRun;
  if (!run.ok) throw new Error(`${operation}: ${run.error}`);
  const raw = stdout + stderr;
  expect(SECRETS.filter((s) => raw.includes(s))).toEqual([]);
  return { ...run, raw, calls: emu.log.since(mark) };
}

/** The service holds what the stack export claims, kind by kind; no secret in the export in clear. */
async function agrees(): Promise<Awaited<ReturnType<CliStack["exported"]>>> {
  const exported = await stack.exported();
  expect(disagreements(emu, exported, { kinds: KINDS_IN_PROGRAM, forgotten, secrets: SECRETS })).toEqual({ mismatches: [], inClear: [] });
  return exported;
}

/** The operations' counts that change something. */
const changed = (r: DriverRun) => Object.fromEntries(Object.entries(r.changes ?? {}).filter(([o, n]) => o !== "same" && n));
const step = (r: DriverRun, name: string) => r.steps.find((s) => s.name === name);

test("the venv holds the pinned pulumi and sdk/python as committed, installed by pip", async () => {
  const script = "import importlib.metadata as m, json, os, pulumi_codearts as c; print(json.dumps([m.version('pulumi'), os.path.dirname(c.__file__)]))";
  const out = await new Promise<string>((resolve, reject) => execFile(python, ["-c", script], (err, o) => (err ? reject(err) : resolve(o))));
  const [version, installed] = JSON.parse(out) as [string, string];
  expect(`pulumi==${version}`).toBe(PULUMI_PYTHON_REQUIREMENT);
  // Installed (site-packages), not imported from the work tree; and the same files as the repository's.
  expect(installed).toContain(`${path.sep}site-packages${path.sep}pulumi_codearts`);
  const sdk = path.join(REPO_ROOT, "sdk", "python", "pulumi_codearts");
  const modules = fs.readdirSync(sdk).filter((f) => f.endsWith(".py") || f.endsWith(".json"));
  expect(modules.length).toBeGreaterThan(10);
  expect(modules.filter((f) => fs.readFileSync(path.join(installed, f), "utf8") !== fs.readFileSync(path.join(sdk, f), "utf8"))).toEqual([]);
});

test("preview of a new stack: every resource planned by its type token, no API call", async () => {
  const r = await op("preview");
  expect(r.calls).toEqual([]);
  expect(changed(r)).toEqual({ create: 9 }); // the stack, the explicit provider and seven of the package's resources
  // The default provider comes at the Python SDK's version (pulumi-plugin.json), served by the plugin from plugins.providers.
  expect(step(r, "default_0_1_0")).toMatchObject({ type: "pulumi:providers:codearts", planned: { op: "create" } });
  expect(
    r.steps
      .filter((s) => s.planned?.op === "create" && s.type.startsWith("codearts:index:"))
      .map((s) => s.type)
      .sort(),
  ).toEqual(["PipelineGroup", "PipelineGroup", "PipelineGroup", "Rule", "RuleSet", "Script", "TestPlan"].map((k) => `codearts:index:${k}`));
});

test("up creates them in two accounts; the script's parameters are secret in the state", async () => {
  const r = await op("up");
  expect(r.result).toBe("succeeded");
  expect(new Set(mutating(r.calls).map((o) => o.split(".")[0]))).toEqual(new Set(KINDS_IN_PROGRAM));
  const { resources } = await agrees();
  expect(r.outputs).toEqual({ teamId: byName(resources, "team")!.id, gateId: byName(resources, "gate")!.id });
  expect(isSecret(byName(resources, "deployScript")!.outputs!.params)).toBe(true);
  expect(isSecret(byName(resources, "deployScript")!.inputs!.params)).toBe(true);
  expect(byName(resources, "elsewhere")!.outputs!.projectId).toBe(P2);
  // The default provider's secret key and the explicit one's are secret in their state too.
  const providers = resources.filter((x) => x.type === "pulumi:providers:codearts");
  expect(providers.map((p) => isSecret(p.inputs!.secretKey))).toEqual([true, true]);
  const groups = emu.store.snapshot().pipelineGroups ?? {};
  expect(Object.values(groups[P2] ?? {}).map((g) => (g as { name: string }).name)).toEqual(["Platform"]);
});

test("up again: nothing to do, nothing written", async () => {
  const r = await op("up");
  expect(changed(r)).toEqual({});
  expect(mutating(r.calls)).toEqual([]);
  await agrees();
});

test("a change: the preview names the changed properties (the plugin's detailed diff), the up makes them", async () => {
  await stack.setConfig({ "codearts-python:teamName": "Payments", "codearts-python:layout": "gate-v2" });
  const preview = await op("preview");
  expect(preview.calls).toEqual([]);
  expect(step(preview, "team")?.planned).toMatchObject({ op: "update", detailedDiff: ["name"] });
  expect(step(preview, "elsewhere")?.planned).toMatchObject({ op: "update", detailedDiff: ["name"] });
  expect(step(preview, "passRate")?.planned).toMatchObject({ op: "update", detailedDiff: ["layoutContent"] });
  expect(preview.stdout).toMatch(/~ name\s*: "Platform" => "Payments"/);
  const up = await op("up");
  expect(changed(up)).toEqual({ update: 4 });
  expect([...new Set(mutating(up.calls))].sort()).toEqual(["PipelineGroup.update", "Rule.update"]);
  await agrees();
});

test("refresh records a rename made in the console; the next up puts the name back", async () => {
  outOfBand(
    emu,
    "pipelineGroups",
    (g) => g.name === "Payments" && !g.parent_id && g.project_id !== P2,
    (g) => (g.name = "Payments (renamed in console)"),
  );
  const refresh = await op("refresh");
  expect(mutating(refresh.calls)).toEqual([]);
  expect(changed(refresh)).toEqual({ update: 1 });
  // The engine's verdict on each refreshed resource: only the renamed group changed, and by its name.
  expect(refresh.steps.filter((s) => s.done?.op !== "same").map((s) => [s.name, s.done])).toEqual([["team", { op: "update", diffs: ["name"], detailedDiff: ["name"] }]]);
  expect(byName((await agrees()).resources, "team")!.outputs!.name).toBe("Payments (renamed in console)");
  const up = await op("up");
  expect(mutating(up.calls)).toEqual(["PipelineGroup.update"]);
  expect(byName((await agrees()).resources, "team")!.outputs!.name).toBe("Payments");
});

test("destroy: every object is gone but the test plan CloudTest cannot delete", async () => {
  const r = await op("destroy");
  expect(changed(r)).toEqual({ delete: 9 });
  const { resources } = await agrees();
  expect(resources).toEqual([]);
  const left = ["pipelineGroups", "rules", "ruleSets", "cocScripts"].flatMap((c) => Object.values(emu.store.snapshot()[c] ?? {}).flatMap((byId) => Object.keys(byId)));
  expect(left).toEqual([]);
});
