import { DIALECT_ROWS, LEAST_CONVENIENT, type DialectId } from "../emulator/dialects";
import { PROBES, UNPROBEABLE } from "../cli/conformance";
import { expectedReport, probeEmulator, proveRows, renderProof } from "./support/conformance";

/**
 * Issue 16 item 4, the whole proof: every probe-able row under each of its readings reports exactly
 * that reading and leaves the service as it was; all rows at their least convenient readings at once
 * are all reported correctly. The family suites (conformance.*.test.ts) add row-specific cases.
 */
jest.setTimeout(600_000);

test("every row of the table has a probe or a reason it has none, never both", () => {
  const rows = Object.keys(DIALECT_ROWS);
  const probed = PROBES.map((p) => p.row as string);
  const not = UNPROBEABLE.map((u) => u.row as string);
  expect([...probed, ...not].sort()).toEqual([...rows].sort());
  expect(new Set(probed).size).toBe(probed.length);
});

test("each probe-able row × reading: the probe reports the reading the emulator speaks, and leaves nothing", async () => {
  const cells = await proveRows(PROBES.map((p) => p.row as DialectId));
  console.log(`conformance proof, ${cells.filter((c) => c.ok).length}/${cells.length} cells\n${renderProof(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

test("every row at its least convenient reading at once: every probe-able row reported correctly, nothing left", async () => {
  const { report, changed } = await probeEmulator(LEAST_CONVENIENT as Record<string, string>);
  const wrong = report.rows.filter((r) => PROBES.some((p) => p.row === r.row) && r.reading !== expectedReport(r.row, LEAST_CONVENIENT[r.row], LEAST_CONVENIENT));
  console.log(`least convenient: ${report.rows.length - wrong.length}/${report.rows.length} rows as expected, ${report.calls} calls`);
  expect(wrong).toEqual([]);
  expect(changed).toEqual([]);
  for (const u of UNPROBEABLE) expect(report.readings[u.row]).toBe("unknown");
});
