import { existsSync, readFileSync } from "fs";
import { ConfigError } from "./errors";

/**
 * The places where the API references leave the service's behaviour open (docs/ambiguities.md), each
 * with its plausible readings, the default first. The emulator speaks each reading (emulator/dialects.ts);
 * `pulumi-codearts conformance` finds which one an account's service speaks and writes them as a file,
 * which the provider takes as a setting (`provenReadings`): under a proven reading it drops the calls
 * that only guard against the other readings.
 */
export const READING_ROWS = {
  G1: { about: "a gateway's 'API not found' answer", readings: ["apig", "apigw", "bare", "html"] },
  G2: { about: "the answers that say 'no such object'", readings: ["terraform", "seed"] },
  G3: { about: "Pipeline errors inside a 2xx answer or as 4xx", readings: ["in-200", "4xx"] },
  G5: { about: "scope headers (X-Domain-ID, X-Project-Id) enforced", readings: ["lenient", "strict"] },
  P1: { about: "extension plug-in lists: what `offset` counts", readings: ["position", "page0", "page1"] },
  P2: { about: "CloudTest v2 plan list: what `offset` counts", readings: ["position0", "position1", "page1"] },
  P3: { about: "list order between two page requests", readings: ["stable", "shifting"] },
  P4: { about: "CloudTest v1 plan requirement tree and history: what `offset` counts", readings: ["position0", "position1", "page1"] },
  L1: { about: "`group_path_id` filter of the pipeline list", readings: ["path", "id", "subtree"] },
  L2: { about: "deleting a group that has sub-groups or pipelines", readings: ["refuse", "cascade", "ungroup"] },
  L4: { about: "a template's `definition` read back", readings: ["verbatim", "normalised"] },
  L5: { about: "fields the program left unset, read back", readings: ["null", "omitted", "defaults"] },
  X1: { about: "deleting one published plug-in version", readings: ["single", "whole"] },
  X2: { about: "composite versions on a `single` plug-in", readings: ["accepted", "refused"] },
  X3: { about: "publisher list after a create", readings: ["verbatim", "normalised"] },
  X4: { about: "publisher binding in the plug-in detail", readings: ["bound", "null"] },
  X5: { about: "publisher icon upload before the publisher exists", readings: ["upload", "existing"] },
  X6: { about: "`unique_id` on draft edit and info update", readings: ["required", "ignored"] },
  X7: { about: "`input_info[].validation` format", readings: ["json", "text"] },
  X8: { about: "`execution_info` in the version detail", readings: ["returned", "omitted"] },
  X9: { about: "what a basic plug-in package file is", readings: ["zip", "json"] },
  X10: { about: "`execution` type and target in the package detail", readings: ["as-table", "swapped"] },
  X11: { about: "delete-draft of a released version", readings: ["refuse", "delete", "noop"] },
  X12: { about: "what §4.9.1 create makes", readings: ["released", "draft"] },
  R1: { about: "`rules[].id` of rule-set create/update", readings: ["rule-ids", "instance-ids"] },
  R2: { about: "default `is_valid` of a new open-source policy", readings: ["disabled", "enabled"] },
  R3: { about: "open-source policy `content` read back", readings: ["verbatim", "normalised"] },
  R4: { about: "`layout_content` in the rule detail", readings: ["omitted", "returned"] },
  R5: { about: "project-level lists with include_tenant_rule_set=false", readings: ["tenant-only", "mixed"] },
  C1: { about: "batch-add of test cases with an unknown case", readings: ["atomic", "partial"] },
  C3: { about: "`plan_id` and test-case id form", readings: ["hex", "free"] },
  T1: { about: "the key of the generated case ids of an API test suite", readings: ["table", "example"] },
  T2: { about: "API test suite `repository_id` length", readings: ["strict", "loose"] },
  S1: { about: "`script_params` items on update", readings: ["20", "5"] },
  S2: { about: "`param_value` characters", readings: ["length", "pattern"] },
  S3: { about: "script detail envelope", readings: ["wrapped", "top-level"] },
  S4: { about: "`name`/`type` in the script update body", readings: ["ignored", "required"] },
  S5: { about: "script list marker ids", readings: ["small", "long"] },
  S6: { about: "script `content` line endings read back", readings: ["verbatim", "lf"] },
  E1: { about: "how script execution reports an error", readings: ["204-body", "400", "204-empty"] },
  E2: { about: "`success_rate` of an execution", readings: ["number", "string"] },
  E3: { about: "`resourceful` of an execution", readings: ["required", "optional"] },
  E4: { about: "units of a ticket's `execute_costs`", readings: ["ms", "s"] },
  E6: { about: "script ticket answer envelopes", readings: ["wrapped", "as-tables"] },
  E7: { about: "the status of a failed script ticket", readings: ["error", "abnormal"] },
  V1: { about: "the VPCEP access-control DELETE path", readings: ["en", "zh"] },
  V2: { about: "VPCEP endpoint host vs `region` header", readings: ["any", "strict"] },
  N1: { about: "a second object with the same name", readings: ["repeat", "unique"] },
} as const;
export type RowId = keyof typeof READING_ROWS;
export type RowReading<I extends RowId> = (typeof READING_ROWS)[I]["readings"][number];
export type ProvenReadings = { [I in RowId]?: RowReading<I> };

