import { stableJson } from "../provider/dynamic";
import { KindName, KINDS } from "../provider/kinds";
import { DEFAULT_ACCOUNT, Emulator, putRepositoryFile, seedVpcepRecords, startEmulator, stackConfig } from "../emulator";
import { ConfigValue, DeploymentResult, ProgramStack, REPO_ROOT } from "./harness";
import { KINDS_UNDER_TEST, PETSTORE, stateMismatch, SUITE_REPO } from "./harness/kinds";
import { outOfBand } from "./harness/recordEvents";

/**
 * A real Pulumi program's lifecycle as the engine runs it: the repository's own Pulumi.yaml program
 * (examples/platform: one resource of every kind, wired by references, stack config choosing values)
 * under @pulumi/pulumi's Node language runtime, against the engine stand-in (tests/harness/engine.ts
 * `runProgram`), which checks and diffs registrations in program order and runs the steps of
 * different resources 10 at a time, with a fresh dynamic-provider host per operation and no warm-up.
 * After every operation the emulator must hold exactly what the state claims.
 *
 * What the summary makes of the engine's events for this program (the rename's PR comment, the drift
 * job's verdicts) is asserted on the real CLI's events: tests/engine/program.test.ts. The stand-in's
 * calls and step order are proved against the real CLI's in tests/engine/standIn.test.ts.
 *
 * Each program run is bounded (two minutes): Node 20.20 can spin after a failed registration in a
 * program with stack exports (nodejs/node#64011); a run killed for that is reported as a failure.
 */
jest.setTimeout(600_000);

const PARALLEL = 10;
const VPCEP_REGION = "ap-southeast-3";
const VPCEPS = ["vpcep-build", "vpcep-deploy"];

function configFor(emu: Emulator, team: string): Record<string, ConfigValue> {
  return {
    ...stackConfig(emu, DEFAULT_ACCOUNT),
    "codearts-platform:projectId": DEFAULT_ACCOUNT.codeartsProjects[0],
    "codearts-platform:teamName": team,
    "codearts-platform:rotateToken": { secret: "rotate-token-value-1" },
    "codearts-platform:vpcepIds": JSON.stringify(VPCEPS),
    "codearts-platform:vpcepRegion": VPCEP_REGION,
    "codearts-platform:apiSpec": JSON.stringify({ repositoryId: SUITE_REPO, branch: "master", path: "api/petstore.yaml" }),
  };
}

async function world(team = "Platform", timeoutMs = 120_000): Promise<{ emu: Emulator; stack: ProgramStack }> {
  const emu = await startEmulator({ port: 0, quiet: true });
  seedVpcepRecords(emu.store, DEFAULT_ACCOUNT.domainId, VPCEP_REGION, VPCEPS);
  putRepositoryFile(emu.store, SUITE_REPO, "master", "api/petstore.yaml", PETSTORE);
  const stack = new ProgramStack({ dir: REPO_ROOT, config: configFor(emu, team), parallel: PARALLEL, timeoutMs });
  return { emu, stack };
}

/** Per kind, where the service and the state disagree (stateMismatch in tests/harness/kinds.ts). */
function mismatches(emu: Emulator, stack: ProgramStack, forgotten: Set<string>): string[] {
  const w = { emu, engine: { state: stack.state } };
  return KINDS_UNDER_TEST.map((k) => stateMismatch(w, k, forgotten)).filter((m): m is string => m !== undefined);
}

/** The resources a deployment did not leave as they were, with what it did. */
const changed = (r: DeploymentResult) => r.steps.filter((s) => s.op !== "same").map((s) => `${s.name}: ${s.op}`);
const ops = (r: DeploymentResult) => r.steps.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.op]: (acc[s.op] ?? 0) + 1 }), {});
/** Requests that change something: every operation but the reads (several reads are POSTs: listings, details) and IAM tokens. */
const READ_OPERATION = /\.(get|list\w*|tree|detail|allVersions|inputs|outputs|metrics|packageDetail|available|status|runs|runDetail|logs)$|^IAM\./;
const writes = (emu: Emulator, mark: number) => emu.log.since(mark).filter((e) => !READ_OPERATION.test(e.operation ?? ""));

