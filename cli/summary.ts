import type { EngineEvent, OpType, StepEventMetadata } from "@pulumi/pulumi/automation";
import type { z } from "zod";
import { changedKeys, containsUnknown, type ResourceKind } from "../provider/dynamic";
import { KINDS } from "../provider/kinds";

/**
 * Turns the engine's event stream (the Automation API's documented EngineEvent format) into a
 * summary: counts per operation, the resources that change with the properties that change,
 * replacements with the reason the API forces them, refused changes (check failures) and warnings.
 * Pure: rendering is tested from recorded events, without the Pulumi CLI.
 */
export interface ResourceLine {
  urn: string;
  type: string;
  kind: string;
  name: string;
  op: OpType;
  /** Properties that change (or drifted): the provider's own comparison for this package's kinds, the engine's `diffs` for others. */
  changes: string[];
  /** Properties that force a replacement (the engine's `keys`), with why. */
  replaces: string[];
  reasons: string[];
  failed?: boolean;
  /**
   * An entry pending deletion: the old object of a replacement whose delete failed earlier. It shares
   * its URN with the live resource; the next up deletes it. Never drift.
   */
  pendingDelete?: boolean;
}

export interface Summary {
  operation: "preview" | "up" | "refresh" | "destroy" | "drift";
  counts: Partial<Record<OpType, number>>;
  resources: ResourceLine[];
  /** Changes the provider's check refused (bad input), before any API call. */
  refused: Array<{ urn?: string; name?: string; message: string }>;
  /** Steps that failed at the API (or a read that failed), with the engine's message. */
  failures: Array<{ urn: string; name: string; kind: string; op?: OpType; message: string }>;
  /** The engine's own errors, not tied to a resource: "update failed", a program's unhandled exception. */
  errors: string[];
  warnings: string[];
  /** The engine's result (`summaryEvent.result`, since 3.237); derived from the errors on older engines. */
  result: "succeeded" | "failed" | "canceled";
  durationSeconds?: number;
  /** Set when the engine's summary and its per-resource events disagree (or the stream has no summary): no verdict can be trusted. */
  inconsistent?: string;
}

/** Ops that change something, per kind of operation: what the cross-check with the engine's counts compares. */
const CHANGING: Record<"apply" | "refresh", OpType[]> = { apply: ["create", "update", "replace", "delete"], refresh: ["update", "delete"] };
/** Shown instead of a property list when the engine reports a change no visible property explains. */
export const HIDDEN_CHANGE = "(a secret value; not shown)";
const COMPUTED = " (computed)";
const REPLACE_STEPS: readonly string[] = ["replace", "create-replacement", "delete-replaced"];

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
/** The resource type a URN names (`urn:pulumi:<stack>::<project>::[<parent type>$]<type>::<name>`). */
function typeOf(urn: string): string {
  const t = urn.slice(0, urn.lastIndexOf("::"));
  return t
    .slice(t.lastIndexOf("::") + 2)
    .split("$")
    .pop()!;
}
function kindOf(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}
type AnyKind = ResourceKind<z.ZodObject, Record<string, unknown>>;
/** This package's kind for a resource type (`pulumi-nodejs:dynamic/codearts:<Kind>`, or the plugin's `codearts:index:<Kind>`), if it is one. */
function ourKind(type: string): AnyKind | undefined {
  if (!type.startsWith("pulumi-nodejs:dynamic") && !type.startsWith("codearts:index:")) return undefined;
  return (KINDS as unknown as Record<string, AnyKind | undefined>)[kindOf(type)];
}
function replaceReasons(kind: string, keys: string[]): string[] {
  const def = (KINDS as Record<string, { replaceWhy?: Record<string, string> }>)[kind];
  const reasons = keys.map((k) => def?.replaceWhy?.[k] ?? `${k} cannot change in place`);
  // Reasons of several keys often share a clause ("the API has no update"): each clause once.
  return [...new Set(reasons.flatMap((r) => r.split("; ")))];
}

