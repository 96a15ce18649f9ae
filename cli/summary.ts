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
}

export interface Summary {
  operation: "preview" | "up" | "refresh" | "destroy" | "drift";
  counts: Partial<Record<OpType, number>>;
  resources: ResourceLine[];
  refused: Array<{ urn?: string; name?: string; message: string }>;
  warnings: string[];
  durationSeconds?: number;
  /** Set when the engine's summary and its per-resource events disagree (or the stream has no summary): no verdict can be trusted. */
  inconsistent?: string;
}

const NOISE = new Set(["same", "read", "refresh"]);
/** Ops that change something, per kind of operation: what the cross-check with the engine's counts compares. */
const CHANGING: Record<"apply" | "refresh", OpType[]> = { apply: ["create", "update", "replace", "delete"], refresh: ["update", "delete"] };
/** Shown instead of a property list when the engine reports a change no visible property explains. */
export const HIDDEN_CHANGE = "(a secret value; not shown)";
const COMPUTED = " (computed)";

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
function kindOf(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}
type AnyKind = ResourceKind<z.ZodObject, Record<string, unknown>>;
/** This package's kind for a resource type (`pulumi-nodejs:dynamic/codearts:<Kind>`), if it is one. */
function ourKind(type: string): AnyKind | undefined {
  if (!type.startsWith("pulumi-nodejs:dynamic")) return undefined;
  return (KINDS as unknown as Record<string, AnyKind | undefined>)[kindOf(type)];
}
function replaceReasons(kind: string, keys: string[]): string[] {
  const def = (KINDS as Record<string, { replaceWhy?: Record<string, string> }>)[kind];
  const reasons = keys.map((k) => def?.replaceWhy?.[k] ?? `${k} cannot change in place`);
  // Reasons of several keys often share a clause ("the API has no update"): each clause once.
  return [...new Set(reasons.flatMap((r) => r.split("; ")))];
}

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
  return changedKeys(kind.schema, view(state, "state"), view(declared, "declared")).map((k) => (containsUnknown(declared[k]) ? k + COMPUTED : k)).sort();
}

/** The engine's own list, for resources of other providers: the detailed diff's paths when there is one, else `diffs`. */
function engineChanges(meta: StepEventMetadata): string[] {
  const detailed = Object.keys(meta.detailedDiff ?? {});
  return [...(detailed.length > 0 ? detailed : meta.diffs ?? [])].sort();
}

// The engine's color codes in diagnostic messages, e.g. "<{%reset%}>".
const stripColor = (s: string) => s.replace(/<\{%[^%]*%\}>/g, "").trim();

/**
 * The engine decides whether a resource changes (the step ops of its events; for a refresh, the op
 * of the results event after a `refresh` pre-event) and the totals agree with its summary, or the
 * summary says so; the provider's own comparison says what changes.
 */
