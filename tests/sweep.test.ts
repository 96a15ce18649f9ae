import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { clientSettings, DEFAULT_ACCOUNT, startEmulator, type Emulator } from "../emulator";
import { LEAST_CONVENIENT } from "../emulator/dialects";
import type { LogEntry } from "../emulator/log";
import { sweep, sweepFailed, SweepReport, SweepUsageError } from "../cli/sweep";
import type { TranscriptEntry } from "../cli/transcript";
import { ApiClient } from "../provider/client";
import { script, scriptSchema } from "../provider/resources/script";
import { KINDS_UNDER_TEST, inventory } from "./harness/kinds";
import { startWorld, World } from "./support/world";

jest.setTimeout(240_000);

/**
 * The sweeper against the emulator: a fixture of every sweepable kind, objects named with the prefix
 * and look-alikes without it (another prefix, the prefix in the middle, other case), created through
 * the real provider; a dry run lists exactly the prefixed ones and changes nothing; `yes` deletes
 * exactly them, in dependency order, under the default dialect and the least convenient one.
 */
const PREFIX = "acc_1234_";
const LOOKALIKES = ["acc_x_", "ACC_1234_", "x_acc_1234_", "acc_123_"];
const P = DEFAULT_ACCOUNT.codeartsProjects[0];
const ruleContent = [{ groupName: "g", properties: [{ key: "k", name: "n", type: "judge", operator: ">=", valueType: "float", value: "0.5" }] }];
const ossContent = {
  versionSet: { enable: true, rules: [{ ecosystem: "Maven", packageName: "sboot", predicate: "eq", packageVersion: "1.1", description: "", enable: true }] },
  security: { enable: true, rules: { severity: { enable: false, values: [] }, cve: { enable: false, values: [] } } },
  license: { enable: true, rules: [{ values: [], predicate: "contain" }] },
};
const stages = [{ name: "Build", sequence: 0, jobs: [{ name: "Compile", identifier: "job-1", sequence: 0, steps: [] }] }];
const definition = { stages: [{ name: "Build", sequence: 0, identifier: "s1", jobs: [{ name: "Compile", identifier: "job-1", sequence: 0, steps: [] }] }] };
const step = { task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "true" } };

/** One family of objects, every name starting with `p`; `ids` are keyed by role. */
async function family(w: World, p: string, tag: string): Promise<Record<string, string>> {
  const up = async (role: string, type: string, inputs: Record<string, unknown>) => {
    const r = await w.engine.up(type, `${tag}-${role}`, inputs);
    if (!r.state) throw new Error(`${type} ${JSON.stringify(inputs)}: ${r.op} ${JSON.stringify(r.failures)}`);
    return r.state.id;
  };
  const ids: Record<string, string> = {};
  ids.group = await up("group", "PipelineGroup", { projectId: P, name: `${p}group` });
  ids.subGroup = await up("subGroup", "PipelineGroup", { projectId: P, name: `${p}sub`, parentId: ids.group });
  ids.pipeline = await up("pipeline", "Pipeline", { projectId: P, name: `${p}pipe`, isPublish: false, definition, groupId: ids.group });
  ids.template = await up("template", "PipelineTemplate", { name: `${p}template`, language: "Java", isShowSource: true, definition: { stages } });
  ids.publisher = await up("publisher", "Publisher", { name: `${p}publisher`, enName: `publisher_${tag}`, supportUrl: "support@acme.example" });
  ids.plugin = await up("plugin", "Plugin", { pluginName: `${p}plugin`, displayName: `Sweep ${tag}`, businessType: "Deploy", pluginCompositionType: "multi" });
  ids.released = await up("released", "PluginVersion", { pluginName: `${p}plugin`, version: "1.0.0", steps: [step], publish: true, publisherId: ids.publisher });
  ids.draft = await up("draft", "PluginVersion", { pluginName: `${p}plugin`, version: "1.1.0", steps: [step] });
  ids.rule = await up("rule", "Rule", { name: `${p}rule`, type: "Gate", layoutContent: "l", content: ruleContent });
  ids.ruleSet = await up("ruleSet", "RuleSet", { name: `${p}ruleset`, rules: [{ id: ids.rule }] });
  ids.policy = await up("policy", "OpenSourcePolicy", { name: `${p}policy`, content: ossContent });
  ids.script = await up("script", "Script", { name: `${p}script`, description: "d", type: "SHELL", content: "true", riskLevel: "LOW", version: "1" });
  ids.plan = await up("plan", "TestPlan", { projectId: P, name: `${p}plan`, endDate: "2026-12-31", serviceIdList: [1] });
  return ids;
}