/**
 * The engine's internal steps: in the event log since 3.131 (written before internal events are
 * filtered), never in `resourceChanges`, never shown: a default provider (`pulumi:providers:<pkg>::default`
 * or `::default_<version>`; an explicit provider is the user's resource) and `remove-pending-replace`.
 */
function internal(meta: Pick<StepEventMetadata, "op" | "type" | "urn">): boolean {
  return (meta.op as string) === "remove-pending-replace" || (meta.type.startsWith("pulumi:providers:") && /^default(_|$)/.test(nameOf(meta.urn)));
}
/** Counted by the engine, but not a row of the summary. */
const isStack = (type: string) => type === "pulumi:pulumi:Stack";

/**
 * A check failure, as the engine words it (pkg/resource/deploy/step_generator.go): "<type> resource
 * '<name>': property <p> value {<v>} has a problem: <reason>", or "... resource '<name>' has a problem: ...".
 */
const CHECK_FAILURE = /^\S+ resource '[^']*'(: property \S+ value \{[\s\S]*\})? has a problem: /;

/**
 * What differs between the state side and the declared side, by the kind's own rules (its schema
 * and diff view: the comparison its Diff makes). Unknown declared values show as "(computed)".
 * Secrets arrive blinded alike on both sides, so they never show here.
 */
function propertyChanges(kind: AnyKind, state: Record<string, unknown> = {}, declared: Record<string, unknown> = {}): string[] {
  const view = (p: Record<string, unknown>, side: "declared" | "state") => {
    try {
      return kind.diffView ? kind.diffView(p, side) : p;
    } catch {
      return p; // a blinded secret is not the shape the view expects: compare as given
    }
  };
  return changedKeys(kind.schema, view(state, "state"), view(declared, "declared"))
    .map((k) => (containsUnknown(declared[k]) ? k + COMPUTED : k))
    .sort();
}

/** The engine's own list, for resources of other providers: the detailed diff's paths when there is one, else `diffs`. */
function engineChanges(meta: StepEventMetadata): string[] {
  const detailed = Object.keys(meta.detailedDiff ?? {});
  return [...(detailed.length > 0 ? detailed : (meta.diffs ?? []))].sort();
}

// The engine's color codes in diagnostic messages, e.g. "<{%reset%}>".
const stripColor = (s: string) => s.replace(/<\{%[^%]*%\}>/g, "").trim();
/** A diagnostic's message without the stack trace a program's exception carries (first line only). */
const firstLine = (s: string) => stripColor(s).split("\n")[0].trim();

/**
 * The engine decides whether a resource changes (the ops of its completed steps; for a refresh, the
 * op of the results event after a `refresh` pre-event) and whether the operation succeeded (its
 * `result`, or its errors on engines before 3.237); the totals must agree with its summary; the
 * provider's own comparison says what changes.
 */
