import { clientSettings, DEFAULT_ACCOUNT, startEmulator, type Emulator } from "../emulator";
import { DIALECT_ROWS, LEAST_CONVENIENT, type DialectId } from "../emulator/dialects";
import { runConformance } from "../cli/conformance";
import type { TranscriptEntry } from "../cli/transcript";
import { difference, holdings, probeEmulator, proveRows, renderProof, seedEndedTickets } from "./support/conformance";

/**
 * Rows E1, E4, E6, E7 (COC script runs, §4.2.6 and §4.3): each reading the emulator speaks is the one
 * the probe reports (E1's two 204 readings, which reach a client alike, unknown), nothing is made or
 * changed, and the probes answer unknown where the tenant's tickets or the answers do not tell.
 */
const ROWS: DialectId[] = ["E1", "E4", "E6", "E7"];
jest.setTimeout(120_000);

test("E1, E4, E6, E7 × every reading (a tenant with a finished and a failed ticket): the reading, or unknown where none tells; nothing changed", async () => {
  const cells = await proveRows(ROWS);
  console.log(`COC script-run conformance proof, ${cells.filter((c) => c.ok).length}/${cells.length} cells\n${renderProof(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
  expect(Object.fromEntries(cells.map((c) => [`${c.row}=${c.reading}`, `${c.got} ${c.calls}`]))).toEqual({
    "E1=204-body": "unknown 1",
    "E1=400": "400 1",
    "E1=204-empty": "unknown 1",
    "E4=ms": "ms 1",
    "E4=s": "s 1",
    "E6=wrapped": "wrapped 2",
    "E6=as-tables": "as-tables 2",
    "E7=error": "error 2",
    "E7=abnormal": "abnormal 2",
  });
  expect(cells.find((c) => c.row === "E1" && c.reading === "400")!.detail).toMatch(/answered 400 COC\.00040604/);
  expect(cells.find((c) => c.row === "E1" && c.reading === "204-empty")!.detail).toMatch(/a bare 204: both 204-body .* and 204-empty/);
  expect(cells.find((c) => c.row === "E4" && c.reading === "s")!.detail).toMatch(/execute_costs 3, gmt_finished − gmt_created 2500 ms \(seconds\)/);
  expect(cells.find((c) => c.row === "E7" && c.reading === "error")!.detail).toMatch(/listed ABNORMAL, its basic info reads "ERROR"/);
});

const readings = (report: { rows: Array<{ row: string; reading: string }> }) =>
  Object.fromEntries(report.rows.filter((r) => ROWS.includes(r.row as DialectId)).map((r) => [r.row, r.reading]));

test("at once, least convenient and default readings: each reported (E1 unknown under both 204 readings), nothing changed", async () => {
  const least = await probeEmulator(LEAST_CONVENIENT as Record<string, string>, ROWS);
  expect(readings(least.report)).toEqual({ E1: "unknown", E4: "s", E6: "as-tables", E7: "error" });
  expect(least.changed).toEqual([]);
  const most = await probeEmulator({ E1: "400", E4: "ms", E6: "wrapped", E7: "abnormal" }, ROWS);
  expect(readings(most.report)).toEqual({ E1: "400", E4: "ms", E6: "wrapped", E7: "abnormal" });
  expect(most.changed).toEqual([]);
  expect(most.report.leftovers).toEqual([]);
});

/** An emulator speaking `dialect`, prepared by `setup`; the probes of `rows`, what they sent, what changed. */
async function probeWith(dialect: Record<string, string>, rows: DialectId[], setup?: (emu: Emulator) => void) {
  const emu = await startEmulator({ port: 0, quiet: true, dialect });
  try {
    setup?.(emu);
    const before = holdings(emu);
    const snapshot = JSON.stringify(emu.store.snapshot());
    const entries: TranscriptEntry[] = [];
    const report = await runConformance({ settings: { ...clientSettings(emu, DEFAULT_ACCOUNT), maxRetries: 0 }, rows, transcript: (e) => void entries.push(e) });
    return { report, entries, changed: difference(before, holdings(emu)), same: JSON.stringify(emu.store.snapshot()) === snapshot };
  } finally {
    await emu.close();
  }
}
const rowOf = (report: { rows: Array<{ row: string; reading: string; detail: string; calls: number }> }, row: string) => report.rows.find((r) => r.row === row)!;

test("a tenant without tickets: E4 and E7 unknown (nothing is run to make one), E6 from the list alone; one read each, the store untouched", async () => {
  const { report, entries, same } = await probeWith({ E6: "wrapped" }, ["E4", "E6", "E7"]);
  expect(rowOf(report, "E4")).toMatchObject({ reading: "unknown", calls: 1, detail: expect.stringMatching(/no ended ticket among the 0/) });
  expect(rowOf(report, "E6")).toMatchObject({ reading: "wrapped", calls: 1, detail: expect.stringMatching(/no ticket to read/) });
  expect(rowOf(report, "E7")).toMatchObject({ reading: "unknown", calls: 2, detail: expect.stringMatching(/no failed ticket/) });
  expect(entries.every((e) => e.method === "GET")).toBe(true);
  expect(same).toBe(true);
});

test("E1 sends one execute of a script no one has, which makes no ticket; under every reading the store is untouched", async () => {
  for (const E1 of DIALECT_ROWS.E1.readings) {
    const { entries, same } = await probeWith({ E1 }, ["E1"], (emu) => seedEndedTickets(emu));
    expect(entries.map((e) => `${e.method} ${e.path}`)).toEqual([expect.stringMatching(/^POST \/v1\/job\/scripts\/SC19700101000000[0-9a-f]{9}$/)]);
    expect(same).toBe(true);
  }
});

test.each([
  ["E1", "400", "POST", { type: "status", status: 503 }, /answered 503 APIG\.0202 .*not a COC refusal/],
  ["E1", "204-empty", "POST", { type: "rate-limit", retryAfter: 0 }, /answered 429 .*not a COC refusal/],
  ["E6", "wrapped", "GET", { type: "bad-success", body: "empty-object" }, /the probe failed: the ticket list answered 200 with neither/],
  ["E4", "ms", "GET", { type: "status", status: 500 }, /the probe failed/],
] as const)("%s=%s: %s answered %j is unknown, not a reading", async (row, reading, method, fault, detail) => {
  const { report } = await probeWith({ [row]: reading }, [row], (emu) => {
    seedEndedTickets(emu);
    emu.faults.inject({ method, path: method === "POST" ? "/v1/job/scripts/*" : "/v1/job/script/orders", fault } as never);
  });
  expect(rowOf(report, row)).toMatchObject({ reading: "unknown", detail: expect.stringMatching(detail) });
});

test("E7: a failed ticket whose basic info is in neither envelope is unknown; E6: a list and an info in different envelopes is unknown", async () => {
  const e7 = await probeWith({ E7: "error" }, ["E7"], (emu) => {
    seedEndedTickets(emu);
    emu.faults.inject({ method: "GET", path: "/v1/job/script/orders/*", fault: { type: "bad-success", body: "empty-object" } });
  });
  expect(rowOf(e7.report, "E7")).toMatchObject({ reading: "unknown", detail: expect.stringMatching(/neither at the top level nor in data/) });
  // The list as Table 4-54 lists it, the info wrapped: the emulator switches E6 once the list is answered.
  let switched = false;
  const emu = await startEmulator({ port: 0, quiet: true, dialect: { E6: "as-tables" } });
  try {
    seedEndedTickets(emu);
    const report = await runConformance({
      settings: clientSettings(emu, DEFAULT_ACCOUNT),
      rows: ["E6"],
      transcript: (e) => {
        if (switched || e.path !== "/v1/job/script/orders") return;
        emu.dialect.set({ E6: "wrapped" });
        switched = true;
      },
    });
    expect(rowOf(report, "E6")).toMatchObject({
      reading: "unknown",
      calls: 2,
      detail: expect.stringMatching(/neither reading: the ticket list had total and data at the top level, the basic info .* inside/),
    });
  } finally {
    await emu.close();
  }
});

test("E4: an ended ticket too short for the units to differ is unknown", async () => {
  const { report } = await probeWith({ E4: "s" }, ["E4"], (emu) => {
    seedEndedTickets(emu);
    const all = emu.store.collection<{ step_ms: number }>("cocTickets");
    for (const t of all.list(DEFAULT_ACCOUNT.domainId)) all.put(DEFAULT_ACCOUNT.domainId, (t as unknown as { execute_uuid: string }).execute_uuid, { ...t, step_ms: 1 });
  });
  expect(rowOf(report, "E4")).toMatchObject({ reading: "unknown", detail: expect.stringMatching(/execute_costs 0, gmt_finished − gmt_created 1 ms: both units fit/) });
});
