/**
 * Provider RPC traces of the real engine and of the engine stand-in side by side, for
 * tests/engine/standIn.test.ts: the real CLI's PULUMI_DEBUG_GRPC log and the stand-in's `calls`
 * (engine.ts) read into one shape, compared resource by resource and field by field, and checked for
 * the order the engine promises across resources.
 *
 * PULUMI_DEBUG_GRPC=<file> (sdk/go/pulumi-internal/rpcdebug @ v3.277.0) makes the CLI append one JSON
 * line per gRPC event of every plugin it talks to: `{method, request, metadata, progress:
 * "request_started", timestamp}` when a call goes out, then `{method, request, response | errors,
 * metadata, progress: "response_completed", timestamp, duration}` when it comes back, messages in
 * protojson (the shape the stand-in records). Lines are appended under a lock, so their order is the
 * order things happened in.
 */
import type { TraceEntry } from "./engine";

/** The provider methods compared: the resource lifecycle and the provider's configuration. */
export const COMPARED = ["Configure", "Check", "Diff", "Create", "Update", "Delete", "Read"] as const;
export type ComparedMethod = (typeof COMPARED)[number];

export interface Rpc {
  method: ComparedMethod;
  urn: string;
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  errors?: string[];
  /** Positions on one clock per trace: the call went out at `started`, came back at `completed`. */
  started: number;
  completed: number;
}

const short = (method: string): string => method.split("/").pop() ?? method;
const compared = (method: string): method is `/pulumirpc.ResourceProvider/${ComparedMethod}` =>
  method.startsWith("/pulumirpc.ResourceProvider/") && (COMPARED as readonly string[]).includes(short(method));

/** The compared provider calls of a PULUMI_DEBUG_GRPC log (its text, or the part one operation appended). */
export function readGrpcLog(text: string): Rpc[] {
  const out: Rpc[] = [];
  const open = new Map<string, number[]>();
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const e = JSON.parse(line) as { method: string; request?: Record<string, unknown>; response?: Record<string, unknown>; errors?: string[]; progress?: string };
    if (!compared(e.method)) return;
    const urn = String(e.request?.urn ?? "");
    // A resource's calls never overlap with the same method, so a call's two lines pair up by method and URN.
    const key = `${e.method} ${urn}`;
    if (e.progress === "request_started") {
      open.set(key, [...(open.get(key) ?? []), i]);
      return;
    }
    const started = open.get(key)?.shift();
    if (started === undefined) throw new Error(`PULUMI_DEBUG_GRPC line ${i + 1}: a completion of ${key} that never started`);
    out.push({ method: short(e.method) as ComparedMethod, urn, request: e.request ?? {}, response: e.response, errors: e.errors, started, completed: i });
  });
  const unfinished = [...open].filter(([, starts]) => starts.length > 0).map(([k]) => k);
  if (unfinished.length) throw new Error(`PULUMI_DEBUG_GRPC: calls that never completed: ${unfinished.join(", ")}`);
  return out.sort((a, b) => a.started - b.started);
}

/** The stand-in's calls (Engine.calls) in the same shape. */
export function fromStandIn(calls: readonly TraceEntry[]): Rpc[] {
  return calls
    .filter((c) => compared(c.method))
    .map((c) => ({
      method: short(c.method) as ComparedMethod,
      urn: String(c.request.urn ?? ""),
      request: c.request,
      response: c.response,
      errors: c.errors,
      started: c.started,
      completed: c.completed ?? Number.MAX_SAFE_INTEGER,
    }));
}

/** Calls grouped by URN, each group in the order the calls went out. */
export function byUrn(trace: readonly Rpc[]): Map<string, Rpc[]> {
  const m = new Map<string, Rpc[]>();
  for (const c of trace) m.set(c.urn, [...(m.get(c.urn) ?? []), c]);
  return m;
}

const resourceName = (urn: string) =>
  urn
    .split("::")
    .slice(2)
    .join("::")
    .replace(/^pulumi-nodejs:dynamic\/codearts:/, "");

// ---------------------------------------------------------------------------------------------
// Normalisation: every value that may legitimately differ between the two runs, and why.

/**
 * Request fields the real engine sends that the stand-in does not, with the reason each may differ:
 * - Check `oldOutputs`: v3.277 sends the old outputs to Check; the dynamic-provider host speaks the
 *   protocol of @pulumi/pulumi (3.248 here), whose CheckRequest has no such field, so the host drops
 *   it on decoding and the provider never sees it (and the stand-in, encoding with that protocol,
 *   cannot send it).
 * - `resourceStatusAddress` / `resourceStatusToken` (Create, Update, Delete, Read): the address of the
 *   engine's ResourceStatus service for this run and a per-step token, for providers that publish
 *   views; the dynamic-provider host never reads them, and the stand-in has no such service.
 */
