import * as fs from "fs";
import { parseArgs } from "node:util";
import { commandSettings } from "../commandClient";
import { EXIT } from "../exit";
import { redactor } from "../../provider/redaction";
import { DIALECT_ROWS, type DialectId } from "../../emulator/dialects";
import { fileSink } from "../transcript";
import { dialectFile, PROBES, renderReport, runConformance, sweepCommands } from "./index";

export const CONFORMANCE_HELP = `usage: pulumi-codearts conformance [--project ID] [--rows ID,ID,...] [--json] [--out FILE] [--transcript FILE] [--keep] [--allow-leftovers] [--test-case ID] [--prefix P] [--endpoint URL]
Finds out which reading of each ambiguous passage of the API references (docs/ambiguities.md) the service speaks, with read-only calls where they tell and otherwise scratch objects named with a prefix and deleted afterwards. Prints a line per row: id, the reading found or "unknown" with why, the calls made. Settings come from HW_* variables, as for the provider.
  --project ID        the CodeArts project the Pipeline and CloudTest probes work in (without it those rows are unknown)
  --rows LIST         only these rows (default: all ${Object.keys(DIALECT_ROWS).length})
  --json              print {"readings": {"ID": "NAME" | "unknown"}, "calls": N, ...}
  --out FILE          write the readings found as a dialect file: \`pulumi-codearts emulator --dialect-file FILE\` speaks them
  --transcript FILE   write every request and answer, redacted, one JSON object a line (to attach to a report)
  --keep              leave the scratch objects in place (they are listed, with the sweep commands that remove them)
  --allow-leftovers   allow probes that may make objects no API deletes (test plans, an icon; rows ${
    PROBES.filter((p) => p.cost === "leftover")
      .map((p) => p.row)
      .join(", ") || "none"
  })
  --test-case ID      a test case of the project ([SERVICE_ID:]ID, test type 13 when not given): with --allow-leftovers, C1 adds it with an unknown one to a scratch plan, which tells partial from a server error
  --prefix P          the scratch-name prefix (default probe-<unix time>-<random>): letters, digits and "-", 4 to 24, starting with a letter
  --endpoint URL      send every service's calls to one URL (e.g. the emulator)
exit codes: 0 probed (some rows may be unknown), 1 a scratch object could not be removed (listed), 64 usage error`;

const PREFIX = /^[a-z][a-z0-9-]{3,23}$/i;

/** `pulumi-codearts conformance`: returns the exit code. */
export async function conformanceCommand(args: string[], out: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        project: { type: "string" },
        rows: { type: "string" },
        json: { type: "boolean", default: false },
        out: { type: "string" },
        transcript: { type: "string" },
        keep: { type: "boolean", default: false },
        "allow-leftovers": { type: "boolean", default: false },
        "test-case": { type: "string" },
        prefix: { type: "string" },
        endpoint: { type: "string" },
      },
    }));
  } catch (e) {
    out.stderr(`pulumi-codearts conformance: ${(e as Error).message}\n\n${CONFORMANCE_HELP}\n`);
    return EXIT.usage;
  }
  const usage = (message: string) => {
    out.stderr(`pulumi-codearts conformance: ${message}\n`);
    return EXIT.usage;
  };
  let rows: DialectId[] | undefined;
  if (values.rows !== undefined) {
    rows = values.rows
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean) as DialectId[];
    const bad = rows.filter((r) => !(r in DIALECT_ROWS));
    if (bad.length || rows.length === 0) return usage(`--rows: unknown row(s) ${bad.join(", ") || "(none given)"}; rows: ${Object.keys(DIALECT_ROWS).join(", ")}`);
  }
  if (values.prefix !== undefined && !PREFIX.test(values.prefix))
    return usage(`--prefix must be 4 to 24 letters, digits or "-", starting with a letter (every kind's name rules accept it), not ${JSON.stringify(values.prefix)}`);
  if (values["test-case"] !== undefined && !/^(\d+:)?[^\s/]{32}$/.test(values["test-case"]))
    return usage(`--test-case must be a test case id of 32 characters, optionally after its test type and ":" (e.g. 13:<id>), not ${JSON.stringify(values["test-case"])}`);
  // Files are checked before any call: a report that cannot be written is found out now, not after the probes.
  for (const [flag, file] of [
    ["--out", values.out],
    ["--transcript", values.transcript],
  ] as const) {
    if (file === undefined) continue;
    try {
      fs.writeFileSync(file, "");
    } catch (e) {
      return usage(`${flag} ${file} cannot be written (${(e as Error).message}); nothing was probed`);
    }
  }
  let settings;
  try {
    settings = commandSettings(values.endpoint);
  } catch (e) {
    return usage((e as Error).message);
  }
  const report = await runConformance({
    settings,
    codeartsProjectId: values.project,
    rows,
    prefix: values.prefix,
    keep: values.keep,
    allowLeftovers: values["allow-leftovers"],
    testCaseId: values["test-case"],
    transcript: values.transcript ? fileSink(values.transcript) : undefined,
    log: (line) => out.stderr(`${line}\n`),
  });
  out.stdout(redactor.text(values.json ? JSON.stringify(report, null, 2) + "\n" : renderReport(report)));
  if (values.out) fs.writeFileSync(values.out, JSON.stringify(dialectFile(report), null, 2) + "\n");
  const failedCleanups = report.leftovers.filter((l) => /cleanup failed/.test(l));
  if (failedCleanups.length) {
    out.stderr(`pulumi-codearts conformance: ${failedCleanups.length} scratch object(s) could not be removed; ${sweepCommands(report)} remove them\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
