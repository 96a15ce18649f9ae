import { readFileSync } from "fs";
/**
 * Dialects: where the API references leave the real service's behaviour open (the table in
 * docs/ambiguities.md), the emulator can speak each plausible reading, chosen per row. The names are the
 * table's, character for character (tests/dialects.test.ts checks them against it); the first reading of a row is
 * the default. A handler asks `ctx.dialect.is("P1", "page0")` at the one place the reading changes
 * what it does.
 */
export const DIALECT_ROWS = {
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

/**
 * Rows of the table that are "not a reading": capabilities of the emulator or checks of the
 * provider, always on, listed with where they live.
 */
export const CAPABILITY_ROWS = {
  G4: "fault type `bad-success`: a 200 whose body is not what the docs promise (HTML, empty, `{}`, missing id)",
  L3: "pipeline runs can be held QUEUED, PAUSED or SUSPEND (admin API), besides RUNNING",
  C2: "definitive CloudTest failures answered 500 (fault type `definitive-500`): never retried nor looked up after",
  C4: "provider check: dates are real calendar dates YYYY-MM-DD",
  E5: "script tickets can be held PAUSED between batches (rotation_strategy PAUSE) and hang PROCESSING (a host seeded to hang)",
  E8: "provider check: a tenant-resource page (§4.1.1) that repeats a record already read stops the listing with an error",
  V3: "provider check: `description` accepts the union of the EN and ZH character sets",
} as const;

export type DialectId = keyof typeof DIALECT_ROWS;
export type Reading<I extends DialectId> = (typeof DIALECT_ROWS)[I]["readings"][number];
export type DialectChoice = { [I in DialectId]?: Reading<I> };

/** Per row, the reading that asks the most of the provider: the one the all-at-once run uses. */
export const LEAST_CONVENIENT: { [I in DialectId]: Reading<I> } = {
  G1: "bare",
  G2: "seed",
  G3: "4xx",
  G5: "strict",
  P1: "page1",
  P2: "position1",
  P3: "shifting",
  P4: "page1",
  L1: "subtree",
  L2: "refuse",
  L4: "normalised",
  L5: "defaults",
  X1: "whole",
  X2: "refused",
  X3: "normalised",
  X4: "null",
  X5: "existing",
  X6: "required",
  X7: "json",
  X8: "omitted",
  X9: "zip",
  X10: "swapped",
  R1: "instance-ids",
  R2: "enabled",
  R3: "normalised",
  R4: "omitted",
  R5: "mixed",
  C1: "partial",
  C3: "free",
  T1: "example",
  T2: "strict",
  S1: "5",
  S2: "pattern",
  S3: "top-level",
  S4: "required",
  S5: "long",
  S6: "lf",
  E1: "204-empty",
  E2: "number",
  E3: "required",
  E4: "s",
  E6: "as-tables",
  E7: "error",
  V1: "zh",
  V2: "strict",
  N1: "unique",
};

/** A dialect that cannot be: an unknown row or reading. The CLI turns it into a usage error. */
export class DialectError extends Error {}

/** Checks names against the table: `{ "P1": "page0" }` → a choice, or a DialectError naming what is wrong. */
export function parseDialect(spec: Record<string, unknown>): DialectChoice {
  const out: Record<string, string> = {};
  for (const [id, name] of Object.entries(spec)) {
    const row = (DIALECT_ROWS as Record<string, { readings: readonly string[] }>)[id];
    if (!row) {
      const capability = id in CAPABILITY_ROWS ? ` (${id} is not a reading but a capability, always on)` : "";
      throw new DialectError(`unknown dialect row "${id}"${capability}; rows: ${Object.keys(DIALECT_ROWS).join(", ")}`);
    }
    if (typeof name !== "string" || !row.readings.includes(name)) {
      throw new DialectError(`dialect ${id} has no reading ${JSON.stringify(name)}; its readings: ${row.readings.join(", ")}`);
    }
    out[id] = name;
  }
  return out as DialectChoice;
}

/** A dialect file (`--dialect-file`, what `pulumi-codearts conformance --out` writes): `{"ID": "NAME", ...}`, checked against the table. */
export function readDialectFile(file: string): DialectChoice {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new DialectError(`--dialect-file ${file}: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new DialectError(`--dialect-file ${file} must hold a JSON object {"ID": "NAME", ...}`);
  try {
    return parseDialect(parsed as Record<string, unknown>);
  } catch (e) {
    throw new DialectError(`--dialect-file ${file}: ${(e as Error).message}`);
  }
}

/** `ID=NAME` arguments (the CLI's repeatable --dialect). */
export function parseDialectArgs(args: readonly string[]): DialectChoice {
  const spec: Record<string, string> = {};
  for (const a of args) {
    const i = a.indexOf("=");
    if (i <= 0) throw new DialectError(`--dialect takes ID=NAME (e.g. P1=page0), not "${a}"`);
    spec[a.slice(0, i)] = a.slice(i + 1);
  }
  return parseDialect(spec);
}

/** The dialect an emulator speaks now: defaults, then what was chosen; changeable at run time. */
export class Dialect {
  private chosen: DialectChoice = {};

  constructor(initial: DialectChoice = {}) {
    this.set(initial);
  }

  /** The reading of a row. */
  of<I extends DialectId>(id: I): Reading<I> {
    return (this.chosen[id] ?? DIALECT_ROWS[id].readings[0]) as Reading<I>;
  }

  is<I extends DialectId>(id: I, reading: Reading<I>): boolean {
    return this.of(id) === reading;
  }

  /** Changes the given rows (validated); the others keep their reading. */
  set(choice: Record<string, unknown>): void {
    this.chosen = { ...this.chosen, ...parseDialect(choice) };
  }

  /** Every row back to its default. */
  reset(): void {
    this.chosen = {};
  }

  /** Every row with its reading now. */
  current(): Record<DialectId, string> {
    return Object.fromEntries(Object.keys(DIALECT_ROWS).map((id) => [id, this.of(id as DialectId)])) as Record<DialectId, string>;
  }
}

/** `--list-dialects`: one row a line: id, readings (default first, marked), what it is about. */
export function listDialects(): string {
  const rows = Object.entries(DIALECT_ROWS).map(([id, r]) => `${id}  ${r.readings.map((n, i) => (i === 0 ? `${n} (default)` : n)).join(", ")}  — ${r.about}`);
  const caps = Object.entries(CAPABILITY_ROWS).map(([id, what]) => `${id}  not a reading: ${what}`);
  return [...rows, ...caps].join("\n");
}