export const REAL_ONLY_FIELDS: Partial<Record<ComparedMethod, string[]>> = {
  Check: ["oldOutputs"],
  Create: ["resourceStatusAddress", "resourceStatusToken"],
  Update: ["resourceStatusAddress", "resourceStatusToken"],
  Delete: ["resourceStatusAddress", "resourceStatusToken"],
  Read: ["resourceStatusAddress", "resourceStatusToken"],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Fields random by design, replaced by what they must be:
 * - Check `randomSeed`: 32 random bytes per call (the engine's seed for a provider's random values).
 * - Configure `id`: the default provider's ID, a fresh UUID per stack.
 * And each side's emulator URL (its port; only in the provider's configuration) becomes `<emulator>`.
 * Nothing else is normalised: `__provider` (the serialized provider) is compared as it is, and is the
 * same text whether the CLI runs the program inline or the stand-in runs it as a file, since both
 * serialize the same closures of the built package.
 */
function normalise(c: Rpc, emulatorUrl: string, part: "request" | "response"): Record<string, unknown> {
  const v = structuredClone((part === "request" ? c.request : c.response) ?? {}) as Record<string, unknown>;
  if (part === "request") {
    for (const k of REAL_ONLY_FIELDS[c.method] ?? []) delete v[k];
    if (c.method === "Check" && typeof v.randomSeed === "string" && Buffer.from(v.randomSeed, "base64").length === 32) v.randomSeed = "<32 random bytes>";
    if (c.method === "Configure" && typeof v.id === "string" && UUID.test(v.id)) v.id = "<uuid>";
  }
  const replaceUrl = (x: unknown): unknown => {
    if (typeof x === "string") return x.split(emulatorUrl).join("<emulator>");
    if (Array.isArray(x)) return x.map(replaceUrl);
    if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, replaceUrl(y)]));
    return x;
  };
  return replaceUrl(v) as Record<string, unknown>;
}

/**
 * What each emulator made up where the other made up something else: ids (32 random hex digits, or a
 * script's date-and-random id), creation and update times, revision tokens. Each side has its own
 * emulator, so the same request gets different such values back. They are learned from the answers
 * of Create, Update and Read, aligned call by call (the calls having matched): wherever the two answers
 * hold different strings or numbers at the same place, the real value and the stand-in's are recorded
 * as a pair, and from then on that pair counts as equal in every request and answer. So a request must
 * carry the counterpart of the very value the other side carries (the id of the same object, the
 * version from the same answer), not merely some value.
 */
export class Minted {
  private readonly pairs = new Set<string>();

  same(a: unknown, b: unknown): boolean {
    return a === b || this.pairs.has(JSON.stringify([a, b]));
  }

  get size(): number {
    return this.pairs.size;
  }

  learn(real: readonly Rpc[], standIn: readonly Rpc[]): void {
    const s = byUrn(standIn);
    for (const [urn, calls] of byUrn(real)) {
      const other = s.get(urn) ?? [];
      calls.forEach((c, i) => {
        const o = other[i];
        if (!o || o.method !== c.method || !["Create", "Update", "Read"].includes(c.method)) return;
        this.walk(c.response ?? {}, o.response ?? {});
      });
    }
  }

  private walk(a: unknown, b: unknown): void {
    if ((typeof a === "string" && typeof b === "string") || (typeof a === "number" && typeof b === "number")) {
      if (a !== b) this.pairs.add(JSON.stringify([a, b]));
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      a.forEach((x, i) => this.walk(x, b[i]));
      return;
    }
    if (a && b && typeof a === "object" && typeof b === "object") {
      for (const k of Object.keys(a)) if (k in b) this.walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    }
  }
}

const show = (v: unknown): string => (v === undefined ? "(absent)" : JSON.stringify(v).slice(0, 120));

/** Field-by-field differences of two JSON values, as `path: real … ≠ stand-in …` lines. */
export function fieldDiffs(path: string, a: unknown, b: unknown, minted: Minted, out: string[] = []): string[] {
  if (minted.same(a, b)) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: real has ${a.length} items ${show(a)} ≠ stand-in ${b.length} ${show(b)}`);
    else a.forEach((x, i) => fieldDiffs(`${path}[${i}]`, x, b[i], minted, out));
    return out;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) fieldDiffs(`${path}.${k}`, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], minted, out);
    return out;
  }
  out.push(`${path}: real ${show(a)} ≠ stand-in ${show(b)}`);
  return out;
}

/**
 * Resource by resource (URN), the calls the real engine made and those the stand-in made: the same
 * methods in the same order, and in each call the same request and answer, field by field, after the
 * normalisation above. Returns one line per difference (empty: none).
 */
export function compareTraces(real: readonly Rpc[], standIn: readonly Rpc[], minted: Minted, emulators: { real: string; standIn: string }): string[] {
  const problems: string[] = [];
  const r = byUrn(real);
  const s = byUrn(standIn);
  for (const urn of [...new Set([...r.keys(), ...s.keys()])].sort()) {
    const a = r.get(urn) ?? [];
    const b = s.get(urn) ?? [];
    const name = resourceName(urn);
    const seq = (x: Rpc[]) => `[${x.map((c) => c.method).join(", ")}]`;
    if (seq(a) !== seq(b)) {
      problems.push(`${name}: calls: real ${seq(a)} ≠ stand-in ${seq(b)}`);
      continue;
    }
    a.forEach((c, i) => {
      const o = b[i];
      const where = `${name} ${c.method}#${i + 1}`;
      for (const part of ["request", "response"] as const) {
        for (const d of fieldDiffs(part, normalise(c, emulators.real, part), normalise(o, emulators.standIn, part), minted)) problems.push(`${where} ${d}`);
      }
      if (show(c.errors) !== show(o.errors)) problems.push(`${where} errors: real ${show(c.errors)} ≠ stand-in ${show(o.errors)}`);
    });
  }
  return problems;
}

