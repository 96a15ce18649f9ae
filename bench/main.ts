import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { ApiClient } from "../provider/client";
import { KINDS } from "../provider/kinds";
import { clientSettings, DEFAULT_ACCOUNT, Emulator, stackConfig, startEmulator } from "../emulator";
import { Engine, ProviderHost, REPO_ROOT, serializedNoopProvider, serializedProvider, serializeProvider } from "../tests/harness";
import { outOfBandClient, StepLine } from "../demo/lifecycle";
import { SCENARIOS } from "../demo/scenarios";
import { scaleRun, ScaleFigures, ScaleOptions } from "../tests/harness/scale";
import { PROVEN_DIALECT, provenConfig } from "../tests/support/provenDialect";
import { callsPerKind, refreshAtOnce } from "./callsPerKind";
import { TERRAFORM_VERSION, terraformCount, terraformNumber } from "./terraform";
import { cliScaleSection, spliceSection } from "./cliScale";

/**
 * `npm run bench`: figures, not assertions. Writes BENCHMARKS.md with the command that produced it.
 * - API calls per operation per kind (the demo's lifecycles, counted from the emulator's log);
 * - this package's overhead: a PipelineGroup lifecycle through the dynamic-provider host against its floor,
 *   measured in the same run (the same RPCs to a no-op provider through the same host, plus the same
 *   signed requests sent directly with the client), at 0 and 20 ms emulator latency, sequential and 10 in flight;
 * - serialized provider size per kind; host cold start against loading @pulumi/pulumi alone; state bytes per kind;
 * - 1,000 resources through the real Pulumi CLI (bench/cliScale.ts), when it is built.
 * `npm run bench -- --only cli` runs the last part alone and replaces its section in BENCHMARKS.md;
 * `npm run bench -- --only scale` prints the scale run alone (nothing written).
 */
const N = 20;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

async function inParallel(n: number, width: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await one(next++);
    }),
  );
}

/** One PipelineGroup lifecycle through the host: Check+Create, Check+Diff+Update, Delete. */
async function lifecycle(engine: Engine, type: string, i: number, inputs: (name: string) => Record<string, unknown>): Promise<void> {
  await engine.up(type, `g${i}`, inputs(`bench ${i}`));
  await engine.up(type, `g${i}`, inputs(`bench ${i} renamed`));
  await engine.destroy(type, `g${i}`);
}

/**
 * The requests the lifecycle needs, sent directly with the client (no host, no glue): create, rename,
 * delete; without proven readings also the guards the provider cannot skip (the listing before the
 * create, N1; the tree and pipeline list before the delete, L2).
 */
async function direct(client: ApiClient, i: number, proven: boolean): Promise<void> {
  const P = DEFAULT_ACCOUNT.codeartsProjects[0];
  const base = `/v5/${P}/api/pipeline-group`;
  const tree = () => client.send({ service: "pipeline", method: "GET", path: `${base}/tree`, operation: "Bench.tree" });
  if (!proven) await tree();
  const made = await client.send<{ id: string }>({
    service: "pipeline",
    method: "POST",
    path: `${base}/create`,
    body: { name: `direct ${i}`, project_id: P, parent_id: "" },
    operation: "Bench.create",
  });
  await client.send({ service: "pipeline", method: "POST", path: `${base}/update`, body: { name: `direct ${i} renamed`, id: made.body.id }, operation: "Bench.update" });
  if (!proven) {
    await tree();
    const list = { group_path_id: made.body.id, by_group: true, offset: 0, limit: 10 };
    await client.send({ service: "pipeline", method: "POST", path: `/v5/${P}/api/pipelines/list`, body: list, operation: "Bench.list" });
  }
  await client.send({ service: "pipeline", method: "DELETE", path: `${base}/delete`, query: { id: made.body.id }, operation: "Bench.delete" });
}

