import { clientSettings, DEFAULT_ACCOUNT, seedTestCases, startEmulator, type Emulator } from "../../emulator";
import { DIALECT_ROWS, type DialectId } from "../../emulator/dialects";
import { runConformance, type ConformanceReport } from "../../cli/conformance";
import { TICKETS, type TicketRecord } from "../../emulator/services/cocTickets";
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
 * 13; `testCase: false` gives none), has ended script tickets (`tickets: false`: none), and allows leftovers.
 */
export async function probeEmulator(
  dialect: Record<string, string>,
  rows?: readonly DialectId[],
  opts: { testCase?: boolean; tickets?: boolean } = {},
): Promise<{ report: ConformanceReport; changed: string[]; emu: Emulator }> {
  const emu = await startEmulator({ port: 0, quiet: true, dialect });
  try {
    const project = DEFAULT_ACCOUNT.codeartsProjects[0];
    const testCase = opts.testCase ?? true;
    if (testCase) seedTestCases(emu.store, project, 13, [PROOF_TEST_CASE]);
    if (opts.tickets ?? true) seedEndedTickets(emu);
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

/**
 * What the probe must report where the emulator speaks `reading` of `row`: the reading, except where no
 * answer tells it from another. E1's 204-body and 204-empty both reach a client as a bare 204 (HTTP
 * drops a 204's body, RFC 9110 §15.3.5), so the probe must say unknown there, never guess.
 *
 * The X1, X4 and X11 experiments need released versions and make them with §4.9.1: where it makes drafts
 * (X12 `draft`, in `dialect`: the other rows' readings) they say unknown, but X1 `whole`, whose answer
 * (both versions gone) does not depend on what the versions were.
 */
export function expectedReport(row: string, reading: string, dialect: Record<string, string> = {}): string {
  if (row === "E1" && (reading === "204-body" || reading === "204-empty")) return "unknown";
  if (dialect.X12 === "draft" && (row === "X4" || row === "X11" || (row === "X1" && reading !== "whole"))) return "unknown";
  return reading;
}

/**
 * Two script tickets of the tenant that ended a minute ago, one batch of one host each (COC §4.3): one
 * FINISHED, one failed (its host ABNORMAL), as a tenant that has run scripts has. The E4 and E7
 * probes only read existing tickets and say unknown without them. 2.5 s a batch, so the two units of
 * execute_costs differ (E4).
 */
export function seedEndedTickets(emu: Emulator, domainId = DEFAULT_ACCOUNT.domainId): void {
  const created = Date.now() - 60_000;
  const ticket = (n: number, behaviour: "ok" | "fail"): TicketRecord => ({
    order_id: n,
    execute_uuid: `SCT2026010100000000000000${n}`,
    script_uuid: "SC2026010100000000000000a",
    script_name: "users_own",
    script_version_name: "1",
    creator: "user",
    gmt_created: created + n,
    step_ms: 2500,
    execute_param: { resourceful: true, timeout: 300, success_rate: 100, execute_user: "root", script_params: [] },
    sensitive: [],
    batches: [
      {
        batch_index: 1,
        rotation_strategy: "CONTINUE",
        instances: [
          {
            id: 1000 + n,
            resource_id: `host-${n}`,
            agent_sn: `sn-${n}`,
            project_id: "p1",
            region_id: "cn-north-4",
            behaviour,
            message: behaviour === "fail" ? "exit code 1" : undefined,
          },
        ],
      },
    ],
    operations: [],
  });
  const tickets = emu.store.collection<TicketRecord>(TICKETS);
  for (const t of [ticket(1, "ok"), ticket(2, "fail")]) tickets.put(domainId, t.execute_uuid, t);
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
        ok: r.reading === expectedReport(row, reading) && changed.length === 0 && report.leftovers.every((l) => /no API deletes it/.test(l)),
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
