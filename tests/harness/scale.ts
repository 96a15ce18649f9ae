import { performance } from "perf_hooks";
import { claimed, Env, inventory, KINDS_UNDER_TEST, KindUnderTest, World } from "./kinds";

/**
 * The scale run (issue 8): many resources of every kind created, refreshed, updated and deleted
 * through one dynamic-provider host, `width` operations in flight, against the emulator with added
 * latency and seeded transient faults (503s and resets). A step that still fails is run again, as a
 * GitOps pipeline re-runs `pulumi up`. After every phase the service must hold exactly what the state
 * claims. Used by the test suite (asserting) and by `npm run bench` (printing).
 */
export interface ScaleOptions {
  perKind: number;
  width: number;
  latencyMs: number;
  /** Fraction of API requests failed before handling (half 503, half reset). */
  transientRate: number;
  seed: number;
  /** How many times one step is run at most (the first run and re-runs). */
  attempts?: number;
  /** CPU milliseconds used so far, per process: sampled before the first phase and after the last (the bench's CPU accounting). */
  cpuMs?: () => Record<string, number>;
}

export interface ScaleFigures {
  resources: number;
  kinds: number;
  /** Engine steps run (create, refresh, update, refresh, delete), re-runs included. */
  steps: number;
  /** Steps that failed and were run again. */
  reruns: number;
  apiCalls: number;
  injectedFaults: number;
  /** The phases' time: the steps alone, not the inventory checks the harness makes between phases. */
  wallMs: number;
  /** API calls × latency ÷ width: the time the requests alone would take with perfect overlap. */
  idealMs: number;
  phases: Array<{ phase: string; ms: number; apiCalls: number }>;
  /** Mean time of one step, per phase and kind: where the time goes. */
  stepMs: Record<string, Record<string, number>>;
  /** Broken invariants; empty when nothing was lost or duplicated. */
  problems: string[];
  /** CPU milliseconds per process over the phases (inventory checks included), when `cpuMs` was given. */
  cpu?: Record<string, number>;
}

interface Item {
  k: KindUnderTest;
  env: Env;
  n: number;
  name: string;
}

async function pool<T>(items: readonly T[], width: number, one: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await one(items[next++]);
    }),
  );
}

export async function scaleRun(w: World, opts: ScaleOptions): Promise<ScaleFigures> {
  const attempts = opts.attempts ?? 3;
  const problems: string[] = [];
  const forgotten = new Set<string>();
  const items: Item[] = [];
  for (const k of KINDS_UNDER_TEST) {
    const env = k.setup ? await k.setup(w) : {};
    for (let i = 0; i < opts.perKind; i++) {
      const n = 100_000 + items.length;
      k.seed?.(w, n);
      items.push({ k, env, n, name: `scale-${n}` });
    }
  }
  let steps = 0;
  let reruns = 0;
  const spent: Record<string, Record<string, number[]>> = {};
  const step = async (label: string, it: Item, run: () => Promise<unknown>): Promise<void> => {
    const started = performance.now();
    try {
      await runStep(label, it, run);
    } finally {
      ((spent[label] ??= {})[it.k.type] ??= []).push(performance.now() - started);
    }
  };
  const runStep = async (label: string, it: Item, run: () => Promise<unknown>): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      steps++;
      try {
        await run();
        return;
      } catch (e) {
        if (attempt >= attempts) {
          problems.push(`${it.k.type} ${it.name} ${label}: still failing after ${attempts} runs: ${(e as Error).message.split("\n")[0]}`);
          return;
        }
        reruns++;
      }
    }
  };
  const holdsWhatStateClaims = (phase: string) => {
    for (const k of KINDS_UNDER_TEST) {
      const held = inventory(w, k)
        .filter((id) => !forgotten.has(id))
        .sort();
      const claims = claimed(w, k).sort();
      const extra = held.filter((id) => !claims.includes(id));
      const gone = claims.filter((id) => !held.includes(id));
      if (extra.length) problems.push(`after ${phase}: ${k.type} objects the state does not know: ${extra.join(", ")}`);
      if (gone.length) problems.push(`after ${phase}: ${k.type} objects the state claims that are gone: ${gone.join(", ")}`);
    }
  };

  const phases: ScaleFigures["phases"] = [];
  const phase = async (name: string, one: (it: Item) => Promise<void>) => {
    const mark = w.emu.log.mark();
    const t0 = performance.now();
    await pool(items, opts.width, one);
    phases.push({ phase: name, ms: performance.now() - t0, apiCalls: w.emu.log.since(mark).length });
    holdsWhatStateClaims(name);
  };
  const declared = (it: Item, updated: boolean) => (updated && it.k.updated ? it.k.updated(it.env, it.n) : it.k.inputs(it.env, it.n));

  // Warm-up: a preview per kind serializes its provider once (a child process, ~1 s), outside the figures.
  for (const k of KINDS_UNDER_TEST) {
    const first = items.find((it) => it.k === k)!;
    await w.engine.preview(k.type, first.name, declared(first, false));
  }
  const mark = w.emu.log.mark();
  w.emu.faults.setLatency(opts.latencyMs);
  w.emu.faults.setTransientRate(opts.transientRate, opts.seed);
  const cpuBefore = opts.cpuMs?.();
  let cpuAfter: Record<string, number> | undefined;
  try {
    await phase("create", (it) => step("create", it, () => w.engine.up(it.k.type, it.name, declared(it, false))));
    await phase("refresh", (it) =>
      step("refresh", it, async () => {
        const r = await w.engine.refresh(it.k.type, it.name);
        if (r.op === "gone") problems.push(`${it.k.type} ${it.name}: refresh found it gone`);
      }),
    );
    await phase("update", (it) => step("update", it, () => w.engine.up(it.k.type, it.name, declared(it, true))));
    await phase("refresh, then preview: no change", (it) =>
      step("refresh + preview", it, async () => {
        await w.engine.refresh(it.k.type, it.name);
        const p = await w.engine.preview(it.k.type, it.name, declared(it, true));
        if (p.op !== "same") problems.push(`${it.k.type} ${it.name}: after update and refresh, preview wants "${p.op}"`);
      }),
    );
    await phase("delete", (it) =>
      step("delete", it, async () => {
        const st = w.engine.state.get(w.engine.urn(it.k.type, it.name));
        await w.engine.destroy(it.k.type, it.name);
        if (it.k.deleteKeeps && st) forgotten.add(st.id);
      }),
    );
    cpuAfter = opts.cpuMs?.();
  } finally {
    w.emu.faults.clear();
  }
  // The inventory checks between phases are the harness's, not the workload's: they are left out.
  const wallMs = phases.reduce((sum, p) => sum + p.ms, 0);
  const log = w.emu.log.since(mark);
  return {
    resources: items.length,
    kinds: KINDS_UNDER_TEST.length,
    steps,
    reruns,
    apiCalls: log.length,
    injectedFaults: log.filter((e) => e.fault).length,
    wallMs,
    idealMs: (log.length * opts.latencyMs) / opts.width,
    phases,
    stepMs: Object.fromEntries(
      Object.entries(spent).map(([label, byKind]) => [label, Object.fromEntries(Object.entries(byKind).map(([k, ms]) => [k, ms.reduce((a, b) => a + b, 0) / ms.length]))]),
    ),
    problems,
    cpu: cpuBefore && cpuAfter ? Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v - (cpuBefore[k] ?? 0)])) : undefined,
  };
}
