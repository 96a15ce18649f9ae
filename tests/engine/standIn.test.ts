import * as fs from "fs";
import * as path from "path";
import { DEFAULT_ACCOUNT, seedVpcepRecords, startEmulator, type Emulator } from "../../emulator";
import { versionOf } from "../../cli/pulumiBuild";
import type { DeploymentResult } from "../harness/engine";
import { engineTestProgram } from "../harness/engineProgram";
import { REPO_ROOT } from "../harness/host";
import { platformConfig, VPCEP_REGION, VPCEPS } from "../harness/recordEvents";
import { ENGINE_WORK_ROOT, RealStack, requireCli, type RealRun } from "../harness/realEngine";
import { compareTraces, fieldDiffs, fromStandIn, Minted, orderProblems, readGrpcLog, type OperationKind, type Rpc } from "../harness/rpcTrace";
import { ProgramStack } from "../harness/stack";

/**
 * The engine stand-in (tests/harness/engine.ts, run through ProgramStack) proved against the real
 * engine (the Pulumi CLI v3.277.0 built from source, through the Automation API), on the same program:
 * engineTestProgram() (the example platform program, every kind, plus a script kept by name), run
 * inline by the CLI and as a program file (tests/harness/engineProgramMain.ts) by the stand-in, each
 * against an emulator of its own seeded alike, with the same stack config and the same parallelism.
 *
 * For each operation (a new stack's up, up with nothing to do, a rename's preview and up with updates
 * and create-before-delete replacements, a delete-before-replace, a refresh, a destroy) the CLI's
 * provider RPCs (PULUMI_DEBUG_GRPC) and the stand-in's (Engine.calls) are compared per resource: the
 * same Configure/Check/Diff/Create/Update/Delete/Read calls in the same order, field by field (see
 * tests/harness/rpcTrace.ts for what is normalised and why); each trace must keep the order the engine
 * promises across resources (dependencies first; no two Check/Diff at once; deletes last, in
 * ScheduleDeletes' waves); and after each operation the stand-in's state holds what
 * `pulumi stack export` holds: the same resources, ids and dependencies.
 *
 * The fault matrix (tests/faultMatrix*.test.ts) and the scale run (tests/scale.test.ts, bench) stay
 * on the stand-in for speed; this file is what lets them.
 */
const PARALLEL = 10;
const CLI_VERSION = "v3.277.0";
const STAND_IN_PROGRAM = path.join(REPO_ROOT, "dist", "tests", "harness", "engineProgramMain.js");

let emuReal: Emulator;
let emuStandIn: Emulator;
let real: RealStack;
let standIn: ProgramStack;
let grpcLog: string;
let logOffset = 0;
const minted = new Minted();
const figures: string[] = [];

async function seeded(): Promise<Emulator> {
  const emu = await startEmulator({ port: 0, quiet: true });
  seedVpcepRecords(emu.store, DEFAULT_ACCOUNT.domainId, VPCEP_REGION, VPCEPS);
  return emu;
}

beforeAll(async () => {
  emuReal = await seeded();
  emuStandIn = await seeded();
  fs.mkdirSync(ENGINE_WORK_ROOT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(ENGINE_WORK_ROOT, "grpc-"));
  grpcLog = path.join(dir, "grpc.jsonl");
  // PULUMI_PARALLEL: the CLI's default is 4 × GOMAXPROCS; the stand-in is given the same number.
  real = await RealStack.create({ program: engineTestProgram(), config: platformConfig(emuReal), env: { PULUMI_DEBUG_GRPC: grpcLog, PULUMI_PARALLEL: String(PARALLEL) } });
  standIn = new ProgramStack({ dir: REPO_ROOT, main: STAND_IN_PROGRAM, config: platformConfig(emuStandIn), parallel: PARALLEL });
});

afterAll(async () => {
  console.log(`the stand-in against the real engine (${CLI_VERSION}, --parallel ${PARALLEL}):\n${figures.join("\n")}`);
  await real?.dispose();
  if (grpcLog) fs.rmSync(path.dirname(grpcLog), { recursive: true, force: true });
  await emuReal?.close();
  await emuStandIn?.close();
});

/** The calls the CLI logged since the last operation (PULUMI_DEBUG_GRPC appends, one file for the stack). */
function newCalls(): Rpc[] {
  const text = fs.existsSync(grpcLog) ? fs.readFileSync(grpcLog, "utf8") : "";
  const part = text.slice(logOffset);
  logOffset = text.length;
  return readGrpcLog(part);
}

/** Per URN, the dependencies the backend keeps (custom resources only: no stack, no provider). */
async function exportedState(): Promise<Map<string, { id: string; dependencies: string[] }>> {
  const { resources } = await real.exported();
  return new Map(
    resources
      .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
      .map((r) => [r.urn, { id: String(r.id ?? ""), dependencies: ((r.dependencies as string[] | undefined) ?? []).slice().sort() }]),
  );
}
const standInState = () => new Map([...standIn.state].map(([urn, st]) => [urn, { id: st.id, dependencies: (st.dependencies ?? []).slice().sort() }]));
const depsOf = (...states: Array<Map<string, { dependencies: string[] }>>) => {
  const m = new Map<string, string[]>();
  for (const s of states) for (const [urn, v] of s) m.set(urn, [...new Set([...(m.get(urn) ?? []), ...v.dependencies])]);
  return m;
};

interface Compared {
  real: Rpc[];
  standIn: Rpc[];
  /** Per-resource differences of the calls, field by field. */
  calls: string[];
  /** Cross-resource order broken, per side. */
  order: { real: string[]; standIn: string[] };
  /** Where the stand-in's state and the backend's differ after the operation. */
  state: string[];
}

