import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_ACCOUNT, seedPlanJournals, seedPlanRequirements, stackConfig, startEmulator, type Emulator } from "../../emulator";
import { ApiClient } from "../../provider/client";
import { clientSettings } from "../../emulator";
import { installRoot } from "../../cli/pulumiBuild";
import { CliStack, PLUGIN_DIR } from "../harness/cliStack";
import { REPO_ROOT } from "../harness/host";
import { pluginConfig } from "../harness/languagePrograms";
import { pythonVenv } from "../harness/pythonVenv";
import { addPlanOutOfBand } from "../support/testPlans";
import { ENGINE_WORK_ROOT, realEngineEnv, requireCli } from "../harness/realEngine";

/**
 * The look-ups through the real Pulumi CLI and the plugin's invokes. From YAML (`fn::invoke`): a group made
 * outside the program is found by name and a managed group put under it; CloudTest's environments are
 * listed; an absent name fails the update with the look-up's message; a name that has become ambiguous
 * fails it naming both ids. From the generated Python and Go SDKs (the `lookups` programs of
 * tests/languages/python/program.py and tests/languages/go): a group by name (Go's LookupPipelineGroup), a
 * plan by name, its requirement tree and history, exported and compared with what the emulator holds; an
 * absent group name fails the update through the language with the look-up's message.
 */
const P = DEFAULT_ACCOUNT.codeartsProjects[0];

const PROGRAM = `name: codearts-lookups
runtime: yaml
plugins:
  providers:
    - name: codearts
      path: ${PLUGIN_DIR}
config:
  projectId:
    type: string
  teamName:
    type: string
variables:
  team:
    fn::invoke:
      function: codearts:index:getPipelineGroup
      arguments:
        projectId: \${projectId}
        name: \${teamName}
  environments:
    fn::invoke:
      function: codearts:index:getTestEnvironments
      arguments:
        projectId: \${projectId}
resources:
  nightly:
    type: codearts:index:PipelineGroup
    properties:
      projectId: \${projectId}
      name: nightly
      parentId: \${team.id}
outputs:
  teamId: \${team.id}
  teamPath: \${team.pathId}
  nightlyPath: \${nightly.pathId}
  defaultEnvironment: \${environments.environments[0].environmentName}
`;

let emu: Emulator;
let stack: CliStack;
let client: ApiClient;

async function group(name: string): Promise<string> {
  const res = await client.send<{ id: string }>({
    service: "pipeline",
    method: "POST",
    path: `/v5/${P}/api/pipeline-group/create`,
    body: { name, project_id: P, parent_id: "" },
    operation: "Test.create",
  });
  return res.body.id;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  client = new ApiClient(clientSettings(emu));
  const config = Object.fromEntries(Object.entries(stackConfig(emu, DEFAULT_ACCOUNT)).map(([k, v]) => [k.replace(/^huaweicloud:/, "codearts:"), v]));
  stack = await CliStack.create({ project: PROGRAM, config: { ...config, "codearts-lookups:projectId": P, "codearts-lookups:teamName": "Platform" } });
}, 600000);
afterAll(async () => {
  await stack?.dispose();
  await client?.close();
  await emu?.close();
});