/** Every object the emulator holds, by kind (the harness's inventory of each kind's collection). */
function holdings(w: World): Record<string, string[]> {
  return Object.fromEntries(KINDS_UNDER_TEST.filter((k) => k.type !== "VpcepAccessControl").map((k) => [k.type, inventory(w, k).sort()]));
}

const deletes = (entries: LogEntry[]) => entries.filter((e) => /\.(delete|deleteDraft)$/.test(e.operation ?? "") && e.status === 200);
/** The position of the first (or last) successful delete the test picks out. */
const at = (entries: LogEntry[], pick: (e: LogEntry) => boolean, last = false) => {
  const i = last ? entries.map(pick).lastIndexOf(true) : entries.findIndex(pick);
  if (i < 0) throw new Error("no such delete in the log");
  return i;
};

describe.each([
  ["the default dialect", {}],
  ["LEAST_CONVENIENT", LEAST_CONVENIENT as unknown as Record<string, string>],
])("sweep under %s", (_label, dialect) => {
  let w: World;
  let mine: Record<string, string>;
  const others: Record<string, string>[] = [];

  beforeAll(async () => {
    w = await startWorld({ dialect });
    mine = await family(w, PREFIX, "mine");
    for (const [i, p] of LOOKALIKES.entries()) others.push(await family(w, p, `other${i}`));
  });
  afterAll(async () => {
    await w?.close();
  });

  const settings = () => clientSettings(w.emu);

  test("a dry run lists exactly the prefixed objects and changes nothing", async () => {
    const before = JSON.stringify(w.emu.store.snapshot());
    const mark = w.emu.log.mark();
    const r = await sweep({ settings: settings(), prefix: PREFIX, codeartsProjectId: P, yes: false });
    expect(JSON.stringify(w.emu.store.snapshot())).toBe(before);
    expect(w.emu.log.since(mark).every((e) => e.method === "GET" || /\.(list|tree|listBasic|listOptional)$/.test(e.operation ?? ""))).toBe(true);
    expect(r.objects.every((o) => o.name.startsWith(PREFIX))).toBe(true);
    const listed = Object.fromEntries(r.objects.map((o) => [`${o.kind} ${o.id}`, o.outcome]));
    expect(listed).toEqual({
      [`PipelineGroup ${mine.group}`]: "listed",
      [`PipelineGroup ${mine.subGroup}`]: "listed",
      [`Pipeline ${mine.pipeline}`]: "listed",
      [`PipelineTemplate ${mine.template}`]: "listed",
      [`Publisher ${mine.publisher}`]: "listed",
      [`Plugin ${mine.plugin}`]: "listed",
      [`PluginVersion ${mine.released}`]: "listed",
      [`PluginVersion ${mine.draft}`]: "listed",
      [`Rule ${mine.rule}`]: "listed",
      [`RuleSet ${mine.ruleSet}`]: "listed",
      [`OpenSourcePolicy ${mine.policy}`]: "listed",
      [`Script ${mine.script}`]: "listed",
      [`TestPlan ${mine.plan}`]: "undeletable",
    });
    expect(r.objects.find((o) => o.kind === "TestPlan")!.detail).toMatch(/cannot be deleted: no API/);
    // Listed in the order --yes deletes them.
    const planned = r.objects.map((o) => o.id);
    for (const [first, then] of [
      [mine.pipeline, mine.group],
      [mine.subGroup, mine.group],
      [mine.ruleSet, mine.rule],
      [mine.draft, mine.plugin],
      [mine.released, mine.plugin],
      [mine.plugin, mine.publisher],
    ]) {
      expect(planned.indexOf(first)).toBeLessThan(planned.indexOf(then));
    }
    expect(r.notListed).toEqual([
      { kind: "ScriptRun", why: expect.stringMatching(/no delete API/) },
      { kind: "ApiTestSuite", why: expect.stringMatching(/no API lists, reads or deletes/) },
      { kind: "VpcepAccessControl", why: expect.stringMatching(/no names/) },
    ]);
    expect(r.calls).toBe(w.emu.log.since(mark).length);
    console.log(`sweep dry run (${_label}): ${r.objects.length} objects listed in ${r.calls} API calls`);
  });

  test("without --project the project kinds are not listed (and say why); the rest still is", async () => {
    const r = await sweep({ settings: settings(), prefix: PREFIX, yes: false });
    expect(r.notListed.map((n) => n.kind).sort()).toEqual(["ApiTestSuite", "Pipeline", "PipelineGroup", "ScriptRun", "TestPlan", "VpcepAccessControl"]);
    expect(r.notListed.find((n) => n.kind === "Pipeline")!.why).toMatch(/--project/);
    expect(new Set(r.objects.map((o) => o.kind))).toEqual(new Set(["PipelineTemplate", "Publisher", "Plugin", "PluginVersion", "Rule", "RuleSet", "OpenSourcePolicy", "Script"]));
  });

  test("--yes deletes exactly the prefixed objects, in dependency order, and leaves the others", async () => {
    const before = holdings(w);
    const mark = w.emu.log.mark();
    const transcript: TranscriptEntry[] = [];
    const r = await sweep({ settings: settings(), prefix: PREFIX, codeartsProjectId: P, yes: true, transcript: (e) => transcript.push(e) });
    const failed = r.objects.filter((o) => o.outcome === "failed");
    expect(failed).toEqual([]);
    expect(sweepFailed(r)).toBe(false);
    expect(r.objects.filter((o) => o.outcome === "deleted")).toHaveLength(12);
    expect(r.objects.find((o) => o.kind === "TestPlan")!.outcome).toBe("undeletable");

    // Exactly the prefixed ones are gone (the test plan stays: no API).
    const gone = new Set(
      Object.entries(mine)
        .filter(([role]) => role !== "plan")
        .map(([, id]) => id),
    );
    const after = holdings(w);
    for (const [kind, ids] of Object.entries(before)) {
      expect({ kind, ids: after[kind] }).toEqual({ kind, ids: ids.filter((id) => !gone.has(id)) });
    }
    for (const o of others) for (const id of Object.values(o)) expect(Object.values(after).flat()).toContain(id);

    // Dependency order, as the service saw it.
    const d = deletes(w.emu.log.since(mark));
    const q = (e: LogEntry, s: string) => e.path.includes(s) || e.query.includes(encodeURIComponent(s)) || e.query.includes(s);
    expect(at(d, (e) => e.operation === "Pipeline.delete")).toBeLessThan(at(d, (e) => e.operation === "PipelineGroup.delete"));
    expect(at(d, (e) => e.operation === "PipelineGroup.delete" && q(e, mine.subGroup))).toBeLessThan(at(d, (e) => e.operation === "PipelineGroup.delete" && q(e, mine.group)));
    expect(at(d, (e) => e.operation === "RuleSet.delete")).toBeLessThan(at(d, (e) => e.operation === "Rule.delete"));
    expect(at(d, (e) => e.operation === "PluginVersion.deleteDraft" && q(e, "1.1.0"))).toBeLessThan(at(d, (e) => e.operation === "Plugin.delete" && q(e, mine.plugin), true));
    expect(at(d, (e) => e.operation === "Plugin.delete" && q(e, mine.plugin), true)).toBeLessThan(at(d, (e) => e.operation === "Publisher.delete"));
    // The report is in the order the deletes were made, too.
    const order = r.objects.map((o) => o.id);
    expect(order.indexOf(mine.subGroup)).toBeLessThan(order.indexOf(mine.group));
    expect(order.indexOf(mine.released)).toBeLessThan(order.indexOf(mine.plugin));
    // Nothing of the look-alikes was asked to be deleted.
    for (const o of others) for (const id of Object.values(o)) expect(d.filter((e) => q(e, id))).toEqual([]);
    expect(transcript.length).toBe(r.calls);
    expect(transcript.some((t) => t.context === "PipelineGroup")).toBe(true);
    const tally: Record<string, number> = {};
    for (const e of w.emu.log.since(mark)) tally[e.operation ?? "?"] = (tally[e.operation ?? "?"] ?? 0) + 1;
    console.log(`sweep --yes (${_label}) calls by operation: ${JSON.stringify(tally)}`);
    console.log(
      `sweep --yes (${_label}): ${r.objects.filter((o) => o.outcome === "deleted").length} deleted in ${r.calls} API calls; ` +
        `the published version: ${r.objects.find((o) => o.id === mine.released)!.detail ?? "deleted by its own delete"}`,
    );

    // Swept again: nothing left but the plan.
    const again = await sweep({ settings: settings(), prefix: PREFIX, codeartsProjectId: P, yes: true });
    expect(again.objects.map((o) => [o.kind, o.outcome])).toEqual([["TestPlan", "undeletable"]]);
  });
});

