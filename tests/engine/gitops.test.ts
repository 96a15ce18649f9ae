import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { main, runStackCommand, EXIT } from "../../cli/main";
import { DEFAULT_ACCOUNT, seedVpcepRecords, startEmulator, type Emulator, type LogEntry } from "../../emulator";
import { KINDS_UNDER_TEST, stateMismatch } from "../harness/kinds";
import type { ResourceState } from "../harness/engine";
import { engineTestProgram } from "../harness/engineProgram";
import { outOfBand, platformConfig, VPCEP_REGION, VPCEPS } from "../harness/recordEvents";
import { RealStack, type RealRun } from "../harness/realEngine";
import { REPO_ROOT } from "../harness/host";
import { mutating } from "../harness/languagePrograms";

/**
 * The GitOps flow through the real Pulumi CLI (built from source), every kind (the platform program
 * plus a script kept by name), one stack, in order: what a pull request's preview and a pipeline's up,
 * refresh and drift job do. Each operation's `--event-log` file goes through `pulumi-codearts summarize`
 * (the exit code a pipeline sees); after each, the emulator's objects are exactly what
 * `pulumi stack export` claims, and neither the export nor the event log holds a secret in clear.
 */
const SECRETS = [DEFAULT_ACCOUNT.secretKey, "rotate-token-value-1", "rotate-token-value-2"];
let emu: Emulator;
let stack: RealStack;
/**
 * Kinds the platform program writes nothing for: VPCEP access control (adopted without a call), the API test
 * suite (declared only when codearts-platform:apiSpec is set, which this stack does not) and ScriptRun (the
 * program configures no hosts).
 */
const NOT_WRITTEN = ["VpcepAccessControl", "ApiTestSuite", "ScriptRun"];
/** Objects the state need not claim: test plans (no delete API, left in CloudTest by design) and the VPC endpoints made in the console. */
const forgotten = new Set<string>(VPCEPS);

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  seedVpcepRecords(emu.store, DEFAULT_ACCOUNT.domainId, VPCEP_REGION, VPCEPS);
  stack = await RealStack.create({ program: engineTestProgram(), config: platformConfig(emu) });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

