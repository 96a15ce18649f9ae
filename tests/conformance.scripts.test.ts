import { clientSettings, DEFAULT_ACCOUNT, startEmulator, type Emulator } from "../emulator";
import { LEAST_CONVENIENT, type DialectId } from "../emulator/dialects";
import { runConformance, type ConformanceReport } from "../cli/conformance";
import type { TranscriptEntry } from "../cli/transcript";
import { ApiClient } from "../provider/client";
import { script, scriptSchema } from "../provider/resources/script";
import { difference, holdings, probeEmulator, proveRows, renderProof } from "./support/conformance";

/**
 * Rows S1–S6 (COC custom scripts, Cloud Operations Center (COC) API Reference §4.2): each reading the emulator speaks is the one the probe
 * reports, with nothing left in the service; S3's read-only path on an account that has a script; and
 * the probes answer `unknown` rather than guess when the answers do not tell.
 */
const ROWS: DialectId[] = ["S1", "S2", "S3", "S4", "S5", "S6"];
jest.setTimeout(120_000);

test("S1–S6 × every reading: the probe reports the reading the emulator speaks, and leaves nothing", async () => {
  const cells = await proveRows(ROWS);
  console.log(`COC scripts conformance proof, ${cells.filter((c) => c.ok).length}/${cells.length} cells\n${renderProof(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
  expect(cells.map((c) => `${c.row}=${c.reading}`)).toEqual([
    "S1=20",
    "S1=5",
    "S2=length",
    "S2=pattern",
    "S3=wrapped",
    "S3=top-level",
    "S4=ignored",
    "S4=required",
    "S5=small",
    "S5=long",
    "S6=verbatim",
    "S6=lf",
  ]);
  // Calls per reading: a scratch create, the observation, a control only where a refusal must be told
  // apart from another failure, the delete (S3 lists first: an existing script would spare the create).
  expect(Object.fromEntries(cells.map((c) => [`${c.row}=${c.reading}`, c.calls]))).toEqual({
    "S1=20": 3,
    "S1=5": 4,
    "S2=length": 2,
    "S2=pattern": 3,
    "S3=wrapped": 4,
    "S3=top-level": 4,
    "S4=ignored": 3,
    "S4=required": 4,
    "S5=small": 3,
    "S5=long": 3,
    "S6=verbatim": 3,
    "S6=lf": 3,
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

/**
 * An emulator prepared by `setup` (a user's script, faults), the probes of `rows`, and what changed.
 * `watch` sees every request once answered (the transcript), e.g. to inject a fault for the next one.
 */
async function probeWith(
  dialect: Record<string, string>,
  rows: DialectId[],
  opts: { setup?: (emu: Emulator) => Promise<void>; watch?: (emu: Emulator, entry: TranscriptEntry) => void; maxRetries?: number; prefix?: string } = {},
) {
  const emu = await startEmulator({ port: 0, quiet: true, dialect });
  try {
    await opts.setup?.(emu);
    const before = holdings(emu);
    const settings = { ...clientSettings(emu, DEFAULT_ACCOUNT), ...(opts.maxRetries === undefined ? {} : { maxRetries: opts.maxRetries }) };
    const entries: TranscriptEntry[] = [];
    const report = await runConformance({ settings, rows, prefix: opts.prefix, transcript: (e) => (entries.push(e), opts.watch?.(emu, e)) });
    return { report, changed: difference(before, holdings(emu)), emu, entries, snapshot: JSON.stringify(emu.store.snapshot()) };
  } finally {
    await emu.close();
  }
}

/** A script of the user's, made through the provider as a program would. */
async function userScript(emu: Emulator, name = "users_own"): Promise<void> {
  const client = new ApiClient(clientSettings(emu, DEFAULT_ACCOUNT));
  try {
    await script.create(
      { client, settings: client.settings, log: () => undefined },
      scriptSchema.parse({ name, description: "not the probe's", type: "SHELL", content: "echo mine", riskLevel: "LOW", version: "1" }),
    );
  } finally {
    await client.close();
  }
}

test.each(["wrapped", "top-level"])("S3=%s on an account that has a script: read only (a list and that script's detail), the script untouched", async (reading) => {
  let before = "";
  const { report, changed, snapshot, entries } = await probeWith({ S3: reading }, ["S3"], {
    setup: async (emu) => {
      await userScript(emu);
      before = JSON.stringify(emu.store.snapshot());
    },
  });
  const row = report.rows.find((r) => r.row === "S3")!;
  expect(row.reading).toBe(reading);
  expect(row.detail).toMatch(/an existing script \(read only\)/);
  expect(row.calls).toBe(2);
  expect(entries.map((e) => `${e.method} ${e.path}`)).toEqual(["GET /v1/job/scripts", expect.stringMatching(/^GET \/v1\/job\/scripts\/SC[0-9a-z]+$/)]);
  expect(changed).toEqual([]);
  expect(snapshot).toBe(before);
});

test("S1: a 6-parameter update answered 503 (not the documented 400 refusal) is unknown, not `5`", async () => {
  const { report, changed } = await probeWith({ S1: "20" }, ["S1"], {
    setup: async (emu) => emu.faults.inject({ method: "PUT", path: "/v1/job/scripts/*", fault: { type: "status", status: 503 } }),
    maxRetries: 0,
  });
  const row = report.rows.find((r) => r.row === "S1")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/6 script_params answered 503 .*not the documented refusal \(400\)/);
  expect(row.calls).toBe(3);
  expect(changed).toEqual([]);
});

/** After the first `method` request to the scripts API is answered, the next one fails with a 503. */
const failTheControl = (method: string) => {
  let seen = false;
  return (emu: Emulator, e: TranscriptEntry) => {
    if (seen || e.method !== method || !e.path.startsWith("/v1/job/scripts")) return;
    seen = true;
    emu.faults.inject({ method, path: e.path, fault: { type: "status", status: 503 } });
  };
};

test.each([
  ["S1", "5", "PUT", /6 script_params answered 400 .*the control with 5 also failed: 503/],
  ["S2", "pattern", "POST", /answered 400 COC\.00040601 "The paramValue is invalid\.".*the control with "ab" \(same name\) also failed: 503/],
  ["S4", "required", "PUT", /without name and type answered 400 .*the control with them also failed: 503/],
] as const)("%s=%s: a refusal whose control fails too is unknown, not the refusing reading", async (row, reading, method, detail) => {
  // The first PUT (S1, S4: after the scratch script's POST) or POST (S2) is the refused probe; the next one the control.
  const { report, changed } = await probeWith({ [row]: reading }, [row], { watch: failTheControl(method), maxRetries: 0 });
  const r = report.rows.find((x) => x.row === row)!;
  expect(r.reading).toBe("unknown");
  expect(r.detail).toMatch(detail);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test.each(["length", "pattern"])(
  "S2=%s, a script already has the scratch name (a kept run's, --prefix reused): COC.00040601 means that too, so unknown, and that script untouched",
  async (reading) => {
    let before = "";
    const { report, changed, snapshot } = await probeWith({ S2: reading }, ["S2"], {
      prefix: "clash-0001",
      setup: async (emu) => {
        await userScript(emu, "clash_0001_s2");
        before = JSON.stringify(emu.store.snapshot());
      },
    });
    const row = report.rows.find((r) => r.row === "S2")!;
    expect(row.reading).toBe("unknown");
    expect(row.detail).toMatch(/answered 400 COC\.00040601 .*control with "ab" \(same name\) also failed: 400 COC\.00040601 "Exist script with same name/);
    expect(row.calls).toBe(2);
    expect(changed).toEqual([]);
    expect(snapshot).toBe(before);
  },
);

test("S6: a detail without the content is unknown, not a reading; the scratch script is still removed", async () => {
  const { report, changed } = await probeWith({ S6: "lf" }, ["S6"], {
    setup: async (emu) => emu.faults.inject({ method: "GET", path: "/v1/job/scripts/*", fault: { type: "bad-success", body: "empty-object" } }),
  });
  const row = report.rows.find((r) => r.row === "S6")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/without a content/);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("S3: a detail with script_uuid neither at the top level nor in data is unknown", async () => {
  const { report, changed } = await probeWith({}, ["S3"], {
    setup: async (emu) => emu.faults.inject({ method: "GET", path: "/v1/job/scripts/*", fault: { type: "bad-success", body: "empty-object" } }),
  });
  const row = report.rows.find((r) => r.row === "S3")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/neither at the top level nor in data/);
  expect(changed).toEqual([]);
});