let exportedBefore = new Map<string, { id: string; dependencies: string[] }>();

async function both(label: string, kind: OperationKind, runReal: () => Promise<RealRun>, runStandIn: () => Promise<DeploymentResult>): Promise<Compared> {
  const standInBefore = standInState();
  const t0 = performance.now();
  const r = await runReal();
  if (!r.ok) throw new Error(`${label}: the real engine failed: ${r.error}`);
  const realCalls = newCalls();
  const t1 = performance.now();
  const s = await runStandIn();
  if (!s.ok) throw new Error(`${label}: the stand-in failed:\n${[...s.errors, s.run?.stderr ?? "", ...standIn.providerLogs.slice(-20)].join("\n")}`);
  const t2 = performance.now();
  const standInCalls = fromStandIn(standIn.calls);
  minted.learn(realCalls, standInCalls);
  const exportedAfter = await exportedState();
  const standInAfter = standInState();
  const state: string[] = [];
  for (const urn of [...new Set([...exportedAfter.keys(), ...standInAfter.keys()])].sort()) {
    fieldDiffs(urn.split("::").pop()!, exportedAfter.get(urn), standInAfter.get(urn), minted, state);
  }
  const result: Compared = {
    real: realCalls,
    standIn: standInCalls,
    calls: compareTraces(realCalls, standInCalls, minted, { real: emuReal.url, standIn: emuStandIn.url }),
    order: {
      real: orderProblems(realCalls, kind, depsOf(exportedBefore, exportedAfter)),
      standIn: orderProblems(standInCalls, kind, depsOf(standInBefore, standInAfter)),
    },
    state,
  };
  exportedBefore = exportedAfter;
  figures.push(
    `  ${label}: ${realCalls.length} calls; real ${(t1 - t0).toFixed(0)} ms, stand-in ${(t2 - t1).toFixed(0)} ms; ` +
      `${result.calls.length + result.order.standIn.length + result.state.length} differences`,
  );
  return result;
}

/** Everything that must hold for every operation: no difference, both traces in the engine's order. */
function expectAlike(c: Compared): void {
  expect({ calls: c.calls, order: c.order, state: c.state }).toEqual({ calls: [], order: { real: [], standIn: [] }, state: [] });
}

/** Per resource name, the methods called, e.g. { team: "Check Diff Update" }. */
const methods = (trace: Rpc[]) => {
  const m: Record<string, string> = {};
  for (const c of trace.filter((x) => x.method !== "Configure")) m[c.urn.split("::").pop()!] = `${m[c.urn.split("::").pop()!] ?? ""} ${c.method}`.trim();
  return m;
};
const set = async (key: string, value: string) => {
  await real.setConfig({ [key]: value });
  standIn.setConfig(key, value);
};

test(`the CLI is ${CLI_VERSION}, the version the stand-in's documentation names`, () => {
  expect(versionOf(requireCli())).toBe(CLI_VERSION);
});

test("a new stack: up creates every resource; the calls, their order and the state alike", async () => {
  const c = await both("up (new stack)", "update", real.up, () => standIn.up());
  expect(Object.values(methods(c.real))).toEqual(Array(16).fill("Check Create"));
  expect(c.real.filter((x) => x.method === "Configure")).toHaveLength(1);
  expect(minted.size).toBeGreaterThan(0);
  expectAlike(c);
});

test("up again: Check and Diff of every resource, nothing else", async () => {
  const c = await both("up (nothing to do)", "update", real.up, () => standIn.up());
  expect(Object.values(methods(c.real))).toEqual(Array(16).fill("Check Diff"));
  expectAlike(c);
});

test("a rename's preview: Check and Diff, with unknowns where a replaced resource's outputs flow", async () => {
  await set("codearts-platform:teamName", "Payments");
  const c = await both("preview (rename)", "preview", real.preview, () => standIn.preview());
  expect(c.real.some((x) => x.method === "Check" && JSON.stringify(x.request.news).includes("04da6b54-80e4-46f7-96ec-b56ff0331ba9"))).toBe(true);
  expect(c.real.filter((x) => !["Configure", "Check", "Diff"].includes(x.method))).toEqual([]);
  expectAlike(c);
});

test("a rename's up: updates in place, replacements create before delete, the old objects deleted last in waves", async () => {
  const c = await both("up (rename)", "update", real.up, () => standIn.up());
  const m = methods(c.real);
  expect(m.team).toBe("Check Diff Update");
  expect(m.api).toBe("Check Diff Check Create Delete");
  expect(m["deploy-step-0.0.1"]).toBe("Check Diff Check Create Delete");
  expectAlike(c);
});

test("a script's type changes, its name stays: deleted before it is replaced", async () => {
  await set("engine-tests:scriptType", "PYTHON");
  const c = await both("up (delete-before-replace)", "update", real.up, () => standIn.up());
  expect(methods(c.real)["fixed-name"]).toBe("Check Diff Check Delete Create");
  expectAlike(c);
});

test("refresh: Read, then Diff of what was read against the declared inputs, for every resource", async () => {
  const c = await both("refresh", "refresh", real.refresh, () => standIn.refresh());
  expect(Object.values(methods(c.real))).toEqual(Array(16).fill("Read Diff"));
  expectAlike(c);
});

test("destroy: every resource deleted, dependents first, in waves", async () => {
  const c = await both("destroy", "destroy", real.destroy, () => standIn.destroy());
  expect(Object.values(methods(c.real))).toEqual(Array(16).fill("Delete"));
  expectAlike(c);
  expect(standIn.state.size).toBe(0);
});
