import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { SECOND_ACCOUNT, startEmulator, type Emulator, type LogEntry } from "../../emulator";
import { installRoot } from "../../cli/pulumiBuild";
import { summarize, type Summary } from "../../cli/summary";
import { byName, disagreements, isSecret, KINDS_IN_PROGRAM, mutating, P2, pluginConfig, programConfig, secretsWith } from "../harness/languagePrograms";
import { outOfBand } from "../harness/recordEvents";
import { changes, PLUGIN_DIR } from "../harness/cliStack";
import { ENGINE_WORK_ROOT, realEngineEnv, requireCli, type ExportedResource } from "../harness/realEngine";
import { REPO_ROOT, type ConfigValue } from "../harness/host";

/**
 * A Go program through the real Pulumi CLI (built from source) and the resource-provider plugin
 * pulumi-resource-codearts, against the emulator: tests/languages/go, built here with `go build` from
 * its go.mod and go.sum (the committed Go SDK, sdk/go, by a replace directive). With no Go language
 * host to run a file program, it is a Go Automation API inline program: the binary declares the
 * package's kinds with the generated SDK, configured from stack config in the codearts: namespace
 * (secretKey a secret) and, for a second account, by an explicit codearts.NewProvider; each run takes
 * one operation and prints the Automation API's result and engine events as JSON. In order: preview
 * (no API call), up, up again (nothing to do), a change whose preview names the changed properties,
 * an out-of-band rename that refresh records and up puts back, destroy. After each, the emulator holds
 * what `pulumi stack export` (the CLI, same home and backend) claims, and no secret is in clear in the
 * export or in what the program printed.
 */
const DEPLOY_TOKEN = "s3cret-deploy-token-go";
const SECRETS = secretsWith(DEPLOY_TOKEN);
const PROJECT = "codearts-go";
const STACK = "dev";
const GO_DIR = path.join(REPO_ROOT, "tests", "languages", "go");

/** One run of the Go program: its JSON result (see main.go's result) and the text it printed. */
interface GoRun {
  operation: string;
  ok: boolean;
  error?: string;
  stdout: string;
  stderr: string;
  /** The Automation API's own count of the operation's steps. */
  changes?: Record<string, number>;
  outputs?: Record<string, { value?: unknown; secret: boolean }>;
  events: EngineEvent[];
  /** What the binary printed, stdout and stderr. */
  printed: string;
}

let emu: Emulator;
let dir: string;
let bin: string;
let workDir: string;
let env: Record<string, string>;
/** Objects the state need not claim: test plans CloudTest cannot delete, once claimed. */
const forgotten = new Set<string>();

function runGo(operation: string, input?: string): Promise<GoRun> {
  const args = ["-work-dir", workDir, "-pulumi-root", installRoot(), "-plugin-dir", PLUGIN_DIR, "-backend", env.PULUMI_BACKEND_URL, "-stack", STACK, operation];
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      try {
        resolve({ ...(JSON.parse(stdout) as Omit<GoRun, "printed">), printed: stdout + stderr });
      } catch {
        reject(new Error(`codearts-go ${operation} printed no result (${err?.message ?? "exit 0"}): ${stderr}`));
      }
    });
    child.stdin!.end(input ?? "");
  });
}

async function setConfig(config: Record<string, ConfigValue>): Promise<void> {
  const r = await runGo("config", JSON.stringify(config));
  if (!r.ok) throw new Error(`codearts-go config: ${r.error}`);
}

