import type { Settings } from "../provider/config";
import type { Context, SweepFound } from "../provider/dynamic";
import { ApiError } from "../provider/errors";
import { KINDS, type KindName } from "../provider/kinds";
import { redactor } from "../provider/redaction";
import { CommandClient, commandSettings } from "./commandClient";
import { EXIT } from "./exit";
import { fileSink, type TranscriptSink } from "./transcript";

/**
 * The sweeper: finds every object of every kind whose name (as the service returns it, exactly,
 * case-sensitive) starts with a prefix, and with `yes` deletes them with each kind's own `delete`,
 * in dependency order (each kind's `sweep` facet, provider/dynamic.ts). A dry run changes nothing.
 * What tests and failed runs leave behind is removed by the same code that serves every dialect.
 */
export interface SweepOptions {
  settings: Settings;
  prefix: string;
  codeartsProjectId?: string;
  yes: boolean;
  log?: (line: string) => void;
  transcript?: TranscriptSink;
}

export interface SweptObject {
  kind: KindName;
  id: string;
  name: string;
  outcome: "listed" | "deleted" | "undeletable" | "failed";
  detail?: string;
}

export interface SweepReport {
  prefix: string;
  objects: SweptObject[];
  notListed: Array<{ kind: KindName; why: string }>;
  calls: number;
}

/** Shorter prefixes match too much of an account to be a safe thing to delete by. */
export const MIN_PREFIX_LENGTH = 4;

/** How a `notListed` entry for a listing that failed begins (the sweep then failed: exit 1). */
export const LISTING_FAILED = "the listing failed: ";

/** A prefix that cannot be swept by; nothing was listed. */
export class SweepUsageError extends Error {}

/** Whether a sweep failed: an object not deleted that should have been, or a kind that could not be listed. */
export function sweepFailed(r: SweepReport): boolean {
  return r.objects.some((o) => o.outcome === "failed") || r.notListed.some((n) => n.why.startsWith(LISTING_FAILED));
}

const message = (e: unknown) => redactor.text(e instanceof Error ? e.message : String(e));
const key = (kind: string, id: string) => `${kind} ${id}`;

/** The kinds in an order where each comes after the kinds its facet names in `after`; otherwise the registry's order. */
export function sweepOrder(): KindName[] {
  const names = Object.keys(KINDS) as KindName[];
  const after = (k: KindName): readonly string[] => {
    const f = KINDS[k].sweep;
    return f && "list" in f ? (f.after ?? []) : [];
  };
  const out: KindName[] = [];
  while (out.length < names.length) {
    const ready = names.filter((k) => !out.includes(k) && after(k).every((a) => out.includes(a as KindName) || !names.includes(a as KindName)));
    if (ready.length === 0) throw new Error(`sweep: the kinds' \`after\` orders form a cycle among ${names.filter((k) => !out.includes(k)).join(", ")}`);
    out.push(...ready);
  }
  return out;
}

interface Entry {
  kind: KindName;
  found: SweepFound;
  report: SweptObject;
}

