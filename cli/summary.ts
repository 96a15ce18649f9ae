import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
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
  /** Properties that change (the engine's `diffs`). */
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
}

const NOISE = new Set(["same", "read", "refresh"]);

/** Output keys that differ between two states (ignoring the serialized provider). */
function changedOutputs(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete("__provider");
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
function kindOf(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}
function replaceReasons(kind: string, keys: string[]): string[] {
  const def = (KINDS as Record<string, { replaceWhy?: Record<string, string> }>)[kind];
  const reasons = keys.map((k) => def?.replaceWhy?.[k] ?? `${k} cannot change in place`);
  return [...new Set(reasons)];
}

// The engine's color codes in diagnostic messages, e.g. "<{%reset%}>".
const stripColor = (s: string) => s.replace(/<\{%[^%]*%\}>/g, "").trim();

export function summarize(operation: Summary["operation"], events: EngineEvent[]): Summary {
  const byUrn = new Map<string, ResourceLine>();
  const refused: Summary["refused"] = [];
  const warnings: string[] = [];
  let durationSeconds: number | undefined;
  let counts: Summary["counts"] | undefined;
  for (const e of events) {
    const meta = e.resourcePreEvent?.metadata ?? e.resOpFailedEvent?.metadata;
    if (meta && meta.type !== "pulumi:pulumi:Stack" && !meta.type.startsWith("pulumi:providers:")) {
      const kind = kindOf(meta.type);
      const keys = meta.keys ?? [];
      const isReplace = ["replace", "create-replacement", "delete-replaced"].includes(meta.op);
      const line: ResourceLine = byUrn.get(meta.urn) ?? {
        urn: meta.urn, type: meta.type, kind, name: nameOf(meta.urn), op: meta.op, changes: [], replaces: [], reasons: [],
      };
      // A replacement shows up as several steps; the summary keeps one line with op "replace".
      line.op = isReplace ? "replace" : line.op === "replace" ? "replace" : meta.op;
      line.changes = [...new Set([...line.changes, ...(meta.diffs ?? [])])];
      if (isReplace && keys.length > 0) {
        line.replaces = [...new Set([...line.replaces, ...keys])];
        line.reasons = replaceReasons(kind, line.replaces);
      }
      if (e.resOpFailedEvent) line.failed = true;
      byUrn.set(meta.urn, line);
    }
    // A refresh reports op "refresh" for every resource; what drifted is what its outputs say.
    const out = e.resOutputsEvent?.metadata;
    if (out && out.op === "refresh" && byUrn.has(out.urn)) {
      const line = byUrn.get(out.urn)!;
      if (!out.new || out.new.delete) {
        line.op = "delete";
      } else {
        const changed = changedOutputs(out.old?.outputs, out.new.outputs);
        if (changed.length > 0) {
          line.op = "update";
          line.changes = changed;
        }
      }
    }
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
  const resources = [...byUrn.values()].filter((r) => !NOISE.has(r.op) || r.failed);
  if (!counts) {
    counts = {};
    for (const r of byUrn.values()) counts[r.op] = (counts[r.op] ?? 0) + 1;
  }
  return { operation, counts, resources, refused, warnings, durationSeconds };
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

/** Drift = a refresh (preview) that would change something in the state. */
export function drifted(s: Summary): ResourceLine[] {
  return s.resources.filter((r) => !NOISE.has(r.op));
}
