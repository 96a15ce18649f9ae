import { KINDS, type KindName } from "../../provider/kinds";
import { DIALECT_ROWS, type DialectId, LEAST_CONVENIENT } from "../../emulator/dialects";
import { Env, KINDS_UNDER_TEST, KindUnderTest, stateMismatch } from "../harness/kinds";
import { provenConfig } from "./provenDialect";
import { stackConfig, startWorld, World } from "./world";

/**
 * The dialect matrix (issue 15): every kind's lifecycle under every reading of every row of
 * docs/ambiguities.md that concerns it, one row changed from the defaults at a time, and once
 * with every row at its least convenient reading. A lifecycle: create, read (refresh), no-op,
 * update (where the API has one), refresh, adoption of the object by a second resource (where
 * readable), delete; after each step the service must hold exactly what the state claims.
 * Row-specific scenarios (a second page, a duplicate name, a published version's delete, ...) are in
 * the family test files; this is the common floor every reading must pass.
 */

/** Which kinds each row concerns: the lifecycles that run under its readings. */
export const ROW_KINDS: Record<DialectId, KindName[]> = {
  G1: ["PipelineGroup", "PipelineTemplate", "Pipeline", "Publisher", "Plugin", "PluginVersion", "Rule", "RuleSet", "OpenSourcePolicy", "Script", "TestPlan", "VpcepAccessControl"],
  G2: ["PipelineGroup", "PipelineTemplate", "Pipeline", "Publisher", "Plugin", "PluginVersion", "Rule", "RuleSet", "OpenSourcePolicy", "Script", "TestPlan", "VpcepAccessControl"],
  G3: ["PipelineGroup", "PipelineTemplate", "Pipeline", "Rule", "RuleSet", "OpenSourcePolicy"],
  G5: ["PipelineGroup", "PipelineTemplate", "Pipeline", "Rule", "RuleSet", "OpenSourcePolicy", "Publisher", "Plugin", "PluginVersion", "Script"],
  P1: ["Publisher", "Plugin", "PluginVersion"],
  P2: ["TestPlan"],
  P3: ["PipelineTemplate", "Pipeline", "Publisher", "Plugin", "PluginVersion", "Rule", "RuleSet", "OpenSourcePolicy", "Script", "TestPlan"],
  P4: [],
  L1: ["Pipeline"],
  L2: ["PipelineGroup"],
  L4: ["PipelineTemplate"],
  L5: ["PipelineTemplate", "Plugin", "PluginVersion"],
  X1: ["PluginVersion"],
  X2: ["Plugin", "PluginVersion"],
  X3: ["Publisher"],
  X4: ["PluginVersion"],
  X5: ["Publisher"],
  X6: ["Plugin", "PluginVersion"],
  X7: ["PluginVersion"],
  X8: ["PluginVersion"],
  X9: ["Plugin"],
  X10: ["Plugin"],
  X11: ["PluginVersion"],
  X12: ["PluginVersion"],
  R1: ["RuleSet"],
  R2: ["OpenSourcePolicy"],
  R3: ["OpenSourcePolicy"],
  R4: ["Rule"],
  R5: ["RuleSet", "OpenSourcePolicy"],
  C1: ["TestPlan"],
  C3: ["TestPlan"],
  T1: ["ApiTestSuite"],
  T2: ["ApiTestSuite"],
  S1: ["Script"],
  S2: ["Script"],
  S3: ["Script"],
  S4: ["Script"],
  S5: ["Script"],
  S6: ["Script"],
  E1: ["ScriptRun"],
  E2: ["ScriptRun"],
  E3: ["ScriptRun"],
  E4: ["ScriptRun"],
  E6: ["ScriptRun"],
  E7: ["ScriptRun"],
  V1: ["VpcepAccessControl"],
  V2: ["VpcepAccessControl"],
  N1: ["PipelineGroup", "PipelineTemplate", "Pipeline", "Publisher", "Plugin", "Rule", "RuleSet", "OpenSourcePolicy"],
};

/**
 * Which look-ups each row concerns beyond the kinds' own reads: run under every reading by
 * tests/dialects.lookups.test.ts. A row no kind reads (P4) must have some here.
 */
export const ROW_LOOKUPS: Partial<Record<DialectId, string[]>> = {
  P2: ["getTestPlan"],
  P4: ["getTestPlanRequirements", "getTestPlanHistory"],
};

/**
 * A lifecycle declared with the inputs of two of the kind's steps (KindUnderTest.steps, by `what`) instead of its
 * plain ones; without `update`, a lifecycle with no change (a published version cannot change).
 */
export interface StepInputs {
  create: string;
  update?: string;
}

/**
 * Rows whose readings concern only something the plain inputs do not declare: their lifecycles create
 * with one step's inputs and change to another's. X9 and X10 concern a plug-in's package, so the plug-in
 * is made with one and changed to another package's content.
 */
const WITH_PACKAGE: Partial<Record<KindName, StepInputs>> = { Plugin: { create: "with a package", update: "package content changed" } };
// X12 concerns §4.9.1 create, which only a version declared published is made with.
export const ROW_STEPS: Partial<Record<DialectId, Partial<Record<KindName, StepInputs>>>> = {
  X9: WITH_PACKAGE,
  X10: WITH_PACKAGE,
  X12: { PluginVersion: { create: "published" } },
};

const kindUnderTest = (type: KindName): KindUnderTest => KINDS_UNDER_TEST.find((k) => k.type === type)!;