export async function sweep(opts: SweepOptions): Promise<SweepReport> {
  const { prefix } = opts;
  if (prefix.length < MIN_PREFIX_LENGTH) {
    throw new SweepUsageError(
      `the prefix ${JSON.stringify(prefix)} is shorter than ${MIN_PREFIX_LENGTH} characters: it could match objects that are not yours. Nothing was listed`,
    );
  }
  const log = opts.log ?? (() => undefined);
  const session = new CommandClient(opts.settings, { userAgent: "pulumi-codearts-sweep", transcript: opts.transcript });
  const client = session.client;
  // What a kind says while deleting (e.g. "left in place") is kept as the object's detail.
  const said: string[] = [];
  const ctx: Context = {
    client,
    settings: opts.settings,
    log: (m) => {
      const line = redactor.text(m);
      said.push(line);
      log(line);
    },
  };
  const objects: Entry[] = [];
  const notListed: SweepReport["notListed"] = [];
  /** Kinds whose listing failed: what must be deleted after them is not attempted. */
  const unlisted = new Set<string>();
  const order = sweepOrder();

  try {
    for (const kind of order) {
      const facet = KINDS[kind].sweep;
      if (!facet) {
        notListed.push({ kind, why: "not swept: the kind has no listing to sweep by" });
        continue;
      }
      if ("notSwept" in facet) {
        notListed.push({ kind, why: facet.notSwept });
        continue;
      }
      if (facet.needsProject && !opts.codeartsProjectId) {
        notListed.push({ kind, why: `not listed: ${kind} objects live in a CodeArts project; name it with --project ID` });
        continue;
      }
      session.context = kind;
      try {
        const found = await facet.list(ctx, { prefix, codeartsProjectId: opts.codeartsProjectId });
        const seen = new Set<string>();
        for (const f of found) {
          // The facet filters already; checked again here, where the deletes are decided.
          if (typeof f.name !== "string" || !f.name.startsWith(prefix) || seen.has(f.id)) continue;
          seen.add(f.id);
          const outcome = facet.undeletable ? "undeletable" : "listed";
          const detail = facet.undeletable ?? (f.touchesOthers ? `will not be deleted: ${f.touchesOthers}` : opts.yes ? undefined : "would be deleted");
          objects.push({ kind, found: f, report: { kind, id: f.id, name: f.name, outcome, detail } });
        }
      } catch (e) {
        unlisted.add(kind);
        notListed.push({ kind, why: `${LISTING_FAILED}${message(e)}` });
      }
    }
    // In the order a sweep with `yes` deletes them: kind by kind, the innermost first.
    objects.splice(0, objects.length, ...order.flatMap((k) => innermostFirst(objects.filter((o) => o.kind === k))));
    for (const o of objects)
      log(
        `${o.report.outcome === "undeletable" ? "listed" : o.report.outcome}  ${o.kind}  ${o.found.id}  ${JSON.stringify(o.found.name)}${o.report.detail ? `  (${o.report.detail})` : ""}`,
      );
    if (opts.yes) {
      // The report lists the objects in the order they were deleted (or attempted).
      const done = await deleteAll(ctx, session, said, order, objects, unlisted, log);
      objects.splice(0, objects.length, ...done, ...objects.filter((o) => !done.includes(o)));
    }
  } finally {
    session.context = undefined;
    await session.close();
  }
  return { prefix, objects: objects.map((o) => o.report), notListed, calls: session.calls };
}

/** Objects of one kind, the ones inside others of the same kind first (sub-groups before their parents). */
function innermostFirst(entries: Entry[]): Entry[] {
  const byId = new Map(entries.map((e) => [e.found.id, e]));
  const depth = (e: Entry, seen = new Set<string>()): number => {
    const holder = e.found.inside && e.found.inside.kind === e.kind ? byId.get(e.found.inside.id) : undefined;
    if (!holder || seen.has(e.found.id)) return 0;
    seen.add(e.found.id);
    return 1 + depth(holder, seen);
  };
  return entries
    .map((e, i) => ({ e, i, d: depth(e) }))
    .sort((a, b) => b.d - a.d || a.i - b.i)
    .map((x) => x.e);
}

/** What the sweep calls of a kind, whatever its schema and outputs types. */
interface SweptKind {
  delete(ctx: Context, id: string, state: Record<string, unknown>): Promise<void>;
  read(ctx: Context, id: string, state: Record<string, unknown>): Promise<unknown>;
  notFoundCodes?: readonly string[];
  sweep?: { after?: readonly string[] } | { notSwept: string };
}
const sweptKind = (kind: KindName): SweptKind => KINDS[kind] as unknown as SweptKind;

