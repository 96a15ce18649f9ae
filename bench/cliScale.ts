import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { builtCli } from "../cli/pulumiBuild";
import { DEFAULT_ACCOUNT, stackConfig, startEmulator } from "../emulator";
import { PipelineGroup, PipelineTemplate, Rule, Script } from "../sdk";
import { REPO_ROOT } from "../tests/harness/host";
import { ruleContent, stages } from "../tests/harness/kinds";
import { RealStack, type RealOperation } from "../tests/harness/realEngine";
import { PROVEN_DIALECT, provenConfig } from "../tests/support/provenDialect";

/**
 * Issue 23, item 4: a large stack through the real Pulumi CLI (built from source, driven by the
 * Automation API with an inline program, local file backend) against the emulator with added latency.
 * Every operation a team runs: preview and up from scratch, up and preview with nothing to do, refresh,
 * a change of 10% of the resources (in place), destroy. Per operation: wall time, API calls (the
 * emulator's log), the changes the engine reports, and the peak resident memory of the processes the CLI
 * spawns: the dynamic-provider host (node running @pulumi/pulumi/cmd/dynamic-provider) and the engine
 * (`pulumi`). Used by `npm run bench` and, alone, by `node dist/bench/cliScale.js`.
 */
export interface CliScaleOptions {
  resources: number;
  latencyMs: number;
  /** The engine's `--parallel`; absent: the CLI's default. */
  parallel?: number;
  /** The emulator speaks PROVEN_DIALECT and the provider is told so (huaweicloud:provenReadings). */
  proven?: boolean;
  /** Progress lines (stderr by default). */
  log?: (s: string) => void;
}

export interface CliScaleStep {
  label: string;
  operation: RealOperation;
  ok: boolean;
  error?: string;
  wallMs: number;
  apiCalls: number;
  /** The engine's summary: operation → resources (e.g. { same: 900, update: 100 }). */
  changes: Record<string, number>;
  /** Highest VmHWM (peak resident set) of a dynamic-provider host process during the operation, KiB. */
  providerPeakKiB: number;
  /** Dynamic-provider host processes seen during the operation. */
  providerProcesses: number;
  /** Highest VmHWM of the engine (`pulumi`) process, KiB. */
  enginePeakKiB: number;
  /**
   * CPU seconds (user + system) spent during the operation by the program (this process: the inline
   * program and the Automation API's language host), the engine and the provider host: what the
   * operation costs apart from waiting, on a machine shared with other work.
   */
  cpuS: { program: number; engine: number; provider: number };
  /** The machine's 1-minute load average when the operation ended. */
  load1: number;
}

export interface CliScaleFigures {
  resources: number;
  latencyMs: number;
  parallel?: number;
  proven?: boolean;
  /** Of every kind in the program. */
  kinds: Record<string, number>;
  steps: CliScaleStep[];
}

/** The CLI's default `--parallel` (pkg/cmd/pulumi/operations/up.go defaultParallel): PULUMI_PARALLEL, else GOMAXPROCS × 4. */
export function engineDefaultParallel(): number {
  const env = Number(process.env.PULUMI_PARALLEL);
  return env > 0 ? env : os.availableParallelism() * 4;
}

/** How many resources of each kind a stack of n holds: 40% groups, 20% each rules, templates, scripts. */
export function mix(n: number): { groups: number; rules: number; templates: number; scripts: number } {
  const rules = Math.floor(n / 5);
  const templates = Math.floor(n / 5);
  const scripts = Math.floor(n / 5);
  return { groups: n - rules - templates - scripts, rules, templates, scripts };
}

/**
 * The program: pipeline groups over the account's CodeArts projects (in trees of five: one group and
 * four under it), rules, pipeline templates and scripts. `bench:changed` = true changes every tenth of
 * each kind in place (a rename, a rule threshold, a template description, a script body).
 */
export function scaleProgram(resources: number, projects: readonly string[]): () => Promise<Record<string, unknown>> {
  const m = mix(resources);
  return async () => {
    const changed = new pulumi.Config("bench").getBoolean("changed") ?? false;
    const touched = (i: number) => changed && i % 10 === 0;
    let parent: PipelineGroup | undefined;
    for (let i = 0; i < m.groups; i++) {
      const projectId = projects[Math.floor(i / 5) % projects.length];
      const name = `bench group ${i}${touched(i) ? " renamed" : ""}`;
      if (i % 5 === 0) parent = new PipelineGroup(`g${i}`, { projectId, name });
      else new PipelineGroup(`g${i}`, { projectId, name, parentId: parent!.id });
    }
    for (let i = 0; i < m.rules; i++) {
      new Rule(`r${i}`, { name: `bench rule ${i}`, type: "Gate", layoutContent: "l", content: ruleContent(touched(i) ? "0.9" : "0.5") });
    }
    for (let i = 0; i < m.templates; i++) {
      new PipelineTemplate(`t${i}`, {
        name: `bench template ${i}`,
        language: "Java",
        isShowSource: true,
        definition: { stages },
        ...(touched(i) ? { description: "changed" } : {}),
      });
    }
    for (let i = 0; i < m.scripts; i++) {
      new Script(`s${i}`, {
        name: `bench_script_${i}`,
        description: "d",
        type: "SHELL",
        content: touched(i) ? "echo changed" : "true",
        riskLevel: "LOW",
        version: "1",
      });
    }
    return { resources };
  };
}

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
}