/** The kind with its inputs and change taken from the named steps; throws when the kind has no such step. */
function withStepInputs(k: KindUnderTest, using: StepInputs): KindUnderTest {
  const find = (operation: string, what: string) => {
    const step = k.steps?.find((s) => s.operation === operation && s.what === what);
    if (!step) throw new Error(`${k.type} has no ${operation} step "${what}"`);
    return step;
  };
  const create = find("create", using.create).inputs;
  const update = using.update === undefined ? undefined : find("update", using.update).updated;
  if (!create || (using.update !== undefined && !update)) throw new Error(`${k.type}: the steps "${using.create}" and "${using.update}" declare no inputs or change`);
  return { ...k, inputs: create, updated: update };
}

/** One kind's lifecycle in a world; resolves to a short outcome, rejects naming the step that failed. */
export async function lifecycle(w: World, type: KindName, n: number, using?: StepInputs): Promise<string> {
  const k = using ? withStepInputs(kindUnderTest(type), using) : kindUnderTest(type);
  const env: Env = k.setup ? await k.setup(w) : {};
  k.seed?.(w, n);
  const name = `dialect-${n}`;
  const forgotten = new Set<string>();
  const steps: string[] = [];
  const check = (step: string) => {
    const m = stateMismatch(w, k, forgotten);
    if (m) throw new Error(`${step}: ${m}`);
    steps.push(step);
  };
  const expectOp = (step: string, got: string, want: string[]) => {
    if (!want.includes(got)) throw new Error(`${step}: op ${got}, expected ${want.join(" or ")}`);
  };
  const r = await w.engine.up(type, name, k.inputs(env, n));
  expectOp("create", r.op, ["create"]);
  check("create");
  const read = await w.engine.refresh(type, name);
  expectOp("read", read.op, ["refresh"]);
  check("read");
  expectOp("no-op", (await w.engine.up(type, name, k.inputs(env, n))).op, ["same"]);
  check("no-op");
  if (k.updated) {
    expectOp("update", (await w.engine.up(type, name, k.updated(env, n))).op, ["update"]);
    check("update");
    expectOp("refresh", (await w.engine.refresh(type, name)).op, ["refresh"]);
    expectOp("no-op after update", (await w.engine.up(type, name, k.updated(env, n))).op, ["same"]);
    check("refresh");
  }
  const st = w.engine.state.get(w.engine.urn(type, name))!;
  const declared = k.updated ? k.updated(env, n) : k.inputs(env, n);
  // TestPlan: adoption is covered by its own test; kinds without adoptId (VpcepAccessControl, ScriptRun) have none.
  if (type !== "TestPlan" && "adoptId" in KINDS[type].schema.shape) {
    // Adoption: a second resource takes the same object under management; then the first lets go by
    // being removed from the state (as `pulumi state delete` would), so one resource owns it.
    const adopted = await w.engine.up(type, `${name}-adopted`, { ...declared, adoptId: st.id });
    expectOp("adopt", adopted.op, ["create"]);
    if (adopted.state!.id !== st.id) throw new Error(`adopt: recorded ${adopted.state!.id}, expected ${st.id}`);
    w.engine.state.delete(st.urn);
    check("adopt");
    await w.engine.destroy(type, `${name}-adopted`);
  } else {
    await w.engine.destroy(type, name);
  }
  check("delete");
  return `${steps.join(", ")}${using ? ` (${using.update === undefined ? using.create : `${using.create}; ${using.update}`})` : ""}`;
}

export interface MatrixCell {
  row: string;
  reading: string;
  kind: KindName;
  outcome: string;
  ok: boolean;
}

/** Runs the lifecycles of `kinds` in a fresh world speaking `dialect`. */
/** `proven`: the provider is told (huaweicloud:provenReadings) that the service speaks `dialect`, as `conformance --out` would find. */
export async function runCells(
  label: { row: string; reading: string },
  dialect: Record<string, string>,
  kinds: readonly KindName[],
  using: Partial<Record<KindName, StepInputs>> = {},
  opts: { proven?: boolean } = {},
): Promise<MatrixCell[]> {
  const w = await startWorld({ dialect, ...(opts.proven ? { config: (emu) => ({ ...stackConfig(emu), ...provenConfig(dialect) }) } : {}) });
  try {
    const cells: MatrixCell[] = [];
    let n = 0;
    for (const kind of kinds) {
      try {
        cells.push({ ...label, kind, outcome: await lifecycle(w, kind, ++n, using[kind]), ok: true });
      } catch (e) {
        cells.push({ ...label, kind, outcome: `FAILED: ${(e as Error).message.split("\n")[0].slice(0, 300)}`, ok: false });
      }
    }
    return cells;
  } finally {
    await w.close();
  }
}

/** Every reading of the given rows, one row at a time from the defaults. */
export async function rowMatrix(rows: readonly DialectId[]): Promise<MatrixCell[]> {
  const cells: MatrixCell[] = [];
  for (const row of rows) {
    for (const reading of DIALECT_ROWS[row].readings) cells.push(...(await runCells({ row, reading }, { [row]: reading }, ROW_KINDS[row], ROW_STEPS[row])));
  }
  return cells;
}

/** Every row at its least convenient reading together, every kind. */
export function leastConvenientCells(): Promise<MatrixCell[]> {
  return runCells(
    { row: "all", reading: "least convenient" },
    LEAST_CONVENIENT as Record<string, string>,
    KINDS_UNDER_TEST.map((k) => k.type),
  );
}

export function renderMatrix(cells: readonly MatrixCell[]): string {
  return [
    "| row | reading | kind | outcome |",
    "|---|---|---|---|",
    ...cells.map((c) => `| ${c.row} | ${c.reading} | ${c.kind} | ${c.ok ? "ok" : "**failed**"}: ${c.outcome} |`),
  ].join("\n");
}
