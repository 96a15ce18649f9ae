import { KINDS_UNDER_TEST, KindUnderTest } from "../tests/harness/kinds";
import { stackConfig, startWorld, World } from "../tests/harness/world";
import { PROVEN_DIALECT, provenConfig } from "../tests/support/provenDialect";

/** Create, read (refresh), update, delete of one object per kind (and per create variant), counted from the emulator's log. */
export interface KindCalls {
  kind: string;
  variant?: string;
  create: number;
  read: number;
  update?: number;
  delete: number;
}

/**
 * Every kind's four operations through the real dynamic-provider host, as the fault matrix drives them
 * (tests/harness/kinds.ts). `proven`: the emulator speaks PROVEN_DIALECT and the provider is told so
 * (huaweicloud:provenReadings); otherwise the default readings and no setting.
 */
export async function callsPerKind(proven: boolean): Promise<KindCalls[]> {
  const w = await startWorld(proven ? { dialect: { ...PROVEN_DIALECT }, config: (emu) => ({ ...stackConfig(emu), ...provenConfig(PROVEN_DIALECT) }) } : {});
  const out: KindCalls[] = [];
  try {
    let n = 100;
    for (const k of KINDS_UNDER_TEST) {
      const env = k.setup ? await k.setup(w) : {};
      const variants: Array<[string | undefined, KindUnderTest["inputs"]]> = [[undefined, k.inputs]];
      for (const s of k.steps ?? []) if (s.operation === "create" && s.inputs) variants.push([s.what, s.inputs]);
      for (const [variant, inputs] of variants) {
        n++;
        k.seed?.(w, n);
        const name = `calls-${n}`;
        const create = await counted(w, () => w.engine.up(k.type, name, inputs(env, n)));
        const read = await counted(w, () => w.engine.refresh(k.type, name));
        const update = !variant && k.updated ? await counted(w, () => w.engine.up(k.type, name, k.updated!(env, n))) : undefined;
        const del = await counted(w, () => w.engine.destroy(k.type, name));
        out.push({ kind: k.type, variant, create, read, update, delete: del });
      }
    }
  } finally {
    await w.close();
  }
  return out;
}

async function counted(w: World, step: () => Promise<unknown>): Promise<number> {
  const mark = w.emu.log.mark();
  await step();
  return w.emu.log.since(mark).length;
}

/** Refresh of `n` groups of one project at once (as the engine refreshes), the emulator at 20 ms: how many tree requests it costs. */
export async function refreshAtOnce(n: number): Promise<{ groups: number; treeRequests: number; calls: number }> {
  const w = await startWorld();
  try {
    const P = w.account.codeartsProjects[0];
    for (let i = 0; i < n; i++) await w.engine.up("PipelineGroup", `r${i}`, { projectId: P, name: `refresh ${i}` });
    // At the 20 ms of the other figures: with no latency the first read is answered before the others arrive.
    w.emu.faults.setLatency(20);
    const mark = w.emu.log.mark();
    await Promise.all(Array.from({ length: n }, (_, i) => w.engine.refresh("PipelineGroup", `r${i}`)));
    const served = w.emu.log.since(mark);
    w.emu.faults.setLatency(0);
    for (let i = 0; i < n; i++) await w.engine.destroy("PipelineGroup", `r${i}`);
    return { groups: n, treeRequests: served.filter((e) => e.operation === "PipelineGroup.tree").length, calls: served.length };
  } finally {
    await w.close();
  }
}
