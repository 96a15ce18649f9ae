import { randomBytes } from "crypto";
import type { Settings } from "../../provider/config";
import type { Context } from "../../provider/dynamic";
import { ApiError, unlessGone } from "../../provider/errors";
import type { ApiRequest } from "../../provider/http";
import { redactor } from "../../provider/redaction";
import { DIALECT_ROWS, type DialectId } from "../../emulator/dialects";
import { CommandClient } from "../commandClient";
import type { TranscriptSink } from "../transcript";
import type { Outcome, Probe, ProbeContext, ProbeResult, Unprobeable } from "./probe";
import * as gateway from "./probes/gateway";
import * as pipeline from "./probes/pipeline";
import * as extension from "./probes/extension";
import * as policy from "./probes/policy";
import * as cloudtest from "./probes/cloudtest";
import * as scripts from "./probes/scripts";
import * as vpcep from "./probes/vpcep";
import * as scriptRuns from "./probes/scriptRuns";

/** Every probe, and every row no probe can answer safely; each row of the table is in exactly one. */
export const PROBES: readonly Probe[] = [gateway, pipeline, extension, policy, cloudtest, scripts, vpcep, scriptRuns].flatMap((f) => f.PROBES);
export const UNPROBEABLE: readonly Unprobeable[] = [gateway, pipeline, extension, policy, cloudtest, scripts, vpcep, scriptRuns].flatMap((f) => f.UNPROBEABLE);

export interface ConformanceOptions {
  settings: Settings;
  /** The CodeArts project the Pipeline and CloudTest probes work in (--project). */
  codeartsProjectId?: string;
  /** Only these rows (default: every row). */
  rows?: readonly DialectId[];
  /** Scratch names start with it; default `probe-<unix time>-<random>`. */
  prefix?: string;
  /** Leave scratch objects in place (listed in the report) instead of deleting them. */
  keep?: boolean;
  /** Allow probes that make objects no API deletes (CloudTest plans). */
  allowLeftovers?: boolean;
  /** A test case of the project (`ID` or `SERVICE_ID:ID`, --test-case): lets the C1 probe tell `partial` by a case that is added. */
  testCaseId?: string;
  /** Receives every request and answer, redacted (--transcript). */
  transcript?: TranscriptSink;
  /** Progress, a line at a time (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface RowReport {
  row: DialectId;
  /** The reading found, or "unknown". */
  reading: string;
  /** The answers that showed the reading, or why it is unknown. */
  detail: string;
  calls: number;
  cost: Probe["cost"] | "none";
}

export interface ConformanceReport {
  prefix: string;
  /**
   * The prefixes scratch names start with, in the order to sweep them: the `_` form (plug-in and script
   * names allow no `-`) first, so plug-ins go before the publishers bound to them; then the prefix.
   */
  prefixes: string[];
  rows: RowReport[];
  /** Row → reading found, or "unknown": the `--json` shape. */
  readings: Record<string, string>;
  calls: number;
  /** Scratch objects that could not be removed (cleanup failed), or were kept (--keep), or cannot be deleted by design. */
  leftovers: string[];
}

const underscored = (name: string): string => name.replace(/-/g, "_");

/** The commands that remove what a run left: one sweep per prefix form. */
export const sweepCommands = (report: Pick<ConformanceReport, "prefixes">): string => report.prefixes.map((p) => `pulumi-codearts sweep --prefix ${p} --yes`).join(" and ");

/** A prefix no one else's objects carry: `probe-<unix seconds>-<4 hex>`. */
export function probePrefix(now = Date.now()): string {
  return `probe-${Math.floor(now / 1000)}-${randomBytes(2).toString("hex")}`;
}