function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      out.push({ pid: Number(d), comm: stat.slice(stat.indexOf("(") + 1, close), ppid: Number(stat.slice(close + 2).split(" ")[1]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const TICKS_PER_S = 100;

/** utime + stime of a process, seconds (0 when gone). */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

function hwmKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function isProviderHost(pid: number): boolean {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return !args.includes("-e") && args.some((a) => /dynamic-provider(\/index\.js)?$/.test(a));
  } catch {
    return false;
  }
}

/**
 * Samples this process's descendants every `everyMs`: VmHWM (the kernel's own peak of the resident set,
 * so a peak between two samples still counts, unless the process exits before the next sample).
 */
export class MemorySampler {
  private timer?: NodeJS.Timeout;
  private providers = new Map<number, number>();
  private engine = 0;
  private known = new Map<number, boolean>();
  /** Latest CPU seconds seen per process, by role; a process's last ~200 ms before it exits are missed. */
  private cpu = new Map<number, { role: "engine" | "provider"; s: number }>();
  private ownCpu = process.cpuUsage();

  constructor(private readonly everyMs = 200) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): { providerPeakKiB: number; providerProcesses: number; enginePeakKiB: number; cpuS: CliScaleStep["cpuS"] } {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const own = process.cpuUsage(this.ownCpu);
    const sum = (role: string) => [...this.cpu.values()].filter((c) => c.role === role).reduce((a, c) => a + c.s, 0);
    return {
      providerPeakKiB: Math.max(0, ...this.providers.values()),
      providerProcesses: this.providers.size,
      enginePeakKiB: this.engine,
      cpuS: { program: (own.user + own.system) / 1e6, engine: sum("engine"), provider: sum("provider") },
    };
  }

  private sample(): void {
    const all = processes();
    const children = new Map<number, ProcInfo[]>();
    for (const p of all) (children.get(p.ppid) ?? children.set(p.ppid, []).get(p.ppid)!).push(p);
    const stack = [...(children.get(process.pid) ?? [])];
    while (stack.length) {
      const p = stack.pop()!;
      stack.push(...(children.get(p.pid) ?? []));
      if (p.comm === "pulumi") {
        this.engine = Math.max(this.engine, hwmKiB(p.pid));
        this.cpu.set(p.pid, { role: "engine", s: cpuSeconds(p.pid) || (this.cpu.get(p.pid)?.s ?? 0) });
      }
      let provider = this.known.get(p.pid);
      if (provider === undefined) this.known.set(p.pid, (provider = isProviderHost(p.pid)));
      if (provider) {
        this.providers.set(p.pid, Math.max(this.providers.get(p.pid) ?? 0, hwmKiB(p.pid)));
        this.cpu.set(p.pid, { role: "provider", s: cpuSeconds(p.pid) || (this.cpu.get(p.pid)?.s ?? 0) });
      }
    }
  }
}

function summaryOf(events: EngineEvent[]): Record<string, number> {
  const s = events.find((e) => e.summaryEvent)?.summaryEvent;
  return (s?.resourceChanges as Record<string, number> | undefined) ?? {};
}

/** One world: an emulator with `latencyMs`, a stack of `resources`, the seven operations in order, then the stack and emulator gone. */
export async function cliScaleRun(o: CliScaleOptions): Promise<CliScaleFigures> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + "\n"));
  const emu = await startEmulator({ port: 0, quiet: true, ...(o.proven ? { dialect: { ...PROVEN_DIALECT } } : {}) });
  const account = DEFAULT_ACCOUNT;
  const m = mix(o.resources);
  const figures: CliScaleFigures = {
    resources: o.resources,
    latencyMs: o.latencyMs,
    parallel: o.parallel,
    proven: o.proven,
    kinds: { PipelineGroup: m.groups, Rule: m.rules, PipelineTemplate: m.templates, Script: m.scripts },
    steps: [],
  };
  let real: RealStack | undefined;
  try {
    real = await RealStack.create({
      program: scaleProgram(o.resources, account.codeartsProjects),
      config: { ...stackConfig(emu, account), ...(o.proven ? provenConfig(PROVEN_DIALECT) : {}), "bench:changed": "false" },
      projectName: "codearts-bench",
      stackName: "scale",
    });
    emu.faults.setLatency(o.latencyMs);
    const step = async (label: string, operation: RealOperation) => {
      const sampler = new MemorySampler();
      const mark = emu.log.mark();
      sampler.start();
      const t0 = performance.now();
      const r = await real!.run(operation, { parallel: o.parallel });
      const wallMs = performance.now() - t0;
      const mem = sampler.stop();
      const s: CliScaleStep = {
        label,
        operation,
        ok: r.ok,
        ...(r.ok ? {} : { error: (r.error ?? "").split("\n").slice(-12).join("\n") }),
        wallMs,
        apiCalls: emu.log.since(mark).length,
        changes: summaryOf(r.events),
        ...mem,
        load1: os.loadavg()[0],
      };
      figures.steps.push(s);
      log(
        `  ${label} (parallel ${o.parallel ?? "default"}${o.proven ? ", proven readings" : ""}): ${r.ok ? "ok" : "FAILED"} ${(wallMs / 1000).toFixed(1)} s, ${s.apiCalls} API calls, ` +
          `${JSON.stringify(s.changes)}, provider peak ${(s.providerPeakKiB / 1024).toFixed(0)} MiB, ` +
          `CPU s program ${s.cpuS.program.toFixed(1)} engine ${s.cpuS.engine.toFixed(1)} provider ${s.cpuS.provider.toFixed(1)}`,
      );
      if (!r.ok) log(s.error ?? "");
      return r.ok;
    };
    if (!(await step("preview from scratch", "preview"))) return figures;
    if (!(await step("up from scratch", "up"))) return figures;
    await step("up with nothing to do", "up");
    await step("preview with nothing to change", "preview");
    await step("refresh", "refresh");
    await real.setConfig({ "bench:changed": "true" });
    await step("up with 10% changed", "up");
    await step("destroy", "destroy");
  } finally {
    emu.faults.setLatency(0);
    await real?.dispose();
    await emu.close();
  }
  return figures;
}