/** `said` collects what the kinds log while deleting (ctx.log appends to it); emptied before each delete. */
async function deleteAll(
  ctx: Context,
  session: CommandClient,
  said: string[],
  order: KindName[],
  objects: Entry[],
  unlisted: Set<string>,
  log: (line: string) => void,
): Promise<Entry[]> {
  const done: Entry[] = [];
  const byKey = new Map(objects.map((o) => [key(o.kind, o.found.id), o]));
  /** Objects not to be attempted, and why: they hold something that could not be deleted. */
  const blocked = new Map<string, string>();
  /** Objects a delete left in place because their holder's delete takes them (X1 `whole`), by holder. */
  const waiting = new Map<string, Array<{ entry: Entry; said: string[] }>>();
  const holderOf = (o: Entry) => (o.found.inside ? byKey.get(key(o.found.inside.kind, o.found.inside.id)) : undefined);
  const block = (o: Entry, why: string) => {
    for (let h = holderOf(o), n = 0; h && n < 100; h = holderOf(h), n++) {
      const k = key(h.kind, h.found.id);
      if (!blocked.has(k)) blocked.set(k, why);
    }
  };
  const finish = (o: Entry, outcome: SweptObject["outcome"], detail?: string) => {
    o.report.outcome = outcome;
    o.report.detail = detail;
    if (outcome === "failed") block(o, `not attempted: it holds ${o.kind} ${JSON.stringify(o.found.name)} (${o.found.id}), which could not be deleted`);
    log(`${outcome}  ${o.kind}  ${o.found.id}  ${JSON.stringify(o.found.name)}${detail ? `  (${detail})` : ""}`);
  };

  for (const kind of order) {
    const kindDef = sweptKind(kind);
    const facet = kindDef.sweep;
    const mustFollow = facet && "after" in facet ? (facet.after ?? []).filter((a) => unlisted.has(a)) : [];
    const gone = (e: unknown) => e instanceof ApiError && e.provesAbsence(kindDef.notFoundCodes ?? []);
    const stillThere = async (o: Entry): Promise<boolean> => (await kindDef.read(ctx, o.found.id, o.found.state)) !== undefined;
    session.context = kind;
    for (const o of innermostFirst(objects.filter((x) => x.kind === kind && x.report.outcome === "listed"))) {
      const k = key(kind, o.found.id);
      done.push(o);
      if (mustFollow.length > 0) {
        finish(o, "failed", `not attempted: the ${mustFollow.join(" and ")} listing failed, and those objects must be deleted first`);
        continue;
      }
      if (blocked.has(k)) {
        finish(o, "failed", blocked.get(k));
        continue;
      }
      if (o.found.touchesOthers) {
        finish(o, "failed", `not deleted: ${o.found.touchesOthers}`);
        continue;
      }
      said.length = 0;
      try {
        await kindDef.delete(ctx, o.found.id, o.found.state);
      } catch (e) {
        if (!gone(e)) {
          finish(o, "failed", message(e));
          continue;
        }
      }
      const words = [...said];
      // Read back: a delete may leave an object in place on purpose (a published plug-in version, X1).
      try {
        if (!(await stillThere(o))) {
          finish(o, "deleted", words.length ? words.join("; ") : undefined);
        } else if (holderOf(o)) {
          const h = holderOf(o)!;
          const hk = key(h.kind, h.found.id);
          waiting.set(hk, [...(waiting.get(hk) ?? []), { entry: o, said: words }]);
          log(`left in place  ${kind}  ${o.found.id}: it goes with its ${h.kind} ${h.found.id}`);
        } else {
          finish(o, "failed", `the delete was accepted but the object is still there${words.length ? `: ${words.join("; ")}` : ""}`);
        }
      } catch (e) {
        finish(o, "failed", `deleted, but reading it back failed: ${message(e)}`);
        continue;
      }
      // A holder deleted: what it was to take with it is checked now.
      const taken = o.report.outcome === "deleted" ? waiting.get(k) : undefined;
      for (const w of taken ?? []) {
        session.context = w.entry.kind;
        try {
          const there = (await sweptKind(w.entry.kind).read(ctx, w.entry.found.id, w.entry.found.state)) !== undefined;
          w.entry.report.outcome = there ? "failed" : "deleted";
          w.entry.report.detail = there
            ? `still there after its ${kind} ${o.found.id} was deleted${w.said.length ? `: ${w.said.join("; ")}` : ""}`
            : `deleted with its ${kind} ${o.found.id} (its own delete left it in place${w.said.length ? `: ${w.said.join("; ")}` : ""})`;
        } catch (e) {
          w.entry.report.outcome = "failed";
          w.entry.report.detail = `its ${kind} ${o.found.id} was deleted, but reading it back failed: ${message(e)}`;
        }
        log(`${w.entry.report.outcome}  ${w.entry.kind}  ${w.entry.found.id}  (${w.entry.report.detail})`);
        session.context = kind;
      }
      if (taken) waiting.delete(k);
    }
  }
  // Left in place by a delete whose holder then failed or was not deleted.
  for (const ws of waiting.values()) {
    for (const w of ws) {
      w.entry.report.outcome = "failed";
      w.entry.report.detail = `left in place by its delete${w.said.length ? ` (${w.said.join("; ")})` : ""}, and its holder was not deleted`;
    }
  }
  return done;
}