export function summarize(operation: Summary["operation"], events: EngineEvent[]): Summary {
  const refreshing = operation === "refresh" || operation === "drift";
  const lines = new Map<string, ResourceLine>();
  const refused: Summary["refused"] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const stepErrors = new Map<string, string>(); // error diagnostics per URN, until a step failure claims them
  const failedSteps = new Map<string, { meta: StepEventMetadata }>();
  const counted = new Map<string, OpType>(); // the completed, counted step of each entry, for the cross-check
  const stepsOf = new Map<string, Set<string>>(); // the step ops each entry went through
  let durationSeconds: number | undefined;
  let counts: Summary["counts"] | undefined;
  let result: Summary["result"] | undefined;
  // An entry pending deletion shares the live resource's URN: the state it steps from says which it is.
  const keyOf = (meta: StepEventMetadata) => (meta.old?.delete && !REPLACE_STEPS.includes(meta.op) ? `${meta.urn}#pending-delete` : meta.urn);
  const lineFor = (meta: StepEventMetadata): ResourceLine => {
    const key = keyOf(meta);
    let line = lines.get(key);
    if (!line) {
      line = { urn: meta.urn, type: meta.type, kind: kindOf(meta.type), name: nameOf(meta.urn), op: meta.op, changes: [], replaces: [], reasons: [] };
      if (key !== meta.urn) line.pendingDelete = true;
      lines.set(key, line);
    }
    return line;
  };

  for (const e of events) {
    const pre = e.resourcePreEvent?.metadata;
    if (pre && !internal(pre) && !isStack(pre.type)) {
      const line = lineFor(pre);
      if (refreshing) {
        if (pre.op === "refresh") line.op = "refresh";
      } else {
        const steps = stepsOf.get(keyOf(pre)) ?? new Set<string>();
        stepsOf.set(keyOf(pre), steps.add(pre.op));
        if (!REPLACE_STEPS.includes(pre.op)) line.op = pre.op;
        if (REPLACE_STEPS.includes(pre.op) && (pre.keys ?? []).length > 0) {
          line.replaces = [...new Set([...line.replaces, ...pre.keys!])].sort(); // the engine's key order varies from run to run
          line.reasons = replaceReasons(line.kind, line.replaces);
        }
        if (["update", "replace", "create-replacement"].includes(pre.op)) {
          const kind = ourKind(pre.type);
          // Preview and up: the state's outputs against the goal's (checked) inputs.
          const changes = kind ? propertyChanges(kind, pre.old?.outputs, pre.new?.inputs) : engineChanges(pre);
          line.changes = [...new Set([...line.changes, ...changes])];
        }
      }
    }
    const out = e.resOutputsEvent?.metadata;
    if (out && !internal(out)) {
      let op = out.op;
      if (refreshing && !isStack(out.type)) {
        const line = lineFor(out);
        const kind = ourKind(out.type);
        if (op === "refresh") {
          // Engines before 3.120 did not decide: a resource gone, or differing by the provider's rules.
          op = !out.new ? "delete" : (kind ? propertyChanges(kind, out.new.outputs, out.old?.inputs) : engineChanges(out)).length > 0 ? "update" : "same";
        }
        line.op = op;
        // Drift: the refreshed outputs against the last declared inputs.
        if (op === "update") line.changes = kind ? propertyChanges(kind, out.new?.outputs, out.old?.inputs) : engineChanges(out);
      }
      // The engine counts logical steps (`logical` is omitempty: absent means not logical) and, on a
      // refresh, every result (engines before 3.120 wrote `refresh` there; counted by what it decided).
      // A preview reports the stack's outputs twice: one count per entry.
      if (refreshing || out.logical === true) counted.set(keyOf(out), op);
    }
    const failedMeta = e.resOpFailedEvent?.metadata;
    if (failedMeta && !internal(failedMeta)) failedSteps.set(keyOf(failedMeta), { meta: failedMeta });
    const d = e.diagnosticEvent;
    if (d && d.severity === "error") {
      const message = stripColor(d.message);
      if (!d.urn) errors.push(firstLine(message));
      else if (CHECK_FAILURE.test(message)) refused.push({ urn: d.urn, name: nameOf(d.urn), message });
      else stepErrors.set(d.urn, stepErrors.has(d.urn) ? `${stepErrors.get(d.urn)}; ${message}` : message);
    } else if (d && d.severity === "warning") warnings.push(stripColor(d.message));
    if (e.summaryEvent) {
      durationSeconds = e.summaryEvent.durationSeconds;
      counts = e.summaryEvent.resourceChanges as Summary["counts"];
      result = (e.summaryEvent as { result?: Summary["result"] }).result;
    }
  }
  if (!refreshing) {
    for (const [key, steps] of stepsOf) {
      const line = lines.get(key)!;
      // A replacement shows up as several steps (create-replacement, replace, delete-replaced; the
      // delete first when it must go before); one line with op "replace". A lone delete-replaced is
      // the cleanup of an entry left pending deletion by an earlier replacement.
      if (steps.has("replace") || steps.has("create-replacement")) line.op = "replace";
      else if (steps.has("delete-replaced")) {
        line.op = "delete";
        line.pendingDelete = true;
      }
    }
  }
  const failures: Summary["failures"] = [];
  for (const [key, { meta }] of failedSteps) {
    const line = lines.get(key) ?? lineFor(meta);
    line.failed = true;
    failures.push({ urn: meta.urn, name: nameOf(meta.urn), kind: kindOf(meta.type), op: meta.op, message: stepErrors.get(meta.urn) ?? `${meta.op} failed` });
    stepErrors.delete(meta.urn);
  }
  // An error tied to a resource without a failed step: a read (refresh) or a diff that failed.
  for (const [urn, message] of stepErrors) {
    const line = lines.get(urn);
    if (line) line.failed = true;
    failures.push({ urn, name: nameOf(urn), kind: line?.kind ?? kindOf(typeOf(urn)), message });
  }
  for (const line of lines.values()) {
    // The engine says it changes, and no property the event shows explains it: a secret did.
    if (["update", "replace"].includes(line.op) && line.changes.length === 0 && line.replaces.length === 0 && !line.pendingDelete) line.changes = [HIDDEN_CHANGE];
  }
  const seen: Summary["counts"] = {};
  for (const op of counted.values()) seen[op] = (seen[op] ?? 0) + 1;
  const noise = new Set<string>(["same", "read", "refresh"]);
  // The engine runs steps concurrently: rows in a stable order (kind, name), so a re-run's comment reads the same.
  const resources = [...lines.values()]
    .filter((r) => !noise.has(r.op) || r.failed)
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || Number(Boolean(a.pendingDelete)) - Number(Boolean(b.pendingDelete)));
  const anyError = errors.length + refused.length + failures.length > 0;
  const outcome: Summary["result"] = result ?? (anyError ? "failed" : "succeeded");
  // A failed run stops part-way: its counts are what happened, not a plan to check against.
  const inconsistent = outcome === "succeeded" ? crossCheck(counts, seen, refreshing ? CHANGING.refresh : CHANGING.apply) : counts ? undefined : crossCheck(counts, seen, []);
  return {
    operation,
    counts: counts ?? seen,
    resources,
    refused,
    failures,
    errors: [...new Set(errors)],
    warnings,
    result: outcome,
    durationSeconds,
    ...(inconsistent ? { inconsistent } : {}),
  };
}