export const CLI_SECTION = "## 1,000 resources through the real Pulumi CLI";
export const TARGETS = [
  { label: "preview with nothing to change", underMs: 30_000, what: "a preview with nothing to change under 30 s" },
  { label: "refresh", underMs: 60_000, what: "a refresh under 60 s" },
];

/** The section of BENCHMARKS.md: one run per parallelism (the CLI's default and each of `parallels`). */
export async function cliScaleSection(
  say: (s?: string) => void,
  o: { resources?: number; latencyMs?: number; parallels?: Array<number | undefined>; proven?: boolean } = {},
): Promise<void> {
  const resources = o.resources ?? 1000;
  const latencyMs = o.latencyMs ?? 20;
  const parallels = o.parallels ?? [undefined, 32];
  const proven = o.proven ?? true;
  say(`\n${CLI_SECTION}\n`);
  if (!builtCli()) {
    say("Not measured: the Pulumi CLI is not built. `npm run pulumi-cli` builds the pinned version from source; then `npm run bench` (or `node dist/bench/cliScale.js`).");
    return;
  }
  const runs: CliScaleFigures[] = [];
  for (const parallel of parallels) runs.push(await cliScaleRun({ resources, latencyMs, parallel }));
  // The same at the default parallelism with the readings proven (what `conformance --out` would write for this emulator).
  if (proven) runs.push(await cliScaleRun({ resources, latencyMs, proven: true }));
  const m = mix(resources);
  const loads = runs.flatMap((r) => r.steps.map((s) => s.load1));
  say(
    `${resources} resources (${m.groups} pipeline groups over ${DEFAULT_ACCOUNT.codeartsProjects.length} CodeArts projects, in trees of one group and four under it; ` +
      `${m.rules} rules; ${m.templates} pipeline templates; ${m.scripts} scripts) in one stack, through the real Pulumi CLI (built from source) ` +
      `driven by the Automation API with an inline program and a local file backend, against the emulator at ${latencyMs} ms per request. ` +
      `The 10% change touches every tenth resource of each kind in place (a rename, a rule threshold, a template description, a script body). ` +
      `The engine's default parallelism is GOMAXPROCS × 4 (pkg/cmd/pulumi/operations/up.go, defaultParallel; PULUMI_PARALLEL overrides it): ` +
      `${engineDefaultParallel()} on this machine. Peak RSS: the kernel's VmHWM of the process, sampled every 200 ms; provider = the dynamic-provider ` +
      `host (node running @pulumi/pulumi/cmd/dynamic-provider, one per operation), engine = the \`pulumi\` process. The program itself runs in the ` +
      `bench's process (the Automation API's inline language host); its memory is not counted, its CPU time is. CPU seconds ` +
      `(user + system, from /proc) say what an operation costs apart from waiting: wall times depend on what else the machine runs ` +
      `(1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} at the ends of the operations, on ` +
      `${os.availableParallelism()} cores).` +
      (proven
        ? ` The last run: the emulator speaks ${Object.entries(PROVEN_DIALECT)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")} and the provider is told so (\`huaweicloud:provenReadings\`).`
        : "") +
      "\n",
  );
  say("| operation | --parallel | readings | wall s | API calls | engine's summary | provider peak RSS MiB | engine peak RSS MiB | CPU s: program / engine / provider |");
  say("|---|---|---|---|---|---|---|---|---|");
  for (const r of runs) {
    for (const s of r.steps) {
      const summary = Object.entries(s.changes)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      say(
        `| ${s.label} | ${r.parallel ?? `default (${engineDefaultParallel()})`} | ${r.proven ? "proven" : "no setting"} | ${s.ok ? (s.wallMs / 1000).toFixed(1) : `FAILED after ${(s.wallMs / 1000).toFixed(1)}`} | ` +
          `${s.apiCalls} | ${summary || "n/a"} | ${(s.providerPeakKiB / 1024).toFixed(0)} | ${(s.enginePeakKiB / 1024).toFixed(0)} | ` +
          `${s.cpuS.program.toFixed(1)} / ${s.cpuS.engine.toFixed(1)} / ${s.cpuS.provider.toFixed(1)} |`,
      );
    }
  }
  say(
    "\n" +
      `Where the engine's CPU goes in an up or a destroy (a CPU profile, \`pulumi up --profiling\`, of a 500-resource up from scratch, measured once): ` +
      `78% in the snapshot manager's saveSnapshot: the local file backend serializes, hashes (MD5), backs up and writes the whole ` +
      `checkpoint after every step, so an operation that changes n of N resources costs about n × N resource serializations ` +
      `(quadratic for an up from scratch; a destroy, not profiled, goes through the same code). That is the engine's file backend, not this package; PULUMI_SKIP_CHECKPOINTS=true ` +
      `(only the final checkpoint, unsafe if interrupted) avoids it. The preview from scratch builds the same snapshots without writing them.`,
  );
  say("\nTargets (reported, not asserted):\n");
  for (const t of TARGETS) {
    const cells = runs.map((r) => {
      const s = r.steps.find((x) => x.label === t.label);
      const p = `${r.parallel ?? "default"}${r.proven ? ", proven" : ""}`;
      if (!s) return `parallel ${p}: not run`;
      if (!s.ok) return `parallel ${p}: failed`;
      return `parallel ${p}: ${(s.wallMs / 1000).toFixed(1)} s, ${s.wallMs < t.underMs ? "pass" : "miss"}`;
    });
    say(`- ${t.what}: ${cells.join("; ")}`);
  }
  const failed = runs.flatMap((r) => r.steps.filter((s) => !s.ok).map((s) => `${s.label} (parallel ${r.parallel ?? "default"}${r.proven ? ", proven" : ""}): ${s.error}`));
  if (failed.length) say(`\nFailures:\n\n${failed.map((f) => "    " + f.replace(/\n/g, "\n    ")).join("\n\n")}`);
}