async function overhead(latencyMs: number, width: number, proven: boolean): Promise<{ full: number; noop: number; direct: number; calls: number }> {
  const emu = await startEmulator({ port: 0, quiet: true, dialect: proven ? { ...PROVEN_DIALECT } : {} });
  emu.faults.setLatency(latencyMs);
  const P = DEFAULT_ACCOUNT.codeartsProjects[0];
  const host = await ProviderHost.start();
  await host.configure({ ...stackConfig(emu), ...(proven ? provenConfig(PROVEN_DIALECT) : {}) });
  const real = new Engine(host, { providerFor: serializedProvider });
  const noop = new Engine(host, { providerFor: () => serializedNoopProvider() });
  const client = new ApiClient(clientSettings(emu));
  try {
    // Warm-up: serialization and first-call costs stay out of the figures.
    await lifecycle(real, "PipelineGroup", -1, (name) => ({ projectId: P, name }));
    await lifecycle(noop, "Noop", -1, (name) => ({ name }));
    await direct(client, -1, proven);
    const mark = emu.log.mark();
    const full = await timed(() => inParallel(N, width, (i) => lifecycle(real, "PipelineGroup", i, (name) => ({ projectId: P, name }))));
    const calls = emu.log.since(mark).length / N;
    const noopMs = await timed(() => inParallel(N, width, (i) => lifecycle(noop, "Noop", i, (name) => ({ name }))));
    const directMs = await timed(() => inParallel(N, width, (i) => direct(client, i, proven)));
    return { full, noop: noopMs, direct: directMs, calls };
  } finally {
    await client.close();
    await host.close();
    await emu.close();
  }
}

async function callsPerOperation(emu: Emulator): Promise<{ lines: StepLine[]; stateBytes: Record<string, number> }> {
  const host = await ProviderHost.start();
  await host.configure(stackConfig(emu));
  const engine = new Engine(host, { providerFor: serializedProvider });
  const outOfBand = outOfBandClient(emu, DEFAULT_ACCOUNT);
  const lines: StepLine[] = [];
  const stateBytes: Record<string, number> = {};
  try {
    for (const [kind, scenario] of SCENARIOS) {
      await scenario({ emu, engine, account: DEFAULT_ACCOUNT, outOfBand }, async (operation, run) => {
        const mark = emu.log.mark();
        const t0 = performance.now();
        const result = await run().catch((e: Error) => `FAILED: ${e.message}`);
        lines.push({ kind, operation, result, apiCalls: emu.log.since(mark).length, ms: Math.round(performance.now() - t0) });
        for (const s of engine.state.values()) {
          if (s.type !== kind) continue;
          const { __provider: _i, ...inputs } = s.inputs;
          const { __provider: _o, ...outputs } = s.outputs;
          stateBytes[kind] = Math.max(stateBytes[kind] ?? 0, Buffer.byteLength(JSON.stringify({ inputs, outputs })));
        }
      });
    }
  } finally {
    await outOfBand.close();
    await host.close();
  }
  return { lines, stateBytes };
}

/** The suite's scale run (tests/scale.test.ts) in a world of its own. */
async function scale(opts: ScaleOptions): Promise<ScaleFigures> {
  const emu = await startEmulator({ port: 0 });
  const host = await ProviderHost.start();
  try {
    await host.configure({ ...stackConfig(emu), "huaweicloud:maxRetries": "3" });
    // No trace: the scale run never reads it, and encoding each request a second time for it was the rig's CPU.
    const engine = new Engine(host, { providerFor: serializedProvider, trace: false });
    return await scaleRun({ emu, engine, account: DEFAULT_ACCOUNT }, { ...opts, cpuMs: () => ({ harness: processCpuMs(), host: pidCpuMs(host.pid) }) });
  } finally {
    await host.close();
    await emu.close();
  }
}

const processCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** User + system CPU of another process from /proc (Linux); NaN elsewhere. */
function pidCpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").pop()!.split(" ");
    // utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are the 12th and 13th.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux Node supports

