import { clientSettings, DEFAULT_ACCOUNT, startEmulator, type Emulator, type FaultRule } from "../emulator";
import { LEAST_CONVENIENT, type DialectId } from "../emulator/dialects";
import { runConformance, type ConformanceReport } from "../cli/conformance";
import { PROBES } from "../cli/conformance/probes/extension";
import { difference, holdings, probeEmulator, proveRows, renderProof } from "./support/conformance";

/**
 * Rows P1 and X1–X12 (extension plug-ins and publishers, CodeArts Pipeline API Reference §4.9): each reading the emulator speaks
 * is the one the probe reports, with nothing left in the service (X5 `upload` leaves an uploaded icon,
 * which the emulator does not store and no API deletes: reported as a leftover); every row at once under
 * the least convenient and the default dialect; and `unknown` rather than a guess when answers do not tell.
 */
const ROWS: DialectId[] = ["P1", "X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8", "X9", "X10", "X11", "X12"];
jest.setTimeout(300_000);

test("P1, X1–X12 × every reading: the probe reports the reading the emulator speaks, and leaves nothing", async () => {
  const cells = await proveRows(ROWS);
  console.log(`extension conformance proof, ${cells.filter((c) => c.ok).length}/${cells.length} cells\n${renderProof(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
  expect(cells.map((c) => `${c.row}=${c.reading}`)).toEqual([
    "P1=position",
    "P1=page0",
    "P1=page1",
    "X1=single",
    "X1=whole",
    "X2=accepted",
    "X2=refused",
    "X3=verbatim",
    "X3=normalised",
    "X4=bound",
    "X4=null",
    "X5=upload",
    "X5=existing",
    "X6=required",
    "X6=ignored",
    "X7=json",
    "X7=text",
    "X8=returned",
    "X8=omitted",
    "X9=zip",
    "X9=json",
    "X10=as-table",
    "X10=swapped",
    "X11=refuse",
    "X11=delete",
    "X11=noop",
    "X12=released",
    "X12=draft",
  ]);
  // Every probe made at least one object or upload and looked at the answer.
  for (const c of cells) expect(c.calls).toBeGreaterThanOrEqual(1);
  expect(PROBES.map((p) => p.row)).toEqual(ROWS);
});

const readings = (report: ConformanceReport) => Object.fromEntries(report.rows.filter((r) => ROWS.includes(r.row)).map((r) => [r.row, r.reading]));
const iconLeftovers = (report: ConformanceReport) => report.leftovers.filter((l) => /^X5: the icon .*, which nothing refers to \(no API deletes it\)$/.test(l));

test("P1, X1–X12 at once, every row at its least convenient reading: each reported correctly, nothing left", async () => {
  const { report, changed } = await probeEmulator(LEAST_CONVENIENT as Record<string, string>, ROWS);
  console.log(`least convenient, extension rows: ${report.calls} calls\n${report.rows.map((r) => `${r.row} ${r.reading} ${r.calls}: ${r.detail}`).join("\n")}`);
  expect(readings(report)).toEqual({
    P1: "page1",
    X1: "whole",
    X2: "refused",
    X3: "normalised",
    // §4.9.1 makes drafts (X12 `draft`): the X4 and X11 experiments, which need a released version, cannot be made.
    X4: "unknown",
    X5: "existing",
    X6: "required",
    X7: "json",
    X8: "omitted",
    X9: "zip",
    X10: "swapped",
    X11: "unknown",
    X12: "draft",
  });
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]); // X5 `existing` refuses the upload: nothing stored
});

test("P1, X1–X12 at once under the default dialect: each reported correctly; only X5's uploaded icon is left", async () => {
  const { report, changed } = await probeEmulator({}, ROWS);
  expect(readings(report)).toEqual({
    P1: "position",
    X1: "single",
    X2: "accepted",
    X3: "verbatim",
    X4: "bound",
    X5: "upload",
    X6: "required",
    X7: "json",
    X8: "returned",
    X9: "zip",
    X10: "as-table",
    X11: "refuse",
    X12: "released",
  });
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual(iconLeftovers(report));
  expect(report.leftovers).toHaveLength(1);
});

/** The probes of `rows` against an emulator with `faults` injected; the report and what changed. */
async function probeWith(dialect: Record<string, string>, rows: DialectId[], faults: FaultRule[], opts: { allowLeftovers?: boolean } = {}) {
  const emu: Emulator = await startEmulator({ port: 0, quiet: true, dialect });
  try {
    for (const f of faults) emu.faults.inject(f);
    const before = holdings(emu);
    const report = await runConformance({ settings: { ...clientSettings(emu, DEFAULT_ACCOUNT), maxRetries: 0 }, rows, allowLeftovers: opts.allowLeftovers ?? true });
    return { report, changed: difference(before, holdings(emu)) };
  } finally {
    await emu.close();
  }
}

test("X5 without --allow-leftovers: not run (an `upload` answer would leave an icon no API deletes), unknown, no call", async () => {
  const { report, changed } = await probeWith({}, ["X5"], [], { allowLeftovers: false });
  const row = report.rows.find((r) => r.row === "X5")!;
  expect(row).toMatchObject({ reading: "unknown", calls: 0, cost: "leftover" });
  expect(row.detail).toMatch(/--allow-leftovers/);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test.each(["position", "page0", "page1"])("P1=%s, the version list answering a 200 that is no list: unknown, the scratch plug-in removed", async (reading) => {
  const { report, changed } = await probeWith(
    { P1: reading },
    ["P1"],
    [{ method: "GET", path: "/v1/*/agent-plugin/all-version", fault: { type: "bad-success", body: "empty-object" }, times: 3 }],
  );
  const row = report.rows.find((r) => r.row === "P1")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/did not list the 5 versions/);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test.each(["required", "ignored"])("X6=%s, the edit answering 500: unknown, never `required` from a failure", async (reading) => {
  const { report, changed } = await probeWith(
    { X6: reading },
    ["X6"],
    [{ method: "POST", path: "/v1/*/agent-plugin/edit-draft", fault: { type: "status", status: 500 }, times: 5 }],
  );
  const row = report.rows.find((r) => r.row === "X6")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/random unique_id answered 500/);
  expect(changed).toEqual([]);
});

test.each(["bound", "null"])("X4=%s, the binding refused (500): unknown, publisher and plug-in removed", async (reading) => {
  const { report, changed } = await probeWith(
    { X4: reading },
    ["X4"],
    [{ method: "POST", path: "/v1/*/agent-plugin/publish-plugin-bind", fault: { type: "status", status: 500 }, times: 5 }],
  );
  const row = report.rows.find((r) => r.row === "X4")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/binding the plug-in to the publisher was refused \(500/);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("X2 under `refused`, the multi control refused too (500): unknown, not `refused`", async () => {
  const { report, changed } = await probeWith(
    { X2: "refused" },
    ["X2"],
    [{ method: "POST", path: "/v1/*/agent-plugin/create-draft", fault: { type: "status", status: 500 }, times: 1 }],
  );
  const row = report.rows.find((r) => r.row === "X2")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/multi plug-in too/);
  expect(changed).toEqual([]);
});

test("X6: both halves asked, edit-draft (§4.9.4) then the info update (§4.9.27); halves that disagree are neither reading", async () => {
  // The emulator speaks one reading for edit-draft and is switched to the other once the edit half is done.
  for (const [draftReading, updateReading] of [
    ["required", "ignored"],
    ["ignored", "required"],
    ["required", "required"],
    ["ignored", "ignored"],
  ]) {
    const emu: Emulator = await startEmulator({ port: 0, quiet: true, dialect: { X6: draftReading } });
    try {
      const before = holdings(emu);
      const ops: string[] = [];
      const report = await runConformance({
        settings: clientSettings(emu, DEFAULT_ACCOUNT),
        rows: ["X6"],
        transcript: (e) => {
          ops.push(e.operation);
          if (e.operation === "PluginVersion.editDraft" && e.status === 200) emu.dialect.set({ X6: updateReading });
        },
      });
      const r = report.rows.find((x) => x.row === "X6")!;
      const half = (reading: string, edit: string, own: string) => (reading === "ignored" ? [edit] : [edit, own, edit]);
      expect(ops).toEqual([
        "PluginVersion.createDraft",
        ...half(draftReading, "PluginVersion.editDraft", "PluginVersion.detail"),
        ...half(updateReading, "Plugin.update", "Plugin.list"),
        "Plugin.delete",
      ]);
      if (draftReading === updateReading) {
        expect(r.reading).toBe(draftReading);
        expect(r.detail).toMatch(/edit-draft .*; the info update /);
      } else {
        expect(r.reading).toBe("unknown");
        expect(r.detail).toMatch(/halves disagree/);
        expect(r.detail).toMatch(/edit-draft/);
        expect(r.detail).toMatch(/the info update/);
      }
      expect(difference(before, holdings(emu))).toEqual([]);
    } finally {
      await emu.close();
    }
  }
});

test.each(["required", "ignored"])("X6=%s, the info update answering 500: unknown, the scratch plug-in removed", async (reading) => {
  const { report, changed } = await probeWith({ X6: reading }, ["X6"], [{ method: "POST", path: "/v3/*/extension/info/update", fault: { type: "status", status: 500 }, times: 5 }]);
  const row = report.rows.find((r) => r.row === "X6")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/info update with a random unique_id answered 500/);
  expect(changed).toEqual([]);
});

test.each(["refuse", "delete", "noop"])("X11=%s, delete-draft answering 500: unknown, never a reading from a failure; the scratch plug-in removed", async (reading) => {
  const { report, changed } = await probeWith(
    { X11: reading },
    ["X11"],
    [{ method: "DELETE", path: "/v1/*/agent-plugin/delete-draft", fault: { type: "status", status: 500 }, times: 5 }],
  );
  const row = report.rows.find((r) => r.row === "X11")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/delete-draft of the released version answered 500.*reads version_attribution "formal"/);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("X11=delete, delete-draft deleting the version but answering 500: unknown, not `delete` (no answer said so), nothing left", async () => {
  const { report, changed } = await probeWith(
    { X11: "delete" },
    ["X11"],
    [{ method: "DELETE", path: "/v1/*/agent-plugin/delete-draft", fault: { type: "commit-then-fail" }, times: 1 }],
  );
  const row = report.rows.find((r) => r.row === "X11")!;
  expect(row.reading).toBe("unknown");
  expect(row.detail).toMatch(/answered 5\d\d.*then reads gone/);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("X12=draft with X1=single: the X1 experiment (on drafts) says unknown, never `single` from drafts; nothing left", async () => {
  const { report, changed } = await probeWith({ X12: "draft", X1: "single" }, ["X1", "X11", "X12"], []);
  const row = (id: string) => report.rows.find((r) => r.row === id)!;
  expect(row("X1").reading).toBe("unknown");
  expect(row("X1").detail).toMatch(/not released \(X12\)/);
  expect(row("X11").reading).toBe("unknown");
  expect(row("X12")).toMatchObject({ reading: "draft", calls: 3 });
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test.each(["released", "draft"])("X12=%s, §4.9.1 create answering 500: unknown, the scratch plug-in removed", async (reading) => {
  const { report, changed } = await probeWith({ X12: reading }, ["X12"], [{ method: "POST", path: "/v1/*/agent-plugin/create", fault: { type: "status", status: 500 }, times: 5 }]);
  const row = report.rows.find((r) => r.row === "X12")!;
  expect(row.reading).toBe("unknown");
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("X12=released, §4.9.1 making the version but answering 500: unknown, not a reading from a failure, nothing left", async () => {
  const { report, changed } = await probeWith({ X12: "released" }, ["X12"], [{ method: "POST", path: "/v1/*/agent-plugin/create", fault: { type: "commit-then-fail" }, times: 1 }]);
  const row = report.rows.find((r) => r.row === "X12")!;
  expect(row.reading).toBe("unknown");
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});