/** One operation's shape, for the order the engine promises across resources. */
export type OperationKind = "update" | "preview" | "refresh" | "destroy";

/**
 * The order the engine promises across resources (its steps run concurrently, so no global order is
 * compared), checked on one trace. `dependencies`: per URN, the URNs it depends on (RegisterResource
 * `dependencies`, as the state keeps them).
 * - update / preview: registrations are checked and diffed one at a time (the step generator handles
 *   one event at a time), so no two Check/Diff calls overlap; a resource's first call goes out after
 *   the last Check/Diff/Create/Update of everything it depends on came back (the program registers it
 *   once their outputs are known).
 * - Deletes that are not part of a delete-before-replace (the resources the program dropped, the old
 *   objects of create-before-delete replacements, everything in a destroy) go out after every other
 *   step came back, in the waves of step_generator.go `ScheduleDeletes`: each wave starts once the
 *   previous one has come back entirely, and a resource is in a later wave than whatever depends on it.
 */
export function orderProblems(trace: readonly Rpc[], kind: OperationKind, dependencies: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  const calls = trace.filter((c) => c.method !== "Configure");
  const urns = byUrn(calls);
  if (kind === "update" || kind === "preview") {
    const planning = calls.filter((c) => c.method === "Check" || c.method === "Diff");
    for (const c of planning) {
      const overlapping = planning.filter((o) => o !== c && o.urn !== c.urn && o.started < c.completed && c.started < o.completed);
      for (const o of overlapping) if (o.started > c.started) problems.push(`${resourceName(o.urn)} ${o.method} went out while ${resourceName(c.urn)} ${c.method} was running`);
    }
    for (const [urn, own] of urns) {
      const first = own[0];
      for (const dep of dependencies.get(urn) ?? []) {
        const before = (urns.get(dep) ?? []).filter((c) => c.method !== "Delete" && c.method !== "Read");
        const last = before[before.length - 1];
        if (last && last.completed > first.started)
          problems.push(`${resourceName(urn)} ${first.method} went out before ${resourceName(dep)} ${last.method} (a dependency) came back`);
      }
    }
  }
  // Post-step deletes: every Delete but one followed by a Create of the same URN (delete-before-replace).
  const postDeletes = calls.filter((c) => c.method === "Delete" && !(urns.get(c.urn) ?? []).some((o) => o.method === "Create" && o.started > c.started));
  const others = calls.filter((c) => c.method !== "Delete" || !postDeletes.includes(c));
  for (const d of postDeletes) {
    const late = others.filter((o) => o.completed > d.started && o.method !== "Read");
    for (const o of late) problems.push(`${resourceName(d.urn)} Delete went out before ${resourceName(o.urn)} ${o.method} came back`);
  }
  const waves = scheduleDeletes(postDeletes.map((d) => ({ urn: d.urn, dependencies: [...(dependencies.get(d.urn) ?? [])] })));
  for (let w = 1; w < waves.length; w++) {
    const earlier = postDeletes.filter((d) => waves[w - 1].includes(d.urn));
    for (const d of postDeletes.filter((x) => waves[w].includes(x.urn))) {
      for (const e of earlier)
        if (e.completed > d.started) problems.push(`${resourceName(d.urn)} Delete (wave ${w + 1}) went out before ${resourceName(e.urn)} Delete (wave ${w}) came back`);
    }
  }
  return problems;
}

/**
 * step_generator.go `ScheduleDeletes` @ v3.277.0, written out again here rather than shared with the
 * stand-in, so a mistake in one does not hide in the other: while condemned resources are left, those
 * with no condemned dependency form a wave and leave; the waves, reversed, are the order of deletion.
 */
export function scheduleDeletes(condemned: Array<{ urn: string; dependencies: string[] }>): string[][] {
  const waves: string[][] = [];
  let left = condemned;
  while (left.length) {
    const here = new Set(left.map((c) => c.urn));
    const wave = left.filter((c) => !c.dependencies.some((d) => d !== c.urn && here.has(d)));
    if (!wave.length) throw new Error("scheduleDeletes: a dependency cycle");
    waves.push(wave.map((c) => c.urn));
    left = left.filter((c) => !wave.includes(c));
  }
  return waves.reverse();
}