beforeAll(async () => {
  requireCli();
  fs.mkdirSync(ENGINE_WORK_ROOT, { recursive: true });
  dir = fs.mkdtempSync(path.join(ENGINE_WORK_ROOT, "go-"));
  workDir = path.join(dir, "program");
  for (const d of ["home", "backend", "program"]) fs.mkdirSync(path.join(dir, d));
  env = realEngineEnv(path.join(dir, "home"), path.join(dir, "backend"));
  // Only what go.mod and go.sum name (-mod=readonly): a fresh machine has nothing but the module proxy.
  bin = path.join(dir, "codearts-go");
  const started = Date.now();
  execFileSync("go", ["build", "-trimpath", "-o", bin, "."], {
    cwd: GO_DIR,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly -buildvcs=false" },
  });
  process.stderr.write(`built tests/languages/go in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  emu = await startEmulator({ port: 0, quiet: true });
  await setConfig({
    ...pluginConfig(emu),
    ...programConfig(PROJECT, emu, DEPLOY_TOKEN),
    [`${PROJECT}:secondRegion`]: SECOND_ACCOUNT.iamProjects[0].name,
  });
}, 600000);
afterAll(async () => {
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function op(operation: "preview" | "up" | "refresh" | "destroy"): Promise<GoRun & { calls: LogEntry[]; summary: Summary }> {
  const mark = emu.log.mark();
  const r = await runGo(operation);
  if (!r.ok) throw new Error(`${operation}: ${r.error}`);
  // Nothing the program printed (the CLI's output, the engine's events, the outputs) holds a secret in clear.
  expect(SECRETS.filter((s) => r.printed.includes(s))).toEqual([]);
  return { ...r, calls: emu.log.since(mark), summary: summarize(operation, r.events) };
}

/** `pulumi stack export` as a user runs it, in the program's directory with the same home and backend. */
function exported(): Promise<{ text: string; resources: ExportedResource[] }> {
  const args = ["stack", "export", "--stack", STACK, "--non-interactive"];
  return new Promise((resolve, reject) => {
    execFile(requireCli(), args, { cwd: workDir, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`pulumi stack export: ${stderr}`));
      const d = JSON.parse(stdout) as { deployment?: { resources?: ExportedResource[] } };
      resolve({ text: stdout, resources: d.deployment?.resources ?? [] });
    });
  });
}

/** The service holds what the stack export claims, kind by kind; no secret in the export in clear. */
async function agrees(): Promise<{ text: string; resources: ExportedResource[] }> {
  const exp = await exported();
  expect(disagreements(emu, exp, { kinds: KINDS_IN_PROGRAM, forgotten, secrets: SECRETS })).toEqual({ mismatches: [], inClear: [] });
  return exp;
}

/** The properties the engine's events say change for a resource: the plugin's detailed diff, as the engine passed it on. */
function detailedDiff(r: GoRun, name: string): string[] {
  const meta = r.events.map((e) => e.resourcePreEvent?.metadata).find((m) => m && m.urn.endsWith(`::${name}`));
  return Object.keys(meta?.detailedDiff ?? {}).sort();
}
/** The provider resource each of the package's resources is planned with, by name: from the engine's step events. */
function providers(r: GoRun): Record<string, string> {
  const metas = r.events.map((e) => e.resourcePreEvent?.metadata).filter((m) => m?.type.startsWith("codearts:index:"));
  return Object.fromEntries(metas.map((m) => [m!.urn.split("::").pop(), m!.provider.split("::")[3]]));
}

test("secrets encrypted in the stack config the Automation API wrote; preview of a new stack: every resource planned by its type token and provider, no API call", async () => {
  // The Automation API wrote the stack's config file: the secret values in it are encrypted.
  const stackFile = fs.readFileSync(path.join(workDir, `Pulumi.${STACK}.yaml`), "utf8");
  expect([stackFile.match(/secure:/g)?.length, SECRETS.filter((s) => stackFile.includes(s))]).toEqual([3, []]);
  const r = await op("preview");
  expect(r.calls).toEqual([]);
  expect(changes(r.summary)).toEqual({ create: 9 }); // the stack, the explicit provider and seven of the package's resources
  expect(r.changes).toEqual({ create: 9 }); // the Automation API's count agrees
  expect(
    r.summary.resources
      .filter((l) => l.type.startsWith("codearts:index:"))
      .map((l) => l.type)
      .sort(),
  ).toEqual(["PipelineGroup", "PipelineGroup", "PipelineGroup", "Rule", "RuleSet", "Script", "TestPlan"].map((k) => `codearts:index:${k}`));
  // The explicit provider for the second account; for the rest the engine's default provider of the version the
  // SDK asks for (the schema's, respectSchemaVersion), which the plugin from plugins.providers serves.
  const byDefault = "default_0_1_0";
  expect(providers(r)).toEqual({ team: byDefault, passRate: byDefault, gate: byDefault, deploy: byDefault, deployScript: byDefault, regression: byDefault, elsewhere: "second" });
});

test("up creates them in two accounts; secrets stay secret in the state and the outputs", async () => {
  const r = await op("up");
  expect(r.summary.result).toBe("succeeded");
  expect(r.changes).toEqual({ create: 9 });
  expect(new Set(mutating(r.calls).map((o) => o.split(".")[0]))).toEqual(new Set(KINDS_IN_PROGRAM));
  const { resources } = await agrees();
  expect(isSecret(byName(resources, "deployScript")!.outputs!.params)).toBe(true);
  expect(isSecret(byName(resources, "deployScript")!.inputs!.params)).toBe(true);
  expect(byName(resources, "elsewhere")!.outputs!.projectId).toBe(P2);
  // The default provider's secret key (stack config) and the explicit one's (a secret config value) are secret in their state too.
  const providers = resources.filter((x) => x.type === "pulumi:providers:codearts");
  expect(providers.map((p) => isSecret(p.inputs!.secretKey))).toEqual([true, true]);
  // Stack outputs through the Automation API: ids as the state has them, the script's parameters secret.
  expect(r.outputs).toEqual({
    teamId: { value: byName(resources, "team")!.id, secret: false },
    gateId: { value: byName(resources, "gate")!.id, secret: false },
    scriptParams: { secret: true },
  });
  const groups = emu.store.snapshot().pipelineGroups ?? {};
  expect(Object.values(groups[P2] ?? {}).map((g) => (g as { name: string }).name)).toEqual(["Platform"]);
});

test("up again: nothing to do, nothing written", async () => {
  const r = await op("up");
  expect(changes(r.summary)).toEqual({});
  expect(mutating(r.calls)).toEqual([]);
  await agrees();
});

test("a change: the preview names the changed properties (the plugin's detailed diff), the up makes them", async () => {
  await setConfig({ [`${PROJECT}:teamName`]: "Payments", [`${PROJECT}:layout`]: "gate-v2" });
  const preview = await op("preview");
  expect(preview.calls).toEqual([]);
  expect(detailedDiff(preview, "team")).toEqual(["name"]);
  expect(detailedDiff(preview, "deploy")).toEqual(["name"]);
  expect(detailedDiff(preview, "elsewhere")).toEqual(["name"]);
  expect(detailedDiff(preview, "passRate")).toEqual(["layoutContent"]);
  expect(preview.summary.resources.find((l) => l.name === "team")).toMatchObject({ op: "update", changes: ["name"] });
  expect(preview.stdout).toMatch(/~ name\s*: "Platform" => "Payments"/);
  const up = await op("up");
  expect(changes(up.summary)).toEqual({ update: 4 });
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
  expect(refresh.summary.resources.filter((l) => l.op === "update").map((l) => [l.name, l.changes])).toEqual([["team", ["name"]]]);
  expect(byName((await agrees()).resources, "team")!.outputs!.name).toBe("Payments (renamed in console)");
  const up = await op("up");
  expect(mutating(up.calls)).toEqual(["PipelineGroup.update"]);
  expect(byName((await agrees()).resources, "team")!.outputs!.name).toBe("Payments");
});

test("destroy: every object is gone but the test plan CloudTest cannot delete", async () => {
  const r = await op("destroy");
  expect(r.summary.result).toBe("succeeded");
  const { resources } = await agrees();
  expect(resources).toEqual([]);
  const left = ["pipelineGroups", "rules", "ruleSets", "cocScripts"].flatMap((c) => Object.values(emu.store.snapshot()[c] ?? {}).flatMap((byId) => Object.keys(byId)));
  expect(left).toEqual([]);
});