/** Captures what a command prints (stdout and console.error, where pulumi-codearts reports). */
async function captured(run: () => Promise<number>): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const spies = [
    jest.spyOn(process.stdout, "write").mockImplementation((c) => (out.push(String(c)), true)),
    jest.spyOn(process.stderr, "write").mockImplementation((c) => (out.push(String(c)), true)),
    jest.spyOn(console, "error").mockImplementation((m) => void out.push(String(m))),
  ];
  try {
    return { code: await run(), text: out.join("") };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

/** `pulumi-codearts summarize` on the operation's event log. */
const summarizeLog = (r: RealRun, operation: string) => captured(() => main(["summarize", "--event-log", r.eventLog, "--operation", operation]));

/** The service holds what the stack export claims, kind by kind; no secret in the export or the log. */
async function agrees(r: RealRun): Promise<void> {
  const { text, resources } = await stack.exported();
  const state = new Map<string, ResourceState>(resources.filter((x) => x.custom && x.id).map((x, i) => [`${i}`, x as unknown as ResourceState]));
  const mismatches = KINDS_UNDER_TEST.map((k) => stateMismatch({ emu, engine: { state } }, k, forgotten)).filter((m) => m !== undefined);
  expect(mismatches).toEqual([]);
  const log = fs.readFileSync(r.eventLog, "utf8");
  const inClear = SECRETS.flatMap((secret) =>
    [text.includes(secret) ? `the stack export holds ${secret}` : [], log.includes(secret) ? `the event log holds ${secret}` : []].flat(),
  );
  expect(inClear).toEqual([]);
}

async function op(operation: "preview" | "up" | "refresh" | "drift" | "destroy", expectOk = true): Promise<RealRun & { calls: LogEntry[] }> {
  const mark = emu.log.mark();
  const r = await stack.run(operation);
  if (r.ok !== expectOk) throw new Error(`${operation}: ${r.ok ? "succeeded, expected a failure" : r.error}`);
  return { ...r, calls: emu.log.since(mark) };
}
const set = (key: string, value: string) => stack.setConfig({ [key]: value });
/** Runs `run` while the routes matching method and path answer a login page instead of JSON (a fault no retry cures). */
async function answeringHtml<T>(method: string, route: string, run: () => Promise<T>): Promise<T> {
  emu.faults.inject({ method, path: route, fault: { type: "bad-success", body: "html" }, times: 1000 });
  try {
    return await run();
  } finally {
    emu.faults.clear();
  }
}

test("a new stack: the preview makes no API call and plans every kind; summarize exits 0", async () => {
  const r = await op("preview");
  expect(r.calls).toEqual([]);
  const s = await summarizeLog(r, "preview");
  expect(s.code).toBe(EXIT.ok);
  expect(s.text).toContain("**17** create");
  await agrees(r);
});

test("up creates every kind; the service holds exactly what the export claims", async () => {
  const r = await op("up");
  expect(new Set(mutating(r.calls).map((o) => o!.split(".")[0]))).toEqual(new Set(KINDS_UNDER_TEST.filter((k) => !NOT_WRITTEN.includes(k.type)).map((k) => k.type)));
  expect((await summarizeLog(r, "up")).code).toBe(EXIT.ok);
  await agrees(r);
});

test("up again: nothing to do, nothing written", async () => {
  const r = await op("up");
  expect(mutating(r.calls)).toEqual([]);
  const s = await summarizeLog(r, "up");
  expect([s.code, s.text]).toEqual([EXIT.ok, expect.stringContaining("**17** unchanged")]);
  await agrees(r);
});

test("a rename: the preview (no API call) then the up update in place and replace create-before-delete", async () => {
  await set("codearts-platform:teamName", "Payments");
  const preview = await op("preview");
  expect(preview.calls).toEqual([]);
  const p = await summarizeLog(preview, "preview");
  expect(p.code).toBe(EXIT.ok);
  expect(p.text).toContain("| ~ | PipelineGroup | team | update | name |");
  expect(p.text).toContain("- **TestPlan regression** is replaced (name)");
  const up = await op("up");
  const u = await summarizeLog(up, "up");
  expect(u.code).toBe(EXIT.ok);
  expect(u.text).toContain("**7** replace");
  // Create before delete: the new pipeline exists before the old one goes.
  const pipelineCalls = mutating(up.calls).filter((o) => o!.startsWith("Pipeline."));
  expect(pipelineCalls.indexOf("Pipeline.create")).toBeLessThan(pipelineCalls.indexOf("Pipeline.delete"));
  await agrees(up);
});

test("a script's type changes, its name stays: deleted before it is replaced", async () => {
  await set("engine-tests:scriptType", "PYTHON");
  const preview = await op("preview");
  expect(preview.calls).toEqual([]);
  expect((await summarizeLog(preview, "preview")).text).toContain("| +- | Script | fixed-name | replace | **type** (replaces) |");
  const up = await op("up");
  expect(mutating(up.calls).filter((o) => o!.startsWith("Script."))).toEqual(["Script.delete", "Script.create"]);
  expect((await summarizeLog(up, "up")).code).toBe(EXIT.ok);
  await agrees(up);
});

test("refresh with nothing changed; drift says so (exit 0)", async () => {
  const refresh = await op("refresh");
  expect(mutating(refresh.calls)).toEqual([]);
  expect((await summarizeLog(refresh, "refresh")).code).toBe(EXIT.ok);
  await agrees(refresh);
  const drift = await op("drift");
  expect(await summarizeLog(drift, "drift")).toEqual({ code: EXIT.ok, text: expect.stringContaining("no drift") });
});

test("a rename and a deletion out of band: drift exits 2 naming both, from the log and from pulumi-codearts drift", async () => {
  outOfBand(
    emu,
    "pipelineGroups",
    (r) => r.name === "Payments",
    (r) => (r.name = "Payments (renamed in console)"),
  );
  outOfBand(emu, "rules", (r) => String(r.name).endsWith("test pass rate"), "delete");
  const drift = await op("drift");
  const s = await summarizeLog(drift, "drift");
  expect(s.code).toBe(EXIT.drift);
  expect(s.text).toMatch(/drift: PipelineGroup team \(changed: name\); Rule pass-rate \(deleted out of band\)/);
  const out = fs.mkdtempSync(path.join(stack.dir, "out-"));
  const cmd = await captured(() => runStackCommand("drift", stack.stack, { yes: false, json: false, out }));
  expect(cmd.code).toBe(EXIT.drift);
  expect(fs.readFileSync(path.join(out, "summary.md"), "utf8")).toContain("| - | Rule | pass-rate | delete |");
  // The pipeline puts it back: refresh (accept what is gone), then up.
  await op("refresh");
  const up = await op("up");
  expect([...new Set(mutating(up.calls))].sort()).toEqual(["PipelineGroup.update", "Rule.create", "RuleSet.update"]);
  await agrees(up);
});

test("a read that fails: drift exits 1 naming the resource, never 'no drift'", async () => {
  await answeringHtml("GET", "/v2/*/tenant/rule-sets/**", async () => {
    const drift = await op("drift", false);
    const s = await summarizeLog(drift, "drift");
    expect(s.code).toBe(EXIT.failed);
    expect(s.text).toMatch(/the drift failed: RuleSet release-gate: .*not the documented one/);
    expect(s.text).not.toContain("no drift");
    const cmd = await captured(() => runStackCommand("drift", stack.stack, { yes: false, json: false, out: fs.mkdtempSync(path.join(stack.dir, "out-")) }));
    expect(cmd.code).toBe(EXIT.failed);
    expect(cmd.text).toContain("RuleSet release-gate");
  });
});

test("a program that throws: the pull request's summary exits 1 and shows the error", async () => {
  // In a process of its own: the language server reports the exception in-process (see realEngineRun.ts).
  const log = path.join(stack.dir, "program-error.jsonl");
  const config = { ...platformConfig(emu), "engine-tests:throw": "true" };
  const child = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "tests", "harness", "realEngineRun.js"), "preview", log, JSON.stringify(config)], { encoding: "utf8" });
  expect(JSON.parse(child.stdout)).toMatchObject({ ok: false });
  const s = await captured(() => main(["summarize", "--event-log", log, "--operation", "preview"]));
  expect(s.code).toBe(EXIT.failed);
  expect(s.text).toContain("#### :x: The preview failed");
  expect(s.text).toContain("the program failed on purpose (engine-tests:throw is set)");
  expect(s.text).toMatch(/the preview failed: .*the program failed on purpose/);
});

