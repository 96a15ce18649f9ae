/**
 * Acceptance suite (issue 16 item 1; docs/acceptance.md): every kind's lifecycle through the real
 * dynamic-provider host, against a Huawei Cloud account (CODEARTS_ACC=1) or the embedded emulator
 * (CODEARTS_ACC=emulator); skipped with one line otherwise.
 *
 * Lifecycle: create, read (refresh), no-op, update (where the API has one) with a refresh and a
 * no-op after it, adoption of the object by a second resource (`adoptId`, where the kind is
 * readable), delete, and a read after the delete that must find nothing. Every check goes through
 * the provider; in emulator mode the emulator's store is also compared with the state after each step.
 * `afterAll` destroys whatever the run still holds, in reverse creation order, then runs the sweeper
 * over the run's prefix as a backstop.
 */
import type { KindName } from "../../provider/kinds";
import { KINDS_UNDER_TEST, stateMismatch } from "../harness/kinds";
import type { StepResult } from "../harness";
import { ACC_KINDS, AccContext, AccKind } from "./kinds";
import { accMode, AccWorld, backstopSweep, say, SKIP_LINE, startAccWorld } from "./support";

const mode = accMode();

interface KindRecord {
  kind: KindName;
  outcome: string;
  ms: number;
  /** API calls per step (emulator mode). */
  calls: Record<string, number>;
  /** The APIs the lifecycle called, by the emulator's operation name (emulator mode). */
  operations: Set<string>;
}

const STEP_COLUMNS = ["setup", "create", "read", "no-op", "update", "refresh", "adopt", "delete", "gone?", "cleanup"] as const;