describe("sweep refusals and failures", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quiet: true });
  });
  afterAll(async () => {
    await emu?.close();
  });

  test("a prefix shorter than 4 characters is refused, with no API call", async () => {
    const mark = emu.log.mark();
    await expect(sweep({ settings: clientSettings(emu), prefix: "acc", yes: true })).rejects.toThrow(SweepUsageError);
    expect(emu.log.since(mark)).toHaveLength(0);
  });
});

describe("what a failed run left behind, and a delete that fails", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ dialect: { L2: "refuse" } });
  });
  afterAll(async () => {
    await w?.close();
  });
  const settings = () => ({ ...clientSettings(w.emu), maxRetries: 1 });
  const groups = () =>
    inventory(
      w,
      KINDS_UNDER_TEST.find((k) => k.type === "PipelineGroup")!,
    );
  const scripts = () =>
    inventory(
      w,
      KINDS_UNDER_TEST.find((k) => k.type === "Script")!,
    );

  test("an up that failed midway leaves an unrecorded script; the sweeper finds and removes it", async () => {
    // The create is applied but answered 500, and the look-up after it fails too: the engine records nothing.
    w.emu.faults.inject({ method: "POST", path: "/v1/job/scripts", fault: { type: "commit-then-fail" } });
    w.emu.faults.inject({ method: "GET", path: "/v1/job/scripts", fault: { type: "status", status: 503 }, times: 50 });
    try {
      await expect(w.engine.up("Script", "orphan", { name: "run_77_orphan", description: "d", type: "SHELL", content: "true", riskLevel: "LOW", version: "1" })).rejects.toThrow(
        /may exist without being recorded/,
      );
    } finally {
      w.emu.faults.clear();
    }
    expect(w.engine.state.has(w.engine.urn("Script", "orphan"))).toBe(false);
    const orphan = scripts();
    expect(orphan).toHaveLength(1);

    const dry = await sweep({ settings: settings(), prefix: "run_77_", codeartsProjectId: P, yes: false });
    expect(dry.objects).toEqual([{ kind: "Script", id: orphan[0], name: "run_77_orphan", outcome: "listed", detail: "would be deleted" }]);
    expect(scripts()).toEqual(orphan);
    const r = await sweep({ settings: settings(), prefix: "run_77_", codeartsProjectId: P, yes: true });
    expect(r.objects).toEqual([{ kind: "Script", id: orphan[0], name: "run_77_orphan", outcome: "deleted" }]);
    expect(scripts()).toEqual([]);
  });

  test("a sub-group that cannot be deleted blocks its parent; the rest is swept; the run fails", async () => {
    const top = (await w.engine.up("PipelineGroup", "top", { projectId: P, name: "run_88_top" })).state!.id;
    const sub = (await w.engine.up("PipelineGroup", "sub", { projectId: P, name: "run_88_sub", parentId: top })).state!.id;
    const script = (await w.engine.up("Script", "s", { name: "run_88_script", description: "d", type: "SHELL", content: "true", riskLevel: "LOW", version: "1" })).state!.id;
    const keep = (await w.engine.up("PipelineGroup", "keep", { projectId: P, name: "run_89_keep" })).state!.id;
    w.emu.faults.inject({ method: "DELETE", path: "/v5/{project_id}/api/pipeline-group/delete", fault: { type: "status", status: 503 }, times: 10 });
    let r: SweepReport;
    try {
      r = await sweep({ settings: settings(), prefix: "run_88_", codeartsProjectId: P, yes: true });
    } finally {
      w.emu.faults.clear();
    }
    const by = Object.fromEntries(r.objects.map((o) => [o.id, o]));
    expect(by[sub].outcome).toBe("failed");
    expect(by[sub].detail).toMatch(/503|HTTP/);
    expect(by[top]).toMatchObject({ outcome: "failed", detail: expect.stringMatching(/not attempted: it holds PipelineGroup "run_88_sub"/) });
    expect(by[script].outcome).toBe("deleted");
    expect(sweepFailed(r)).toBe(true);
    expect(groups().sort()).toEqual([top, sub, keep].sort());
    // A later sweep finishes the job.
    const again = await sweep({ settings: settings(), prefix: "run_88_", codeartsProjectId: P, yes: true });
    expect(again.objects.map((o) => [o.id, o.outcome])).toEqual([
      [sub, "deleted"],
      [top, "deleted"],
    ]);
    expect(groups()).toEqual([keep]);
  });
});

