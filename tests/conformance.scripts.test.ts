import { clientSettings, DEFAULT_ACCOUNT, startEmulator, type Emulator } from "../emulator";
import { LEAST_CONVENIENT, type DialectId } from "../emulator/dialects";
import { runConformance, type ConformanceReport } from "../cli/conformance";
import { ApiClient } from "../provider/client";
import { script, scriptSchema } from "../provider/resources/script";
import { difference, holdings, probeEmulator, proveRows, renderProof } from "./support/conformance";

/**
 * Rows S1–S6 (COC custom scripts, seed 004 §4.2): each reading the emulator speaks is the one the probe
 * reports, with nothing left in the service; S3's read-only path on an account that has a script; and
 * the probes answer `unknown` rather than guess when the answers do not tell.
 */
const ROWS: DialectId[] = ["S1", "S2", "S3", "S4", "S5", "S6"];
jest.setTimeout(120_000);

test("S1–S6 × every reading: the probe reports the reading the emulator speaks, and leaves nothing", async () => {
  const cells = await proveRows(ROWS);
  console.log(`COC scripts conformance proof, ${cells.filter((c) => c.ok).length}/${cells.length} cells\n${renderProof(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
  expect(cells.map((c) => `${c.row}=${c.reading}`)).toEqual(["S1=20", "S1=5", "S2=length", "S2=pattern", "S3=wrapped", "S3=top-level", "S4=ignored", "S4=required", "S5=small", "S5=long", "S6=verbatim", "S6=lf"]);
  // Calls per reading: a scratch create, the observation, a control only where a refusal must be told
  // apart from another failure, the delete (S3 lists first: an existing script would spare the create).
  expect(Object.fromEntries(cells.map((c) => [`${c.row}=${c.reading}`, c.calls]))).toEqual({
    "S1=20": 3, "S1=5": 4, "S2=length": 2, "S2=pattern": 3, "S3=wrapped": 4, "S3=top-level": 4,
    "S4=ignored": 3, "S4=required": 4, "S5=small": 3, "S5=long": 3, "S6=verbatim": 3, "S6=lf": 3,
  });
  // S5=small is said with its limit: it shows where the id sequence is now, not a bound.
  expect(cells.find((c) => c.row === "S5" && c.reading === "small")!.detail).toMatch(/not a bound/);
});

const readings = (report: ConformanceReport) => Object.fromEntries(report.rows.filter((r) => ROWS.includes(r.row)).map((r) => [r.row, r.reading]));

test("S1–S6 at once, every row at its least convenient reading: each reported correctly, nothing left", async () => {
  const { report, changed } = await probeEmulator(LEAST_CONVENIENT as Record<string, string>, ROWS);
  expect(readings(report)).toEqual({ S1: "5", S2: "pattern", S3: "top-level", S4: "required", S5: "long", S6: "lf" });
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("S1–S6 at once under the default dialect: each reported correctly, nothing left", async () => {
  const { report, changed } = await probeEmulator({}, ROWS);
  expect(readings(report)).toEqual({ S1: "20", S2: "length", S3: "wrapped", S4: "ignored", S5: "small", S6: "verbatim" });
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

/** An emulator prepared by `setup` (a user's script, faults), the probes of `rows`, and what changed. */
async function probeWith(dialect: Record<string, string>, rows: DialectId[], setup: (emu: Emulator) => Promise<void>, maxRetries?: number) {
  const emu = await startEmulator({ port: 0, quiet: true, dialect });
  try {
    await setup(emu);
    const before = holdings(emu);
    const settings = { ...clientSettings(emu, DEFAULT_ACCOUNT), ...(maxRetries === undefined ? {} : { maxRetries }) };
    const report = await runConformance({ settings, rows });
    return { report, changed: difference(before, holdings(emu)), emu, snapshot: JSON.stringify(emu.store.snapshot()) };
  } finally {
    await emu.close();
  }
}

/** A script of the user's, made through the provider as a program would. */
async function userScript(emu: Emulator): Promise<void> {
  const client = new ApiClient(clientSettings(emu, DEFAULT_ACCOUNT));
  try {
    await script.create({ client, settings: client.settings, log: () => undefined }, scriptSchema.parse({ name: "users_own", description: "not the probe's", type: "SHELL", content: "echo mine", riskLevel: "LOW", version: "1" }));
  } finally {
    await client.close();
  }
}

test.each(["wrapped", "top-level"])("S3=%s on an account that has a script: read only (a list and that script's detail), the script untouched", async (reading) => {
  let before = "";
  const { report, changed, snapshot } = await probeWith({ S3: reading }, ["S3"], async (emu) => {
    await userScript(emu);
    before = JSON.stringify(emu.store.snapshot());
  });
  const row = report.rows.find((r) => r.row === "S3")!;
  expect(row.reading).toBe(reading);
  expect(row.detail).toMatch(/an existing script \(read only\)/);
  expect(row.calls).toBe(2);
  expect(changed).toEqual([]);
  expect(snapshot).toBe(before);
});

test("S1: a refusal of 6 parameters whose control with 5 is refused too is unknown, not `5`", async () => {
  const { report, changed } = await probeWith({ S1: "20" }, ["S1"], async (emu) => emu.faults.inject({ method: "PUT", path: "/v1/job/scripts/*", fault: { type: "status", status: 503 }, times: 2 }), 0);
  const row = report.rows.find((r) => r.row === "S1")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/6 script_params answered 503.*control with 5 also failed: 503/);
  expect(changed).toEqual([]);
});

test("S6: a detail without the content is unknown, not a reading; the scratch script is still removed", async () => {
  const { report, changed } = await probeWith({ S6: "lf" }, ["S6"], async (emu) => emu.faults.inject({ method: "GET", path: "/v1/job/scripts/*", fault: { type: "bad-success", body: "empty-object" } }));
  const row = report.rows.find((r) => r.row === "S6")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/without a content/);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("S3: a detail with script_uuid neither at the top level nor in data is unknown", async () => {
  const { report, changed } = await probeWith({}, ["S3"], async (emu) => emu.faults.inject({ method: "GET", path: "/v1/job/scripts/*", fault: { type: "bad-success", body: "empty-object" } }));
  const row = report.rows.find((r) => r.row === "S3")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/neither at the top level nor in data/);
  expect(changed).toEqual([]);
});