/** Median of three plain-Node loads of @pulumi/pulumi. */
function pulumiLoadMs(): number {
  const ms = (script: string) => {
    const out = execFileSync(process.execPath, ["-e", `const t=process.hrtime.bigint();${script};console.log(Number(process.hrtime.bigint()-t)/1e6)`], { cwd: REPO_ROOT });
    return Number(String(out).trim().split("\n").pop());
  };
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return median([0, 1, 2].map(() => ms('require("@pulumi/pulumi")')));
}

/** The scale run's section: three runs of the issue's 336 resources, with where the time and the CPU go. */
async function scaleSection(say: (s?: string) => void): Promise<void> {
  say("\n## Scale run\n");
  const perKind = 24;
  const kinds = Object.keys(KINDS).length;
  const cores = os.cpus().length;
  say(`${perKind} resources of each of the ${kinds} kinds (${perKind * kinds}, the issue's 336) created, refreshed, updated, refreshed again (then a preview that must want`);
  say("no change) and deleted through one dynamic-provider host, as tests/scale.test.ts does. Ideal = API calls × latency ÷ in flight:");
  say(
    "the time the requests alone would take with perfect overlap; wall = the phases' time (the inventory checks between them left out). A re-run is a step that failed and was run again (as a",
  );
  say('GitOps pipeline re-runs `pulumi up`); "lost or duplicated" compares the emulator\'s inventory with the state after every phase.');
  say(
    `CPU over the phases: the harness (this process: the engine stand-in and the emulator, one Node thread) and the provider host; CPU floor = their sum ÷ ${cores} cores, ` +
      "the least wall time this machine needs to do that work at all, whatever the latency. The 200 ms run shows the rest: " +
      "each phase waits for its last steps, and a read several steps wait on together (shared reads) counts once in the ideal.\n",
  );
  say(
    "| latency | transient faults | in flight | resources | steps (re-runs) | API calls (failed by injection) | wall ms | ideal ms | wall / ideal | CPU ms: harness / host | CPU floor ms | lost or duplicated |",
  );
  say("|---|---|---|---|---|---|---|---|---|---|---|---|");
  const runs: Array<[string, ScaleFigures]> = [];
  const width = 10;
  for (const [latencyMs, transientRate] of [
    [20, 0.05],
    [20, 0],
    [0, 0],
    // Where latency dwarfs the CPU: what is left of wall / ideal is the run's shape (phases end together;
    // a read several steps share counts once in the ideal), not the machine.
    [200, 0],
  ] as const) {
    const f = await scale({ perKind, width, latencyMs, transientRate, seed: 8 });
    runs.push([`${latencyMs} ms, ${transientRate * 100}%`, f]);
    const cpu = f.cpu ?? {};
    say(
      `| ${latencyMs} ms | ${transientRate * 100}% | ${width} | ${f.resources} | ${f.steps} (${f.reruns}) | ${f.apiCalls} (${f.injectedFaults}) | ${f.wallMs.toFixed(0)} | ` +
        `${f.idealMs.toFixed(0)} | ${f.idealMs > 0 ? (f.wallMs / f.idealMs).toFixed(2) : "n/a"} | ${(cpu.harness ?? NaN).toFixed(0)} / ${(cpu.host ?? NaN).toFixed(0)} | ` +
        `${(((cpu.harness ?? NaN) + (cpu.host ?? NaN)) / cores).toFixed(0)} | ${f.problems.length === 0 ? "none" : f.problems.length} |`,
    );
  }
  // The ideal counts each request once. One step at a time, every wait is a step's own: the difference
  // between that run at 20 ms and at 0 ms is what the steps wait on requests, a read several steps
  // share counted for each of them; the rest of wall is the CPU and the waits no latency makes (a script run's polls).
  const one = async (latencyMs: number) => (await scale({ perKind, width: 1, latencyMs, transientRate: 0, seed: 8 })).wallMs;
  const [slow, fast] = [await one(20), await one(0)];
  const [, plain] = runs[1];
  const waits = (slow - fast) / width;
  say(
    `\nWhere wall / ideal goes (20 ms, 0%): the same run one step at a time takes ${(slow / 1000).toFixed(1)} s at 20 ms and ${(fast / 1000).toFixed(1)} s at 0 ms. ` +
      `The difference, ${((slow - fast) / 1000).toFixed(1)} s, is what the steps wait on requests (a read several steps share counted for each ` +
      `of them); with perfect overlap over ${width} in flight, ${(waits / 1000).toFixed(2)} s against the ideal's ${(plain.idealMs / 1000).toFixed(2)} s ` +
      `(${plain.apiCalls} calls × 20 ms ÷ ${width}). Wall ${(plain.wallMs / 1000).toFixed(2)} s is ${(plain.wallMs / waits).toFixed(2)} × those waits: ` +
      `the rest is the CPU of both processes, each one Node thread the steps queue on, and the script runs' polls (a wait no latency makes).`,
  );
  const [, main] = runs[0];
  say("\nWhere the time goes in the first run (20 ms, 5%): mean ms per step, by phase and kind.\n");
  const phaseNames = Object.keys(main.stepMs);
  say(`| kind | ${phaseNames.join(" | ")} |`);
  say(`|---|${phaseNames.map(() => "---").join("|")}|`);
  for (const kind of Object.keys(KINDS)) say(`| ${kind} | ${phaseNames.map((p) => (main.stepMs[p][kind] ?? 0).toFixed(0)).join(" | ")} |`);
  say(`\nPhases of the first run: ${main.phases.map((p) => `${p.phase} ${p.ms.toFixed(0)} ms (${p.apiCalls} calls)`).join("; ")}.`);
}