describe("objects without the prefix inside prefixed ones are never touched", () => {
  // L2 `cascade`: the service would delete a group's pipelines with it; the kind's own delete takes only an empty group.
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ dialect: { L2: "cascade" } });
  });
  afterAll(async () => {
    await w?.close();
  });

  test("a prefixed group holding another's pipeline and sub-group is not deleted; they stay", async () => {
    const group = (await w.engine.up("PipelineGroup", "g", { projectId: P, name: "own_1234_group" })).state!.id;
    const theirs = (await w.engine.up("PipelineGroup", "t", { projectId: P, name: "their_group", parentId: group })).state!.id;
    const pipe = (await w.engine.up("Pipeline", "p", { projectId: P, name: "their_pipe", isPublish: false, definition, groupId: group })).state!.id;
    const mark = w.emu.log.mark();
    const r = await sweep({ settings: clientSettings(w.emu), prefix: "own_1234_", codeartsProjectId: P, yes: true });
    expect(r.objects).toEqual([
      {
        kind: "PipelineGroup",
        id: group,
        name: "own_1234_group",
        outcome: "failed",
        detail: expect.stringMatching(/still holds sub-groups their_group .* and pipelines their_pipe/),
      },
    ]);
    expect(deletes(w.emu.log.since(mark))).toEqual([]);
    const held = (type: string) =>
      inventory(
        w,
        KINDS_UNDER_TEST.find((k) => k.type === type)!,
      );
    expect(held("PipelineGroup").sort()).toEqual([group, theirs].sort());
    expect(held("Pipeline")).toEqual([pipe]);
  });
});