async function outputs(): Promise<Record<string, unknown>> {
  const r = await stack.run(["stack", "output", "--json", "--stack", stack.stackName]);
  if (!r.ok) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test("a group made elsewhere, found by name: a managed group goes under it; the environments listed", async () => {
  const team = await group("Platform");
  const r = await stack.op("up");
  expect(r.stderr).toBe("");
  expect(r.ok).toBe(true);
  expect(await outputs()).toEqual({
    teamId: team,
    teamPath: team,
    nightlyPath: expect.stringMatching(new RegExp(`^${team}\\.[0-9a-f]{32}$`)),
    defaultEnvironment: "Default environment",
  });
  // Found, not managed: the state holds the managed group only.
  const exported = await stack.exported();
  expect(exported.resources.filter((x) => x.custom && x.id).map((x) => x.id)).not.toContain(team);
});

test("no group of that name: the update fails with the look-up's message", async () => {
  await stack.setConfig({ "codearts-lookups:teamName": "Nobody" });
  const r = await stack.op("up");
  expect(r.ok).toBe(false);
  expect(r.stdout + r.stderr).toMatch(/PipelineGroup: none found with projectId "[0-9a-f]{32}", name "Nobody"/);
});

test("two groups of that name: the update fails naming both ids", async () => {
  await stack.setConfig({ "codearts-lookups:teamName": "Platform" });
  const first = (await outputs()).teamId as string;
  const second = await group("Platform");
  const r = await stack.op("up");
  expect(r.ok).toBe(false);
  expect(r.stdout + r.stderr).toMatch(/PipelineGroup: 2 found with projectId "[0-9a-f]{32}", name "Platform"/);
  expect(r.stdout + r.stderr).toContain(first);
  expect(r.stdout + r.stderr).toContain(second);
  // Cleaned up as a user would: the program's own group destroyed.
  expect((await stack.op("destroy")).ok).toBe(true);
});

/** What the Python and Go programs find: a group and a plan made here, with requirements and history seeded. */
interface Made {
  teamId: string;
  planId: string;
  requirementParents: Record<string, string>;
  historyTimes: string[];
}

/** A group and a plan, made outside the programs; the plan's requirement tree and history seeded in the emulator. */
async function madeFor(language: string): Promise<Made> {
  const teamId = await group(`${language} team`);
  const planName = `${language} plan`;
  const planId = await addPlanOutOfBand(client, emu, P, planName);
  const requirementParents = { "5100": "", "5101": "5100", "5102": "5101" };
  seedPlanRequirements(
    emu.store,
    P,
    planId,
    Object.entries(requirementParents).map(([id, parent]) => ({ workitem_id: id, name: `Work item ${id}`, parent_issue: parent })),
  );
  const historyTimes = ["2026-03-01", "2026-03-02"];
  seedPlanJournals(
    emu.store,
    P,
    planId,
    historyTimes.map((t) => ({ operate_time: t, detail: [{ type: "attribute", journalized_type: "plan" }] })),
  );
  return { teamId, planId, requirementParents, historyTimes };
}

const NONE = (name: string) => new RegExp(`PipelineGroup: none found with projectId "${P}", name "${name}"`);

describe("Python: pulumi_codearts.get_pipeline_group, get_test_plan, get_test_plan_requirements, get_test_plan_history", () => {
  const DRIVER = path.join(REPO_ROOT, "tests", "languages", "python", "program.py");
  let py: CliStack;
  let python: string;
  beforeAll(async () => {
    python = pythonVenv();
    py = await CliStack.create({
      project: `name: codearts-python-lookups\nruntime: python\nplugins:\n  providers:\n    - name: codearts\n      path: ${PLUGIN_DIR}\n`,
      config: { ...pluginConfig(emu), "codearts-python-lookups:projectId": P },
    });
  }, 600000);
  afterAll(async () => {
    await py?.dispose();
  });

  const up = () =>
    new Promise<{ ok: boolean; error?: string; outputs?: Record<string, unknown> }>((resolve, reject) => {
      execFile(python, [DRIVER, "up", py.programDir, installRoot(), "lookups"], { env: { ...process.env, ...py.env }, maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) => {
        try {
          resolve(JSON.parse(out.trim().split("\n").pop()!));
        } catch {
          reject(new Error(`program.py up: ${errOut || err?.message}`));
        }
      });
    });

  test("the programs' exports are what the emulator holds; nothing enters the state", async () => {
    const made = await madeFor("python");
    await py.setConfig({ "codearts-python-lookups:teamName": "python team", "codearts-python-lookups:planName": "python plan" });
    const r = await up();
    expect(r.error).toBeUndefined();
    expect(r.outputs).toEqual({ ...made, teamPath: made.teamId });
    // Found, not managed: no resource of the package in the state.
    expect((await py.exported()).resources.filter((x) => x.type.startsWith("codearts:index:"))).toEqual([]);
  });

  test("no group of that name: the update fails through Python with the look-up's message", async () => {
    await py.setConfig({ "codearts-python-lookups:teamName": "Nobody" });
    const r = await up();
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(NONE("Nobody"));
  });
});

describe("Go: codearts.LookupPipelineGroup, LookupTestPlan, GetTestPlanRequirements, GetTestPlanHistory", () => {
  const GO_DIR = path.join(REPO_ROOT, "tests", "languages", "go");
  let dir: string;
  let bin: string;
  let env: Record<string, string>;
  beforeAll(() => {
    requireCli();
    fs.mkdirSync(ENGINE_WORK_ROOT, { recursive: true });
    dir = fs.mkdtempSync(path.join(ENGINE_WORK_ROOT, "go-lookups-"));
    for (const d of ["home", "backend", "program"]) fs.mkdirSync(path.join(dir, d));
    env = realEngineEnv(path.join(dir, "home"), path.join(dir, "backend"));
    bin = path.join(dir, "codearts-go");
    // The same package as languages.go.test.ts builds (-program selects the look-ups): one Go build to cache.
    execFileSync("go", ["build", "-trimpath", "-o", bin, "."], {
      cwd: GO_DIR,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly -buildvcs=false" },
    });
  }, 600000);
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  interface GoRun {
    ok: boolean;
    error?: string;
    outputs?: Record<string, { value?: unknown; secret: boolean }>;
    events: Array<{ resourcePreEvent?: { metadata: { type: string } } }>;
  }
  const runGo = (operation: string, input?: string) =>
    new Promise<GoRun>((resolve, reject) => {
      const args = ["-work-dir", path.join(dir, "program"), "-pulumi-root", installRoot(), "-plugin-dir", PLUGIN_DIR, "-backend", env.PULUMI_BACKEND_URL, "-stack", "dev"];
      const child = execFile(bin, [...args, "-program", "lookups", operation], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) => {
        try {
          resolve(JSON.parse(out) as GoRun);
        } catch {
          reject(new Error(`codearts-go ${operation}: ${errOut || err?.message}`));
        }
      });
      child.stdin!.end(input ?? "");
    });
  const setConfig = async (config: Record<string, unknown>) => {
    const r = await runGo("config", JSON.stringify(config));
    if (!r.ok) throw new Error(`codearts-go config: ${r.error}`);
  };

  test("the program's exports are what the emulator holds; nothing enters the state", async () => {
    const made = await madeFor("go");
    await setConfig({ ...pluginConfig(emu), "codearts-go-lookups:projectId": P, "codearts-go-lookups:teamName": "go team", "codearts-go-lookups:planName": "go plan" });
    const r = await runGo("up");
    expect(r.error).toBeUndefined();
    const outputs = Object.fromEntries(Object.entries(r.outputs ?? {}).map(([k, v]) => [k, v.value]));
    expect(outputs).toEqual({ ...made, teamPath: made.teamId });
    expect(r.events.map((e) => e.resourcePreEvent?.metadata.type).filter((t) => t?.startsWith("codearts:index:"))).toEqual([]);
  });

  test("no group of that name: the update fails through Go with the look-up's message", async () => {
    await setConfig({ "codearts-go-lookups:teamName": "Nobody" });
    const r = await runGo("up");
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(NONE("Nobody"));
  });
});