async function main(): Promise<void> {
  if (process.argv.includes("--only") && process.argv[process.argv.indexOf("--only") + 1] === "cli") {
    const lines: string[] = [];
    await cliScaleSection((s = "") => {
      lines.push(s);
      console.log(s);
    });
    spliceSection(path.join(REPO_ROOT, "BENCHMARKS.md"), lines);
    console.log("\nwrote the section into BENCHMARKS.md");
    return;
  }
  if (process.argv.includes("--only") && process.argv[process.argv.indexOf("--only") + 1] === "scale") {
    await scaleSection((s = "") => console.log(s));
    return;
  }
  const emu = await startEmulator({ port: 0 });
  const out: string[] = [];
  const say = (s = "") => {
    out.push(s);
    console.log(s);
  };
  try {
    say("# Benchmarks");
    say();
    say(
      `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${os.cpus().length} cores). Figures, not assertions; they vary with the machine.`,
    );

    say("\n## API calls per operation (the demo's lifecycles, from the emulator's log)\n");
    const { lines, stateBytes } = await callsPerOperation(emu);
    say("| kind | operation | API calls |");
    say("|---|---|---|");
    for (const l of lines) say(`| ${l.kind} | ${l.operation} | ${l.apiCalls} |`);

    say("\n## API calls per operation, every kind, against the Terraform provider\n");
    say("One object per kind (and per create variant) through the dynamic-provider host: create, read (refresh), update, delete.");
    const provenText = Object.entries(PROVEN_DIALECT)
      .map(([r, v]) => `${r}=${v}`)
      .join(", ");
    say(`**no setting**: default readings, no \`provenReadings\` (every guard kept). **proven**: the emulator speaks ${provenText}`);
    say(`and the provider is told so (\`huaweicloud:provenReadings\`). **Terraform**: the Huawei Cloud Terraform provider ${TERRAFORM_VERSION},`);
    say("counted from its source (bench/terraform.ts: create and update include the Read Terraform runs after them). Targets: proven ≤ Terraform;");
    say("no setting ≤ Terraform + 1 per create and delete.\n");
    const [plain, withProof] = [await callsPerKind(false), await callsPerKind(true)];
    say("| kind | operation | no setting | proven | Terraform | target |");
    say("|---|---|---|---|---|---|");
    for (const row of plain) {
      const p = withProof.find((r) => r.kind === row.kind && r.variant === row.variant)!;
      for (const op of ["create", "read", "update", "delete"] as const) {
        if (row[op] === undefined) continue;
        const tf = terraformCount(row.kind, op, row.variant);
        const tfNum = terraformNumber(row.kind, op, row.variant);
        const slack = op === "create" || op === "delete" ? 1 : 0;
        const verdict = tfNum === undefined ? "" : `${p[op]! <= tfNum ? "met" : "missed"} (proven)${slack ? `, ${row[op]! <= tfNum + slack ? "met" : "missed"} (no setting)` : ""}`;
        say(`| ${row.kind}${row.variant ? ` (${row.variant})` : ""} | ${op} | ${row[op]} | ${p[op]} | ${tf ?? "—"} | ${verdict} |`);
      }
    }
    const once = await refreshAtOnce(50);
    say(
      `\nRefresh of ${once.groups} groups of one project at once (as the engine refreshes them, the emulator at 20 ms): ${once.treeRequests} group-tree request(s), ${once.calls} calls in all (target: 1 tree request per project).`,
    );

    say("\n## This package's overhead per operation\n");
    say(`${N} PipelineGroup lifecycles (create, rename, delete: 6 RPCs each) through the dynamic-provider host, against the floor measured`);
    say("in the same run: the same RPCs to a no-op provider through the same host, plus the requests the lifecycle needs sent directly");
    say("with the client (proven: create, rename, delete; no setting: also the tree before the create and the tree and pipeline list");
    say("before the delete, which the provider cannot skip without proof). Ratio = full / (no-op RPCs + direct requests); target ≤ 1.1 at 20 ms, 1 in flight.\n");
    say("| readings | emulator latency | in flight | API calls per lifecycle | full ms | no-op RPCs ms | direct requests ms | ratio |");
    say("|---|---|---|---|---|---|---|---|");
    for (const proven of [true, false]) {
      for (const latency of [0, 20]) {
        for (const width of [1, 10]) {
          const r = await overhead(latency, width, proven);
          say(
            `| ${proven ? "proven" : "no setting"} | ${latency} ms | ${width} | ${r.calls.toFixed(0)} | ${r.full.toFixed(0)} | ${r.noop.toFixed(0)} | ${r.direct.toFixed(0)} | ${(r.full / (r.noop + r.direct)).toFixed(2)} |`,
          );
        }
      }
    }

    say("\n## Serialized provider (`__provider`) and state per resource\n");
    say("State bytes leave out `__provider`, which the state holds twice per resource (inputs and outputs).\n");
    say("| kind | `__provider` bytes | largest state seen (inputs + outputs, bytes) |");
    say("|---|---|---|");
    for (const kind of Object.keys(KINDS)) say(`| ${kind} | ${(await serializeProvider(kind)).bytes} | ${stateBytes[kind] ?? "n/a"} |`);

    say("\n## Cold start\n");
    const host = await ProviderHost.start();
    const hostMs = host.startMs;
    await host.close();
    say(`| what | ms |\n|---|---|\n| dynamic-provider host: spawn to gRPC port | ${hostMs.toFixed(0)} |\n| \`require("@pulumi/pulumi")\` alone | ${pulumiLoadMs().toFixed(0)} |`);

    await scaleSection(say);

    await cliScaleSection(say);
  } finally {
    await emu.close();
  }
  fs.writeFileSync(path.join(REPO_ROOT, "BENCHMARKS.md"), out.join("\n") + "\n");
  console.log("\nwrote BENCHMARKS.md");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