function expectOk(r: DeploymentResult, stack: ProgramStack): void {
  if (!r.ok) {
    const detail = [...r.errors, ...r.logs.filter((l) => l.severity === "error").map((l) => l.message), r.run?.stderr ?? "", ...stack.providerLogs.slice(-20)];
    throw new Error(`deployment failed:\n${detail.join("\n")}`);
  }
}

describe("the platform program through the engine's lifecycle", () => {
  let emu: Emulator;
  let stack: ProgramStack;
  const figures: string[] = [];
  const forgotten = new Set<string>();
  beforeAll(async () => {
    ({ emu, stack } = await world());
  });
  afterAll(async () => {
    console.log(`program lifecycle (examples/platform, --parallel ${PARALLEL}):\n${figures.join("\n")}`);
    await emu?.close();
  });

  const step = async (label: string, run: () => Promise<DeploymentResult>) => {
    const mark = emu.log.mark();
    const t0 = performance.now();
    const r = await run();
    expectOk(r, stack);
    figures.push(`  ${label}: ${JSON.stringify(ops(r))}, ${emu.log.since(mark).length} API calls (${writes(emu, mark).length} writes), ${(performance.now() - t0).toFixed(0)} ms`);
    return { r, calls: emu.log.since(mark), writes: writes(emu, mark) };
  };

  test("preview of a new stack plans every resource and calls no API", async () => {
    const { r, calls } = await step("preview (new stack)", () => stack.preview());
    expect(calls).toHaveLength(0);
    const kinds = new Set(r.steps.map((s) => s.type.split(":").pop()));
    // Every kind but ScriptRun: the example program configures no hosts for a script to run on (it is shown
    // by the demo's host scenarios and tests/scriptRun.test.ts).
    expect([...kinds].sort()).toEqual(
      Object.keys(KINDS)
        .filter((k) => k !== "ScriptRun")
        .sort(),
    );
    expect(r.steps.every((s) => s.op === "create")).toBe(true);
    expect(stack.state.size).toBe(0);
  });

  test("up from scratch creates everything; the service holds exactly the state", async () => {
    const { r } = await step("up (from scratch)", () => stack.up());
    expect(r.steps.every((s) => s.op === "create")).toBe(true);
    expect(stack.state.size).toBe(r.steps.length);
    expect(mismatches(emu, stack, forgotten)).toEqual([]);
    expect(Object.keys(r.outputs)).toEqual(expect.arrayContaining(["templateId", "pipelineIds", "releaseGateId"]));
  });

  test("up again changes nothing and writes nothing", async () => {
    const { r, writes } = await step("up (no change)", () => stack.up());
    expect(changed(r)).toEqual([]);
    expect(writes).toEqual([]);
  });

  test("a change of the team name: its preview calls no API, its up makes it; nothing orphaned", async () => {
    stack.setConfig("codearts-platform:teamName", "Payments");
    const preview = await step("preview (team renamed)", () => stack.preview());
    expect(preview.calls).toHaveLength(0);
    expect(ops(preview.r).update).toBeGreaterThan(0);
    const up = await step("up (team renamed)", () => stack.up());
    expect(ops(up.r)).toEqual(ops(preview.r));
    expect(mismatches(emu, stack, forgotten)).toEqual([]);
    const again = await step("up (after the change)", () => stack.up());
    expect(changed(again.r)).toEqual([]);
    expect(again.writes).toEqual([]);
  });

  test("refresh keeps every resource and changes no output but the service-maintained ones; up after it changes nothing", async () => {
    const before = new Map([...stack.state].map(([urn, st]) => [urn, st.outputs]));
    const { r, writes } = await step("refresh", () => stack.refresh());
    expect(Object.keys(ops(r))).toEqual(["refresh"]);
    expect(writes).toEqual([]);
    const moved: string[] = [];
    for (const [urn, st] of stack.state) {
      const kind = KINDS[st.type.split(":").pop() as KindName];
      const old = before.get(urn)!;
      for (const key of new Set([...Object.keys(old), ...Object.keys(st.outputs)])) {
        if (stableJson(old[key]) === stableJson(st.outputs[key])) continue;
        if (!((kind.serviceMaintained ?? []) as readonly string[]).includes(key)) moved.push(`${st.name}.${key}`);
      }
    }
    expect(moved).toEqual([]);
    const again = await step("up (after refresh)", () => stack.up());
    expect(changed(again.r)).toEqual([]);
    expect(again.writes).toEqual([]);
    expect(mismatches(emu, stack, forgotten)).toEqual([]);
  });

  test("a rename and a deletion out of band: the drift job's refresh --preview-only writes nothing and keeps the state; refresh takes them in, up puts them back", async () => {
    outOfBand(
      emu,
      "pipelineGroups",
      (r) => r.name === "Payments",
      (r) => (r.name = "Renamed in the console"),
    );
    outOfBand(emu, "rules", (r) => String(r.name).endsWith("test pass rate"), "delete");
    const before = new Map([...stack.state].map(([urn, st]) => [urn, stableJson(st)]));
    const drift = await step("drift (renamed and deleted out of band)", () => stack.previewRefresh());
    expect(ops(drift.r)).toEqual({ refresh: stack.state.size - 1, gone: 1 });
    expect(drift.writes).toEqual([]);
    expect(new Map([...stack.state].map(([urn, st]) => [urn, stableJson(st)]))).toEqual(before);
    // The state still claims what the program declared: accept the drift with a refresh, then up restores it.
    await step("refresh (accepts the drift)", () => stack.refresh());
    expect(stack.state.size).toBe(before.size - 1);
    const restored = await step("up (restores)", () => stack.up());
    expect(ops(restored.r)).toMatchObject({ create: 1, update: expect.any(Number) });
    expect(mismatches(emu, stack, forgotten)).toEqual([]);
  });

  test("destroy removes everything, dependents first", async () => {
    const { r } = await step("destroy", () => stack.destroy());
    expect(Object.keys(ops(r))).toEqual(["delete"]);
    expect(stack.state.size).toBe(0);
    expect(mismatches(emu, stack, forgotten)).toEqual([]);
  });
});