export function summarize(operation: Summary["operation"], events: EngineEvent[]): Summary {
  const refreshing = operation === "refresh" || operation === "drift";
  const byUrn = new Map<string, ResourceLine>();
  const refused: Summary["refused"] = [];
  const warnings: string[] = [];
  const stepOps = new Map<string, OpType>(); // logical step op per resource, for the cross-check
  let durationSeconds: number | undefined;
  let counts: Summary["counts"] | undefined;
  const lineFor = (meta: StepEventMetadata): ResourceLine => {
    let line = byUrn.get(meta.urn);
    if (!line) {
      line = { urn: meta.urn, type: meta.type, kind: kindOf(meta.type), name: nameOf(meta.urn), op: meta.op, changes: [], replaces: [], reasons: [] };
      byUrn.set(meta.urn, line);
    }
    return line;
  };
  const infrastructure = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");

  for (const e of events) {
    const pre = e.resourcePreEvent?.metadata;
    if (pre && !refreshing) {
      if (pre.logical !== false) stepOps.set(pre.urn, pre.op);
      if (!infrastructure(pre.type)) {
        const line = lineFor(pre);
        const isReplace = ["replace", "create-replacement", "delete-replaced"].includes(pre.op);
        // A replacement shows up as several steps; the summary keeps one line with op "replace".
        line.op = isReplace || line.op === "replace" ? "replace" : pre.op;
        if (isReplace && (pre.keys ?? []).length > 0) {
          line.replaces = [...new Set([...line.replaces, ...pre.keys!])];
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
    if (pre && refreshing && pre.op === "refresh" && !infrastructure(pre.type)) lineFor(pre).op = "refresh";
    const out = e.resOutputsEvent?.metadata;
    if (out && refreshing && byUrn.has(out.urn)) {
      const line = byUrn.get(out.urn)!;
      const kind = ourKind(out.type);
      let op = out.op;
      if (op === "refresh") {
        // Engines before 3.120 did not decide: a resource gone, or differing by the provider's rules.
        op = !out.new ? "delete" : (kind ? propertyChanges(kind, out.new.outputs, out.old?.inputs) : engineChanges(out)).length > 0 ? "update" : "same";
      }
      line.op = op;
      stepOps.set(out.urn, op);
      // Drift: the refreshed outputs against the last declared inputs.
      if (op === "update") line.changes = kind ? propertyChanges(kind, out.new?.outputs, out.old?.inputs) : engineChanges(out);
    }
    const failedMeta = e.resOpFailedEvent?.metadata;
    if (failedMeta && !infrastructure(failedMeta.type)) lineFor(failedMeta).failed = true;
    const d = e.diagnosticEvent;
    if (d && (d.severity === "error" || d.severity === "warning")) {
      const message = stripColor(d.message);
      if (d.severity === "error" && d.urn) refused.push({ urn: d.urn, name: nameOf(d.urn), message });
      else if (d.severity === "warning") warnings.push(message);
    }
    if (e.summaryEvent) {
      durationSeconds = e.summaryEvent.durationSeconds;
      counts = e.summaryEvent.resourceChanges as Summary["counts"];
    }
  }
  for (const line of byUrn.values()) {
    // The engine says it changes, and no property the event shows explains it: a secret did.
    if (["update", "replace"].includes(line.op) && line.changes.length === 0 && line.replaces.length === 0) line.changes = [HIDDEN_CHANGE];
  }
  const resources = [...byUrn.values()].filter((r) => !NOISE.has(r.op) || r.failed);
  const seen: Summary["counts"] = {};
  for (const op of stepOps.values()) seen[op] = (seen[op] ?? 0) + 1;
  const inconsistent = crossCheck(counts, seen, refreshing ? CHANGING.refresh : CHANGING.apply);
  return { operation, counts: counts ?? seen, resources, refused, warnings, durationSeconds, ...(inconsistent ? { inconsistent } : {}) };
}

function crossCheck(engine: Summary["counts"] | undefined, seen: Summary["counts"], ops: OpType[]): string | undefined {
  if (!engine) return "the event stream has no summary event: it is incomplete (the operation did not finish, or the log was cut)";
  const off = ops.filter((op) => (engine[op] ?? 0) !== (seen[op] ?? 0));
  if (off.length === 0) return undefined;
  return `the engine's summary and its resource events disagree (${off.map((op) => `${op}: ${engine[op] ?? 0} in the summary, ${seen[op] ?? 0} in the events`).join("; ")})`;
}

const OP_WORD: Partial<Record<OpType, string>> = {
  create: "create", update: "update", replace: "replace", delete: "delete", same: "unchanged", refresh: "refresh",
  read: "read", import: "import", "discard": "forget",
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
  if (s.inconsistent) out.push("", `#### :x: This summary cannot be trusted`, "", escapeCell(s.inconsistent));
  if (s.refused.length > 0) {
    out.push("", "#### :no_entry: Refused changes", "");
    for (const r of s.refused) out.push(`- **${escapeCell(r.name ?? "")}**: ${escapeCell(r.message)}`);
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
      out.push(`| ${OP_MARK[r.op] ?? ""} | ${r.kind} | ${escapeCell(r.name)} | ${r.failed ? "**failed** " : ""}${OP_WORD[r.op] ?? r.op} | ${escapeCell(props)} |`);
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

/** What a run of the CLI ends with: a drift or an inconsistent stream is never "ok". */
export function verdict(s: Summary): { outcome: "ok" | "drift" | "inconsistent"; message: string } {
  if (s.inconsistent) return { outcome: "inconsistent", message: `cannot summarise this ${s.operation}: ${s.inconsistent}` };
  if (s.operation !== "drift") return { outcome: "ok", message: "" };
  const d = drifted(s);
  if (d.length === 0) return { outcome: "ok", message: "no drift" };
  return { outcome: "drift", message: `drift: ${d.map((r) => `${r.kind} ${r.name} (${r.op === "delete" ? "deleted out of band" : `changed: ${r.changes.join(", ")}`})`).join("; ")}` };
}

/** Drift = what the engine found changed or gone on a refresh (preview). */
export function drifted(s: Summary): ResourceLine[] {
  return s.resources.filter((r) => r.op === "update" || r.op === "delete");
}