/** `pulumi-codearts sweep`: the settings from HW_* variables (as doctor), the report on stdout, progress on stderr. */
export async function sweepCommand(args: { prefix?: string; project?: string; endpoint?: string; yes: boolean; json: boolean; transcript?: string }): Promise<number> {
  if (args.prefix === undefined || args.prefix.length < MIN_PREFIX_LENGTH) {
    console.error(
      `pulumi-codearts sweep: --prefix P is required, at least ${MIN_PREFIX_LENGTH} characters (a shorter one could match objects that are not yours); nothing was listed`,
    );
    return EXIT.usage;
  }
  if (args.project !== undefined && !/^[0-9a-f]{32}$/.test(args.project)) {
    console.error("pulumi-codearts sweep: --project must be a CodeArts project ID: 32 lower-case hexadecimal characters; nothing was listed");
    return EXIT.usage;
  }
  const settings = commandSettings(args.endpoint);
  const report = await sweep({
    settings,
    prefix: args.prefix,
    codeartsProjectId: args.project,
    yes: args.yes,
    log: (line) => process.stderr.write(`  ${line}\n`),
    transcript: args.transcript ? fileSink(args.transcript) : undefined,
  });
  process.stdout.write(args.json ? JSON.stringify(report, null, 2) + "\n" : renderSweep(report, args.yes));
  return sweepFailed(report) ? EXIT.failed : EXIT.ok;
}

const WHAT: Record<SweptObject["outcome"], string> = { listed: "would be deleted (dry run: pass --yes)", deleted: "deleted", undeletable: "cannot be deleted", failed: "FAILED" };

export function renderSweep(r: SweepReport, yes: boolean): string {
  const lines = [`${yes ? "Sweep" : "Dry run of a sweep"} of objects whose name starts with ${JSON.stringify(r.prefix)}: ${r.objects.length} found, ${r.calls} API calls`];
  for (const o of r.objects) {
    const what =
      o.outcome === "listed" ? WHAT.listed : o.outcome === "undeletable" ? (o.detail ?? WHAT.undeletable) : o.detail ? `${WHAT[o.outcome]}: ${o.detail}` : WHAT[o.outcome];
    lines.push(`${o.kind.padEnd(18)} ${o.id.padEnd(34)} ${JSON.stringify(o.name)}  ${what}`);
  }
  for (const n of r.notListed) lines.push(`${n.kind.padEnd(18)} ${"-".padEnd(34)} ${n.why}`);
  return lines.join("\n") + "\n";
}