describe("the first up of a fresh stack under the engine's concurrency", () => {
  const RUNS = 20;
  test(`${RUNS} fresh ups with seeded random latency (0-30 ms): no failure, no orphan`, async () => {
    const rows: string[] = [];
    let failures = 0;
    let orphans = 0;
    // A run takes 3-6 s here; a broken one may hang (see the bound above), so it is cut at 30 s, and
    // the loop stops after three failures rather than wait out the rest.
    for (let seed = 1; seed <= RUNS && failures < 3; seed++) {
      const { emu, stack } = await world(`Team ${seed}`, 30_000);
      try {
        emu.faults.setLatency(0, 30, seed);
        const t0 = performance.now();
        const r = await stack.up();
        const problems = mismatches(emu, stack, new Set());
        if (!r.ok) failures++;
        orphans += problems.length;
        rows.push(
          `  seed ${seed}: ${r.ok ? "ok" : `FAILED: ${r.errors.join("; ").slice(0, 600)}`}, ${r.steps.length} steps, ${emu.log.since(0).length} API calls, ${(performance.now() - t0).toFixed(0)} ms${problems.length ? `; ${problems.join("; ")}` : ""}`,
        );
      } finally {
        await emu.close();
      }
    }
    console.log(`fresh ups, --parallel ${PARALLEL}, latency 0-30 ms seeded per run:\n${rows.join("\n")}\n  failures: ${failures}, orphans: ${orphans}`);
    expect({ failures, orphans }).toEqual({ failures: 0, orphans: 0 });
  });
});