const SETTING = "huaweicloud:provenReadings (PULUMI_CODEARTS_PROVEN_READINGS)";

/**
 * The setting's value: what `conformance --out` wrote (`{"N1": "unique", …}`), as JSON text or the path of
 * that file; `conformance --json`'s `readings` object is taken too, its `unknown` rows dropped (unknown =
 * today's guarded behaviour). An unknown row or reading is refused, naming it: a typo must not silently
 * keep (or drop) a guard.
 */
export function parseProvenReadings(raw: string | undefined): ProvenReadings {
  if (raw === undefined || raw.trim() === "") return {};
  const text = /^[[{]/.test(raw.trim()) ? raw : readReadingsFile(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${SETTING} must be what \`pulumi-codearts conformance --out FILE\` wrote: a JSON object {"N1": "unique", …}, or the path of that file`);
  }
  const obj = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  const readings = obj && obj.readings && typeof obj.readings === "object" ? (obj.readings as Record<string, unknown>) : obj;
  if (!readings) throw new ConfigError(`${SETTING} must be a JSON object {"N1": "unique", …}`);
  const out: Record<string, string> = {};
  for (const [row, reading] of Object.entries(readings)) {
    const known = (READING_ROWS as Record<string, { readings: readonly string[] }>)[row];
    if (!known) throw new ConfigError(`${SETTING} names an unknown row ${JSON.stringify(row.slice(0, 16))}; the rows are ${Object.keys(READING_ROWS).join(", ")}`);
    if (reading === "unknown") continue;
    if (typeof reading !== "string" || !known.readings.includes(reading)) {
      throw new ConfigError(`${SETTING}: row ${row} has no reading ${JSON.stringify(String(reading).slice(0, 32))}; its readings are ${known.readings.join(", ")} (or unknown)`);
    }
    out[row] = reading;
  }
  return out as ProvenReadings;
}

function readReadingsFile(file: string): string {
  // The path is the user's own file; its content is not echoed (only its form is checked).
  if (!existsSync(file)) throw new ConfigError(`${SETTING}: no file ${JSON.stringify(file.slice(0, 200))} (give the file \`conformance --out\` wrote, or its JSON)`);
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`${SETTING}: cannot read ${JSON.stringify(file.slice(0, 200))}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

/** The reading the settings say the service was proven to speak for `row`; undefined = not proven (keep every guard). */
export function provenReading<I extends RowId>(ctx: { settings: { provenReadings?: ProvenReadings } }, row: I): RowReading<I> | undefined {
  return ctx.settings.provenReadings?.[row] as RowReading<I> | undefined;
}

/**
 * The service did what a proven reading rules out: the operation stops, naming the row, and the user is
 * sent back to the probe. Thrown only where nothing is lost (the caller says what was left as it was).
 */
export class ReadingContradicted extends Error {
  constructor(row: RowId, reading: string, what: string) {
    super(
      `${what}. This contradicts ${row}=${reading}, which huaweicloud:provenReadings says this service was proven to speak (${READING_ROWS[row].about}): ` +
        `the service's behaviour has changed or the file is not this account's. Run \`pulumi-codearts conformance --out FILE\` again and update the setting (or remove ${row} from it)`,
    );
  }
}