export async function runConformance(opts: ConformanceOptions): Promise<ConformanceReport> {
  const prefix = opts.prefix ?? probePrefix();
  const log = opts.log ?? (() => undefined);
  const session = new CommandClient(opts.settings, { userAgent: "pulumi-codearts-conformance", transcript: opts.transcript });
  const client = session.client;
  const kinds: Context = { client, settings: opts.settings, log: (m) => log(redactor.text(m)) };
  const wanted = new Set<string>(opts.rows ?? Object.keys(DIALECT_ROWS));
  const rows: RowReport[] = [];
  const leftovers: string[] = [];
  try {
    for (const row of Object.keys(DIALECT_ROWS) as DialectId[]) {
      if (!wanted.has(row)) continue;
      const probe = PROBES.find((p) => p.row === row);
      if (!probe) {
        const why = UNPROBEABLE.find((u) => u.row === row)?.why ?? "no probe yet";
        rows.push({ row, reading: "unknown", detail: `not probed: ${why}`, calls: 0, cost: "none" });
        continue;
      }
      session.context = row;
      const before = session.calls;
      const undo: Array<{ what: string; run: () => Promise<void> }> = [];
      const ctx: ProbeContext = {
        send: (req: ApiRequest) => client.send(req),
        attempt: async (req: ApiRequest): Promise<Outcome> => {
          try {
            return { ok: true, res: await client.send(req) };
          } catch (e) {
            if (e instanceof ApiError) return { ok: false, error: e };
            throw e;
          }
        },
        kinds,
        domainId: () => client.domainId(),
        codeartsProjectId: opts.codeartsProjectId,
        name: (label) => `${prefix}-${label}`,
        underscoreName: (label) => underscored(`${prefix}-${label}`),
        cleanup: (what, run) => void undo.push({ what, run }),
        removes: (what, kind, id, state) => void undo.push({ what, run: async () => void (await unlessGone(kind.delete(kinds, id, state), kind.notFoundCodes ?? [])) }),
        leftover: (what) => void leftovers.push(`${row}: ${what} (no API deletes it)`),
        allowLeftovers: opts.allowLeftovers ?? false,
        testCaseId: opts.testCaseId,
      };
      let result: ProbeResult;
      if (probe.cost === "leftover" && !ctx.allowLeftovers && !probe.readOnlyFirst) {
        result = { unknown: "it would make an object no API can delete; run with --allow-leftovers to allow it" };
      } else {
        log(`${row}: probing (${probe.method})`);
        try {
          result = await probe.run(ctx);
        } catch (e) {
          result = {
            unknown: `the probe failed: ${redactor
              .text((e as Error).message)
              .split("\n")[0]
              .slice(0, 300)}`,
          };
        }
      }
      for (const u of undo.reverse()) {
        if (opts.keep) {
          leftovers.push(`${row}: ${u.what} (kept)`);
          continue;
        }
        try {
          await u.run();
        } catch (e) {
          leftovers.push(
            `${row}: ${u.what} (cleanup failed: ${redactor
              .text((e as Error).message)
              .split("\n")[0]
              .slice(0, 200)})`,
          );
        }
      }
      rows.push(
        "reading" in result
          ? { row, reading: result.reading, detail: result.evidence, calls: session.calls - before, cost: probe.cost }
          : { row, reading: "unknown", detail: result.unknown, calls: session.calls - before, cost: probe.cost },
      );
      session.context = undefined;
    }
  } finally {
    await session.close();
  }
  return {
    prefix,
    prefixes: [underscored(prefix), prefix],
    rows,
    readings: Object.fromEntries(rows.map((r) => [r.row, r.reading])),
    calls: session.calls,
    leftovers,
  };
}

/** The dialect file the emulator's --dialect-file accepts: every row whose reading was found. */
export function dialectFile(report: ConformanceReport): Record<string, string> {
  return Object.fromEntries(report.rows.filter((r) => r.reading !== "unknown").map((r) => [r.row, r.reading]));
}

/** One line a row: id, reading (or unknown), calls, and the evidence or why. */
export function renderReport(report: ConformanceReport): string {
  const lines = report.rows.map((r) => `${r.row.padEnd(3)} ${r.reading.padEnd(13)} ${String(r.calls).padStart(3)} call${r.calls === 1 ? " " : "s"}  ${r.detail}`);
  const found = report.rows.filter((r) => r.reading !== "unknown").length;
  lines.push(`${found} of ${report.rows.length} rows found, ${report.calls} API calls, scratch prefix ${report.prefix} (and ${underscored(report.prefix)})`);
  for (const l of report.leftovers) lines.push(`left behind: ${l}`);
  if (report.leftovers.some((l) => !/no API deletes it/.test(l))) lines.push(`to remove them: ${sweepCommands(report)} (with --project for pipelines and groups)`);
  return lines.join("\n") + "\n";
}