describe.each([["bound"], ["null"]])("a prefixed publisher another's plug-in is bound to (X4 %s) is not deleted", (x4) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ dialect: { X4: x4 } });
  });
  afterAll(async () => {
    await w?.close();
  });

  test("the dry run says so, --yes leaves it and the plug-in, the sweep fails", async () => {
    const publisher = (await w.engine.up("Publisher", "pub", { name: "own_1234_publisher", enName: "own_publisher", supportUrl: "support@acme.example" })).state!.id;
    await w.engine.up("Plugin", "theirs", { pluginName: "their_plugin", displayName: "Theirs", businessType: "Deploy", pluginCompositionType: "multi" });
    await w.engine.up("PluginVersion", "theirs-v1", { pluginName: "their_plugin", version: "1.0.0", steps: [step], publish: true, publisherId: publisher });
    const before = holdings(w);
    const dry = await sweep({ settings: clientSettings(w.emu), prefix: "own_1234_", yes: false });
    expect(dry.objects).toEqual([
      {
        kind: "Publisher",
        id: publisher,
        name: "own_1234_publisher",
        outcome: "listed",
        detail: expect.stringMatching(/^will not be deleted: plug-in\(s\) their_plugin, .* bound to it$/),
      },
    ]);
    const mark = w.emu.log.mark();
    const r = await sweep({ settings: clientSettings(w.emu), prefix: "own_1234_", yes: true });
    expect(r.objects).toEqual([
      { kind: "Publisher", id: publisher, name: "own_1234_publisher", outcome: "failed", detail: expect.stringMatching(/^not deleted: plug-in\(s\) their_plugin/) },
    ]);
    expect(sweepFailed(r)).toBe(true);
    expect(deletes(w.emu.log.since(mark))).toEqual([]);
    expect(holdings(w)).toEqual(before);
  });
});