function crossCheck(engine: Summary["counts"] | undefined, seen: Summary["counts"], ops: OpType[]): string | undefined {
  if (!engine) return "the event stream has no summary event: it is incomplete (the operation did not finish, or the log was cut)";
  const off = ops.filter((op) => (engine[op] ?? 0) !== (seen[op] ?? 0));
  if (off.length === 0) return undefined;
  return `the engine's summary and its resource events disagree (${off.map((op) => `${op}: ${engine[op] ?? 0} in the summary, ${seen[op] ?? 0} in the events`).join("; ")})`;
}

const OP_WORD: Partial<Record<OpType, string>> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  same: "unchanged",
  refresh: "refresh",
  read: "read",
  import: "import",
  discard: "forget",
};
const OP_MARK: Partial<Record<OpType, string>> = { create: "+", update: "~", replace: "+-", delete: "-", refresh: "~" };

function escapeCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderMarkdown(s: Summary, title = "pulumi-codearts"): string {
  const out: string[] = [];
  out.push(`### ${title}: ${s.operation}`);
  const counts = Object.entries(s.counts)
    .filter(([, n]) => n)
    .map(([op, n]) => `**${n}** ${OP_WORD[op as OpType] ?? op}`);
  out.push("", counts.length > 0 ? counts.join(" · ") : "No resources.");
  if (s.result !== "succeeded") {
    out.push("", `#### :x: The ${s.operation} ${s.result === "canceled" ? "was cancelled" : "failed"}`);
    if (s.errors.length > 0) out.push("", ...s.errors.map((e) => `- ${escapeCell(e)}`));
  }
  if (s.inconsistent) out.push("", `#### :x: This summary cannot be trusted`, "", escapeCell(s.inconsistent));
  if (s.refused.length > 0) {
    out.push("", "#### :no_entry: Refused at check (bad input; nothing was sent to the API)", "");
    for (const r of s.refused) out.push(`- **${escapeCell(r.name ?? "")}**: ${escapeCell(r.message)}`);
  }
  if (s.failures.length > 0) {
    out.push("", "#### :boom: Failed", "");
    for (const f of s.failures) out.push(`- **${escapeCell(f.kind)} ${escapeCell(f.name)}**${f.op ? ` (${f.op})` : ""}: ${escapeCell(f.message)}`);
  }
  const replaced = s.resources.filter((r) => r.op === "replace");
  if (replaced.length > 0) {
    out.push("", "#### :warning: Replacements", "");
    for (const r of replaced) out.push(`- **${r.kind} ${r.name}** is replaced (${r.replaces.join(", ") || "see diff"}): ${r.reasons.join("; ")}`);
  }
  if (s.resources.length > 0) {
    out.push("", "| | type | name | operation | changed properties |", "|---|---|---|---|---|");
    for (const r of s.resources) {
      const props = r.changes.map((c) => (r.replaces.includes(c) ? `**${c}** (replaces)` : c)).join(", ");
      const op = `${r.failed ? "**failed** " : ""}${OP_WORD[r.op] ?? r.op}${r.pendingDelete ? " (left pending deletion by an earlier replacement)" : ""}`;
      out.push(`| ${OP_MARK[r.op] ?? ""} | ${r.kind} | ${escapeCell(r.name)} | ${op} | ${escapeCell(props)} |`);
    }
  }
  if (s.warnings.length > 0) {
    out.push("", "<details><summary>Warnings</summary>", "");
    for (const w of s.warnings) out.push(`- ${escapeCell(w)}`);
    out.push("", "</details>");
  }
  if (s.durationSeconds !== undefined) out.push("", `<sub>${s.durationSeconds}s</sub>`);
  return out.join("\n") + "\n";
}