test("a step that fails at the API: the up exits 1 naming the step; the next up finishes the change", async () => {
  await set("codearts-platform:teamName", "Billing");
  const failed = await answeringHtml("PUT", "/v2/*/rules/*/update", () => op("up", false));
  const s = await summarizeLog(failed, "up");
  expect(s.code).toBe(EXIT.failed);
  expect(s.text).toMatch(/the up failed: Rule (coverage|pass-rate): Rule\.update got an answer that is not the documented one/);
  expect(s.text).toContain("#### :boom: Failed");
  await agrees(failed);
  const up = await op("up");
  expect((await summarizeLog(up, "up")).code).toBe(EXIT.ok);
  await agrees(up);
});

test("pulumi-codearts preview and up themselves, through the Automation API's event stream", async () => {
  await set("codearts-platform:teamName", "Operations");
  const out = fs.mkdtempSync(path.join(stack.dir, "out-"));
  const mark = emu.log.mark();
  const preview = await captured(() => runStackCommand("preview", stack.stack, { yes: false, json: false, out }));
  expect(preview.code).toBe(EXIT.ok);
  expect(emu.log.since(mark)).toEqual([]);
  expect(fs.readFileSync(path.join(out, "summary.md"), "utf8")).toContain("| ~ | PipelineGroup | team | update | name |");
  const up = await captured(() => runStackCommand("up", stack.stack, { yes: true, json: true, out }));
  expect(up.code).toBe(EXIT.ok);
  const summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
  expect(summary).toMatchObject({ operation: "up", result: "succeeded", counts: { update: 7, replace: 7 } });
  expect(SECRETS.filter((secret) => (up.text + preview.text).includes(secret))).toEqual([]);
  await agrees(await op("refresh"));
});

test("a replacement whose delete fails: the old pipelines stay pending deletion, claimed; the next up deletes them", async () => {
  await set("codearts-platform:teamName", "Delivery");
  const failed = await answeringHtml("DELETE", "/v5/{project_id}/api/pipelines/{pipeline_id}", () => op("up", false));
  expect((await summarizeLog(failed, "up")).text).toMatch(/Pipeline (api|web)\*\* \(delete-replaced\)/);
  const pending = (await stack.exported()).resources.filter((r) => r.delete === true).map((r) => r.urn.split("::").pop());
  expect(pending.sort()).toEqual(["api", "web"]);
  await agrees(failed);
  const refresh = await op("refresh");
  expect((await summarizeLog(refresh, "refresh")).code).toBe(EXIT.ok);
  const up = await op("up");
  const u = await summarizeLog(up, "up");
  expect(u.code).toBe(EXIT.ok);
  expect(u.text).toContain("| - | Pipeline | api | delete (left pending deletion by an earlier replacement) |");
  expect(mutating(up.calls)).toEqual(["Pipeline.delete", "Pipeline.delete"]);
  expect((await stack.exported()).resources.filter((r) => r.delete === true)).toEqual([]);
  await agrees(up);
});

test("destroy: exit 0; nothing the stack claimed is left but the test plans CloudTest cannot delete", async () => {
  const r = await op("destroy");
  expect((await summarizeLog(r, "destroy")).code).toBe(EXIT.ok);
  const { resources } = await stack.exported();
  expect(resources).toEqual([]);
  await agrees(r);
  const left = Object.entries(emu.store.snapshot())
    .filter(([c]) => KINDS_UNDER_TEST.some((k) => k.collection === c && !k.deleteKeeps && c !== "vpcepRecords"))
    .flatMap(([c, byTenant]) => Object.values(byTenant).flatMap((records) => Object.keys(records).map((id) => `${c}/${id}`)));
  expect(left.filter((x) => !x.startsWith("publishers/"))).toEqual([]);
});
