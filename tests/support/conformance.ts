import { clientSettings, DEFAULT_ACCOUNT, seedTestCases, startEmulator, type Emulator } from "../../emulator";
import { DIALECT_ROWS, type DialectId } from "../../emulator/dialects";
import { runConformance, type ConformanceReport } from "../../cli/conformance";
import { inventory, KINDS_UNDER_TEST } from "../harness/kinds";

/**
 * The conformance proof (issue 16 item 4): the emulator speaking a reading → the probe reports exactly
 * that reading, and the service holds afterwards what it held before (CloudTest plans excepted: no API
 * deletes them, and the probe says so).
 */
export interface ProofCell {
  row: string;
  reading: string;
  got: string;
  detail: string;
  calls: number;
  /** Objects the probe left or removed, by collection; empty when the service is as it was. */
  changed: string[];
  ok: boolean;
}

/** Collections whose objects the probe may leave by design. */
// A test plan's history (CloudTest §4.3.5) stays with the plan: CloudTest deletes neither.
const UNDELETABLE = new Set(["testPlans", "testPlanJournals"]);

/** What the service holds, as sorted "collection/id" lines (the kinds' own ids where the harness knows them). */
export function holdings(emu: Emulator): string[] {
  const snap = emu.store.snapshot() as Record<string, Record<string, Record<string, unknown>>>;
  const out: string[] = [];
  const known = new Map(KINDS_UNDER_TEST.map((k) => [k.collection, k]));
  for (const [collection, byTenant] of Object.entries(snap)) {
    if (UNDELETABLE.has(collection)) continue;
    const k = known.get(collection);
    const ids = k ? inventory({ emu }, k) : Object.entries(byTenant).flatMap(([tenant, records]) => Object.keys(records ?? {}).map((key) => `${tenant}/${key}`));
    for (const id of ids) out.push(`${collection}/${id}`);
  }
  return out.sort();
}

export function difference(before: readonly string[], after: readonly string[]): string[] {
  return [...after.filter((x) => !before.includes(x)).map((x) => `left ${x}`), ...before.filter((x) => !after.includes(x)).map((x) => `removed ${x}`)];
}

/** The test case the proof seeds in the project (test type 13, the §4.3.1 example's) and gives as --test-case. */
export const PROOF_TEST_CASE = "7e57ca5e000000000000000000000001";

/**
 * Runs the probes of `rows` against an emulator speaking `dialect`; the report and what changed in the
 * service. As a user would, it gives the project and a test case the project holds (seeded, test type
 * 13; `testCase: false` gives none), and allows leftovers.
 */
export async function probeEmulator(
  dialect: Record<string, string>,
  rows?: readonly DialectId[],
  opts: { testCase?: boolean } = {},
): Promise<{ report: ConformanceReport; changed: string[]; emu: Emulator }> {
  const emu = await startEmulator({ port: 0, quiet: true, dialect });
  try {
    const project = DEFAULT_ACCOUNT.codeartsProjects[0];
    const testCase = opts.testCase ?? true;
    if (testCase) seedTestCases(emu.store, project, 13, [PROOF_TEST_CASE]);
    const before = holdings(emu);
    const report = await runConformance({
      settings: clientSettings(emu, DEFAULT_ACCOUNT),
      codeartsProjectId: project,
      rows,
      allowLeftovers: true,
      testCaseId: testCase ? PROOF_TEST_CASE : undefined,
    });
    return { report, changed: difference(before, holdings(emu)), emu };
  } finally {
    await emu.close();
  }
}

/** Every reading of each row, one row changed from the defaults at a time. */
export async function proveRows(rows: readonly DialectId[]): Promise<ProofCell[]> {
  const cells: ProofCell[] = [];
  for (const row of rows) {
    for (const reading of DIALECT_ROWS[row].readings) {
      const { report, changed } = await probeEmulator({ [row]: reading }, [row]);
      const r = report.rows.find((x) => x.row === row)!;
      cells.push({
        row,
        reading,
        got: r.reading,
        detail: r.detail,
        calls: r.calls,
        changed,
        ok: r.reading === reading && changed.length === 0 && report.leftovers.every((l) => /no API deletes it/.test(l)),
      });
    }
  }
  return cells;
}

export function renderProof(cells: readonly ProofCell[]): string {
  return [
    "| row | emulator speaks | probe reports | calls | evidence |",
    "|---|---|---|---|---|",
    ...cells.map(
      (c) =>
        `| ${c.row} | ${c.reading} | ${c.ok ? c.got : `**${c.got}**${c.changed.length ? ` (service changed: ${c.changed.join(", ")})` : ""}`} | ${c.calls} | ${c.detail.replace(/\|/g, "\\|").slice(0, 160)} |`,
    ),
  ].join("\n");
}