export type Outcome = "ok" | "drift" | "failed" | "inconsistent";

/**
 * What a run of the CLI ends with (exit codes in cli/exit.ts): a failed or cancelled operation, and a
 * stream that cannot be trusted, are never "ok"; nor is drift. A failure outranks drift: a drift job
 * whose reads failed cannot say what did not drift.
 */
export function verdict(s: Summary): { outcome: Outcome; message: string } {
  if (s.result !== "succeeded") {
    const what = [
      ...s.errors.filter((e) => !/^(preview|update|refresh|destroy) failed$/.test(e)),
      ...s.failures.map((f) => `${f.kind} ${f.name}: ${f.message}`),
      ...s.refused.map((r) => `${r.name}: ${r.message}`),
    ];
    return { outcome: "failed", message: `the ${s.operation} ${s.result === "canceled" ? "was cancelled" : "failed"}${what.length > 0 ? `: ${what.join("; ")}` : ""}` };
  }
  if (s.inconsistent) return { outcome: "inconsistent", message: `cannot summarise this ${s.operation}: ${s.inconsistent}` };
  if (s.operation !== "drift") return { outcome: "ok", message: "" };
  const d = drifted(s);
  if (d.length === 0) return { outcome: "ok", message: "no drift" };
  return {
    outcome: "drift",
    message: `drift: ${d.map((r) => `${r.kind} ${r.name} (${r.op === "delete" ? "deleted out of band" : `changed: ${r.changes.join(", ")}`})`).join("; ")}`,
  };
}

/** Drift = what the engine found changed or gone on a refresh (preview) among the live resources. */
export function drifted(s: Summary): ResourceLine[] {
  return s.resources.filter((r) => (r.op === "update" || r.op === "delete") && !r.pendingDelete);
}