describe("the sweep command", () => {
  const run = promisify(execFile);
  const CLI = path.join(__dirname, "..", "dist", "cli", "main.js");
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quiet: true });
  });
  afterAll(async () => {
    await emu?.close();
  });

  const env = () => {
    const s = clientSettings(emu);
    return {
      ...process.env,
      HW_ACCESS_KEY: s.accessKey!,
      HW_SECRET_KEY: s.secretKey!,
      HW_DOMAIN_ID: s.domainId!,
      HW_REGION_NAME: s.region!,
      HW_PROJECT_ID: s.projectId!,
      HW_MAX_RETRIES: "1",
    };
  };
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run("node", [CLI, "sweep", ...args, "--endpoint", emu.url], { env: env() });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };

  test("dry run, --yes and a short prefix: output and exit codes", async () => {
    // Made with the provider's own Script kind, straight through a client (no engine: nothing records them).
    const settings = clientSettings(emu);
    const client = new ApiClient(settings);
    const ctx = { client, settings, log: () => undefined };
    const make = async (name: string) =>
      (await script.create(ctx, scriptSchema.parse({ name, description: "d", type: "SHELL", content: "true", riskLevel: "LOW", version: "1" }))).id;
    const uuid = await make("cli_1234_script");
    await make("cli_x_script");
    const stuck = await make("cli_5678_script");
    await client.close();

    const help = await run("node", [CLI, "sweep", "--help"]);
    expect(help.stdout).toMatch(/^usage: pulumi-codearts sweep --prefix P/);

    const short = await cli("--prefix", "cli");
    expect(short.code).toBe(64);
    expect(short.stderr).toMatch(/at least 4 characters/);
    const badProject = await cli("--prefix", "cli_1234_", "--project", "not-a-project");
    expect(badProject.code).toBe(64);
    expect(badProject.stdout).toBe("");

    const dry = await cli("--prefix", "cli_1234_");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`Script\\s+${uuid}\\s+"cli_1234_script"\\s+would be deleted`));
    expect(dry.stdout).not.toMatch(/cli_x_script/);
    expect(dry.stdout).toMatch(/Pipeline\s+-\s+not listed: .*--project/);

    const transcript = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sweep-")), "calls.jsonl");
    const yes = await cli("--prefix", "cli_1234_", "--yes", "--json", "--transcript", transcript);
    expect(yes.code).toBe(0);
    const report = JSON.parse(yes.stdout) as SweepReport;
    expect(report.objects).toEqual([{ kind: "Script", id: uuid, name: "cli_1234_script", outcome: "deleted" }]);
    const left = Object.values(emu.store.snapshot().cocScripts ?? {}).flatMap((t) => Object.values(t as Record<string, { name: string }>).map((s) => s.name));
    expect(left.sort()).toEqual(["cli_5678_script", "cli_x_script"]);
    const lines = fs
      .readFileSync(transcript, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as TranscriptEntry);
    expect(lines).toHaveLength(report.calls);
    expect(lines.map((l) => l.operation)).toContain("Script.delete");
    expect(fs.readFileSync(transcript, "utf8")).not.toContain(clientSettings(emu).secretKey!);

    // A delete the service keeps failing: reported, exit 1, the object still there.
    emu.faults.inject({ method: "DELETE", path: "/v1/job/scripts/{script_uuid}", fault: { type: "status", status: 503 }, times: 50 });
    try {
      const failing = await cli("--prefix", "cli_5678_", "--yes");
      expect(failing.code).toBe(1);
      expect(failing.stdout).toMatch(new RegExp(`Script\\s+${stuck}\\s+"cli_5678_script"\\s+FAILED: .*503`));
    } finally {
      emu.faults.clear();
    }
  });
});