/** Replaces the section in BENCHMARKS.md (or appends it): for a run of this part alone. */
export function spliceSection(file: string, lines: string[]): void {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const section = lines.join("\n").replace(/^\n+/, "").replace(/\n*$/, "\n");
  const start = text.indexOf(CLI_SECTION);
  if (start < 0) {
    fs.writeFileSync(file, text.replace(/\n*$/, "\n\n") + section);
    return;
  }
  const next = text.indexOf("\n## ", start + CLI_SECTION.length);
  fs.writeFileSync(file, text.slice(0, start) + section + (next < 0 ? "" : text.slice(next)));
}

/**
 * `node dist/bench/cliScale.js [--resources N] [--latency MS] [--parallel P|default ...] [--no-proven] [--write]`:
 * this part alone (`--no-proven`: without the run with proven readings); `--write` puts the section into BENCHMARKS.md in place of the one there.
 */
async function main(argv: string[]): Promise<void> {
  const value = (flag: string) => argv.filter((_a, i) => argv[i - 1] === flag);
  const parallels = value("--parallel").map((p) => (p === "default" ? undefined : Number(p)));
  const lines: string[] = [];
  await cliScaleSection(
    (s = "") => {
      lines.push(s);
      console.log(s);
    },
    {
      resources: value("--resources").length ? Number(value("--resources")[0]) : 1000,
      latencyMs: value("--latency").length ? Number(value("--latency")[0]) : 20,
      ...(parallels.length ? { parallels } : {}),
      proven: !argv.includes("--no-proven"),
    },
  );
  if (argv.includes("--write")) {
    spliceSection(path.join(REPO_ROOT, "BENCHMARKS.md"), lines);
    console.log("\nwrote the section into BENCHMARKS.md");
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
