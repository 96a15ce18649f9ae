import { readFileSync } from "fs";
import { READING_ROWS } from "../provider/readings";
/**
 * Dialects: where the API references leave the real service's behaviour open (the table in
 * docs/ambiguities.md), the emulator can speak each plausible reading, chosen per row. The names are the
 * table's, character for character (tests/dialects.test.ts checks them against it); the first reading of a row is
 * the default. A handler asks `ctx.dialect.is("P1", "page0")` at the one place the reading changes
 * what it does.
 */
/** The table's rows and readings: one catalogue, the provider's (provider/readings.ts), which also takes proven readings as a setting. */
export const DIALECT_ROWS = READING_ROWS;

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
  X11: "noop",
  X12: "draft",
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