if (mode === "off") {
  test("acceptance suite", () => {
    say(SKIP_LINE);
  });
} else {
  describe(`acceptance (${mode === "cloud" ? "Huawei Cloud account" : "emulator"})`, () => {
    let w: AccWorld;
    const t0 = Date.now();
    const records: KindRecord[] = [];
    const timeout = mode === "cloud" ? 10 * 60_000 : 60_000;

    beforeAll(async () => {
      w = await startAccWorld(mode);
      say(
        `run prefix ${w.prefix.dashed} (${w.prefix.underscored} where a name forbids "-"); ${mode === "cloud" ? `region ${w.inputs.region}, CodeArts project ${w.inputs.codeartsProjectId}` : "embedded emulator"}`,
      );
    }, 120_000);

    afterAll(
      async () => {
        if (!w) return;
        const problems: string[] = [];
        try {
          problems.push(...(await cleanup(w, records)));
          if (mode === "emulator") {
            printCallTable(records);
            problems.push(...leftInEmulator(w));
          }
        } finally {
          await w.close();
          say(`acceptance run took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        }
        if (problems.length) throw new Error(`acceptance cleanup:\n- ${problems.join("\n- ")}`);
      },
      mode === "cloud" ? 20 * 60_000 : 60_000,
    );

    for (const k of ACC_KINDS) {
      test(
        k.type,
        async () => {
          const rec: KindRecord = { kind: k.type, outcome: "", ms: 0, calls: {}, operations: new Set() };
          records.push(rec);
          const started = Date.now();
          try {
            rec.outcome = await lifecycle(w, k, rec);
          } catch (e) {
            rec.outcome = `FAILED: ${(e as Error).message.split("\n")[0]}`;
            throw e;
          } finally {
            rec.ms = Date.now() - started;
            say(`${k.type}: ${rec.outcome} (${(rec.ms / 1000).toFixed(1)} s)`);
          }
        },
        timeout,
      );
    }
  });
}

/** Which kind's setup made a resource (URN): afterAll's destroy of it is counted for that kind. */
const madeBy = new Map<string, KindRecord>();

/** One kind's lifecycle; resolves to the steps it ran, rejects naming the step that failed. */
async function lifecycle(w: AccWorld, k: AccKind, rec: KindRecord): Promise<string> {
  const base = { w, p: w.prefix.dashed, u: w.prefix.underscored };
  const cannot = k.cannotRun?.(base);
  if (cannot) {
    say(cannot);
    return "skipped";
  }
  w.seed?.(k.type);
  const e = w.engine;
  const name = `${w.prefix.dashed}-${k.type.toLowerCase()}`;
  const steps: string[] = [];
  const forgotten = new Set<string>();
  const underTest = KINDS_UNDER_TEST.find((x) => x.type === k.type)!;

  /** Runs one step, counting its API calls in emulator mode and comparing the store with the state after it. */
  const run = async <T>(label: (typeof STEP_COLUMNS)[number], body: () => Promise<T>): Promise<T> => {
    const mark = w.emu?.log.mark();
    let out: T;
    try {
      out = await body();
    } catch (err) {
      throw new Error(`${k.type} ${label}: ${(err as Error).message}`, { cause: err });
    } finally {
      if (w.emu) {
        const served = w.emu.log.since(mark!);
        rec.calls[label] = (rec.calls[label] ?? 0) + served.length;
        for (const entry of served) rec.operations.add(entry.operation ?? `${entry.method} ${entry.path}`);
      }
    }
    if (w.emu && label !== "setup" && label !== "gone?") {
      const m = stateMismatch({ emu: w.emu, engine: e }, underTest, forgotten);
      if (m) throw new Error(`${k.type} ${label}: ${m}`);
    }
    if (!steps.includes(label)) steps.push(label);
    return out;
  };
  const expectOp = (what: string, r: StepResult, want: StepResult["op"]) => {
    if (r.op !== want) throw new Error(`${what}: op ${r.op}, expected ${want}${r.failures ? `: ${JSON.stringify(r.failures)}` : ""}`);
  };
  const expectIdentity = (r: StepResult, declared: Record<string, unknown>) => {
    const [key, value] = k.identity(declared);
    const got = r.state?.outputs[key];
    if (got !== value) throw new Error(`output ${key} reads back ${JSON.stringify(got)}, declared ${JSON.stringify(value)}`);
  };

  const before = new Set(e.state.keys());
  const env = k.setup ? await run("setup", () => k.setup!(base)) : {};
  for (const urn of e.state.keys()) if (!before.has(urn)) madeBy.set(urn, rec); // its dependencies' cleanup counts for it
  const c: AccContext = { ...base, env };
  let declared = k.inputs(c);

  const created = await run("create", async () => {
    const r = await e.up(k.type, name, declared);
    expectOp("create", r, "create");
    expectIdentity(r, declared);
    return r.state!;
  });
  await run("read", async () => {
    const r = await e.refresh(k.type, name);
    expectOp("read", r, "refresh");
    expectIdentity(r, declared);
    if (r.state!.id !== created.id) throw new Error(`read gave id ${r.state!.id}, created ${created.id}`);
  });
  await run("no-op", async () => expectOp("no-op", await e.up(k.type, name, declared), "same"));

  const change = k.updated?.(c);
  if (typeof change === "string") {
    say(change);
    steps.push("update skipped");
  } else if (change) {
    declared = change;
    await run("update", async () => {
      const r = await e.up(k.type, name, declared);
      expectOp("update", r, "update");
      expectIdentity(r, declared);
    });
    await run("refresh", async () => {
      const r = await e.refresh(k.type, name);
      expectOp("refresh", r, "refresh");
      expectIdentity(r, declared);
      expectOp("no-op after update", await e.up(k.type, name, declared), "same");
    });
  } else {
    steps.push(`no update (${k.noUpdate ?? "no update API"})`);
  }

  let owner = name;
  if (k.readable) {
    // Adoption: a second resource takes the same object under management; the first lets go by being
    // removed from the state (as `pulumi state delete` would), so one resource owns it.
    await run("adopt", async () => {
      const adopted = await e.up(k.type, `${name}-adopted`, { ...declared, adoptId: created.id });
      expectOp("adopt", adopted, "create");
      if (adopted.state!.id !== created.id) throw new Error(`recorded ${adopted.state!.id}, expected ${created.id}`);
      expectIdentity(adopted, declared);
      e.state.delete(e.urn(k.type, name));
      owner = `${name}-adopted`;
    });
  }
  await run("delete", async () => expectOp("delete", await e.destroy(k.type, owner), "delete"));
  if (k.deleteKeeps) {
    say(`left behind: ${k.type} ${created.id} "${String(declared.name)}": ${k.deleteKeeps}`);
    steps.push("left behind (no delete API)");
  }
  if (k.readable) {
    // The provider's own read after the delete: gone (or, with no delete API, still there).
    await run("gone?", async () => {
      const probe = `${name}-probe`;
      const want = k.deleteKeeps ? "read" : "gone";
      // A real service's lists may lag a delete by a moment: the cloud run asks up to 3 times, 2 s apart.
      let r: StepResult | undefined;
      for (let attempt = 0; attempt < (w.mode === "cloud" ? 3 : 1); attempt++) {
        if (attempt > 0) await new Promise((done) => setTimeout(done, 2000));
        r = await e.get(k.type, probe, created.id, declared);
        e.state.delete(e.urn(k.type, probe));
        if (r.op === want) break;
      }
      if (r!.op !== want) {
        throw new Error(k.deleteKeeps ? `a read no longer finds the kept object (op ${r!.op})` : `a read still finds ${created.id} after the delete`);
      }
    });
  }
  return steps.join(", ");
}

/**
 * Destroys every resource still in the state (a failed lifecycle's, the kinds' dependencies), in
 * reverse creation order, through the host; then the sweeper backstop over the run's prefixes.
 */
async function cleanup(w: AccWorld, records: KindRecord[]): Promise<string[]> {
  const problems: string[] = [];
  const left = [...w.engine.state.values()].reverse();
  if (left.length) say(`cleanup: destroying ${left.length} resource(s) still in the state: ${left.map((s) => `${s.type} ${s.name}`).join(", ")}`);
  for (const st of left) {
    const mark = w.emu?.log.mark();
    try {
      await w.engine.destroy(st.type, st.name);
    } catch (err) {
      problems.push(`destroy ${st.type} ${st.name} (${st.id}): ${(err as Error).message.split("\n")[0]}`);
    } finally {
      const rec = madeBy.get(st.urn) ?? records.find((r) => r.kind === st.type);
      if (w.emu && rec) {
        const served = w.emu.log.since(mark!);
        rec.calls.cleanup = (rec.calls.cleanup ?? 0) + served.length;
        for (const entry of served) rec.operations.add(entry.operation ?? `${entry.method} ${entry.path}`);
      }
    }
  }
  const testPlansOnly = (kind: string) => kind === "TestPlan";
  // The `_` form first: plug-ins go before the publishers bound to them.
  for (const prefix of [w.prefix.underscored, w.prefix.dashed]) {
    let report;
    try {
      report = await backstopSweep({ settings: w.settings, prefix, codeartsProjectId: w.inputs.codeartsProjectId, log: (l) => say(`sweep: ${l}`) });
    } catch (err) {
      problems.push(`sweeper backstop (${prefix}): ${(err as Error).message.split("\n")[0]}`);
      continue;
    }
    const found = report.objects.map((o) => `${o.kind} ${o.id} "${o.name}": ${o.outcome}${o.detail ? ` (${o.detail})` : ""}`);
    say(
      `sweeper backstop (${prefix}): ${report.calls} call(s), ${report.objects.length} object(s)${found.length ? `: ${found.join("; ")}` : ""}${report.notListed.length ? `; not listed: ${report.notListed.map((n) => `${n.kind} (${n.why})`).join(", ")}` : ""}`,
    );
    const undeleted = report.objects.filter((o) => !testPlansOnly(o.kind));
    if (w.mode === "emulator" && undeleted.length) {
      problems.push(`the sweeper found what the run's destroy left (only TestPlans may remain): ${undeleted.map((o) => `${o.kind} ${o.id} "${o.name}" ${o.outcome}`).join("; ")}`);
    }
  }
  return problems;
}

/** Emulator mode only: no object of the run's prefix may remain in the store except test plans. */
function leftInEmulator(w: AccWorld): string[] {
  const { dashed, underscored } = w.prefix;
  const kindOf = new Map(KINDS_UNDER_TEST.map((k) => [k.collection, k]));
  const left: string[] = [];
  let plans = 0;
  for (const [collection, byTenant] of Object.entries(w.emu!.store.snapshot())) {
    for (const records of Object.values(byTenant)) {
      for (const [key, record] of Object.entries(records)) {
        const text = `${key} ${JSON.stringify(record)}`;
        if (!text.includes(dashed) && !text.includes(underscored)) continue;
        const k = kindOf.get(collection);
        if (k?.idOf && k.idOf(key, record as Record<string, unknown>) === undefined) continue; // deleted (soft-delete flag)
        if (collection === "testPlans") plans++;
        else left.push(`${collection}/${key}`);
      }
    }
  }
  say(`emulator store after the run: ${plans} test plan(s) of the prefix (kept by design), ${left.length} other object(s)${left.length ? `: ${left.join(", ")}` : ""}`);
  return left.length ? [`the emulator still holds objects of the run's prefix: ${left.join(", ")}`] : [];
}

function printCallTable(records: KindRecord[]): void {
  const rows = records.map((r) => {
    const cells = STEP_COLUMNS.map((s) => (s in r.calls ? String(r.calls[s]) : "–"));
    const total = Object.values(r.calls).reduce((a, b) => a + b, 0);
    return `| ${r.kind} | ${cells.join(" | ")} | ${total} | ${(r.ms / 1000).toFixed(2)} |`;
  });
  const total = records.reduce((a, r) => a + Object.values(r.calls).reduce((x, y) => x + y, 0), 0);
  say(
    [
      "API calls per kind and step (emulator; setup = the kind's dependencies, cleanup = their destroy in afterAll):",
      `| kind | ${STEP_COLUMNS.join(" | ")} | total | s |`,
      `|---|${STEP_COLUMNS.map(() => "---:").join("|")}|---:|---:|`,
      ...rows,
      `| all | ${STEP_COLUMNS.map(() => "").join(" | ")} | ${total} | |`,
    ].join("\n"),
  );
  say(["APIs each kind's lifecycle called (emulator operation names):", ...records.map((r) => `- ${r.kind}: ${[...r.operations].sort().join(", ") || "none"}`)].join("\n"));
}
