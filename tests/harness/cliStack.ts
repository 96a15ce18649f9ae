/**
 * A file program (Pulumi.yaml) run by the real Pulumi CLI built from source, the way a user runs it:
 * `pulumi preview`, `up`, `refresh`, `import`, `destroy`, `stack export` as commands, each in the
 * stack's own PULUMI_HOME and file backend, each writing its engine events with `--event-log` (read
 * back and summarised by cli/summary.ts). The language tests use it for programs in languages the
 * Automation API's inline programs do not cover (YAML: its language host is built beside the CLI,
 * `node dist/cli/pulumiBuild.js --tools`, or here when missing), and the resource-provider plugin pulumi-resource-codearts
 * from bin/ (a project's `plugins.providers` path).
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { summarize, type Summary } from "../../cli/summary";
import { buildTool, builtTool } from "../../cli/pulumiBuild";
import { ENGINE_WORK_ROOT, readEventLog, realEngineEnv, requireCli, type ExportedResource } from "./realEngine";
import { REPO_ROOT, type ConfigValue } from "./host";

/** Where the plugin's launcher is: `plugins.providers[].path` of the test programs. */
export const PLUGIN_DIR = path.join(REPO_ROOT, "bin");

export interface CliRun {
  ok: boolean;
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the command. */
  ms: number;
  events: EngineEvent[];
  summary?: Summary;
}

export class CliStack {
  private runs = 0;
  private constructor(
    readonly cli: string,
    /** The temporary directory: PULUMI_HOME, backend and the program's directory. */
    readonly dir: string,
    readonly programDir: string,
    readonly env: Record<string, string>,
    readonly stackName: string,
  ) {}

  /** A new stack of the program `project` (the text of its Pulumi.yaml) with this config. */
  static async create(o: { project: string; config: Record<string, ConfigValue>; stackName?: string; env?: Record<string, string> }): Promise<CliStack> {
    const cli = requireCli();
    // Beside the CLI, where the engine finds it (npm run test:languages builds it first; built here otherwise).
    if (!builtTool("yaml")) buildTool("yaml");
    fs.mkdirSync(ENGINE_WORK_ROOT, { recursive: true });
    const dir = fs.mkdtempSync(path.join(ENGINE_WORK_ROOT, "cli-"));
    const programDir = path.join(dir, "program");
    for (const d of ["home", "backend", "program"]) fs.mkdirSync(path.join(dir, d));
    fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), o.project);
    // PULUMI_DEBUG_COMMANDS: the CLI offers `--event-log` only with it (the Automation API sets it too).
    const env = realEngineEnv(path.join(dir, "home"), path.join(dir, "backend"), { PULUMI_DEBUG_COMMANDS: "true", ...o.env });
    const stack = new CliStack(cli, dir, programDir, env, o.stackName ?? "dev");
    const init = await stack.run(["stack", "init", stack.stackName]);
    if (!init.ok) throw new Error(`pulumi stack init: ${init.stderr}`);
    await stack.setConfig(o.config);
    return stack;
  }

  /** One CLI command in the program's directory; never throws for a failing command. */
  run(args: string[], opts: { eventLog?: string } = {}): Promise<CliRun> {
    const started = Date.now();
    const full = [...args, "--non-interactive", ...(opts.eventLog ? ["--event-log", opts.eventLog] : [])];
    return new Promise((resolve) => {
      execFile(this.cli, full, { cwd: this.programDir, env: { ...process.env, ...this.env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
        const events = opts.eventLog ? readEventLog(opts.eventLog) : [];
        resolve({ ok: !err, code, stdout, stderr, ms: Date.now() - started, events });
      });
    });
  }

  async setConfig(config: Record<string, ConfigValue>): Promise<void> {
    const args = ["config", "set-all", "--stack", this.stackName];
    for (const [k, v] of Object.entries(config)) args.push(...(typeof v === "string" ? ["--plaintext", `${k}=${v}`] : ["--secret", `${k}=${v.secret}`]));
    const r = await this.run(args);
    if (!r.ok) throw new Error(`pulumi config set-all: ${r.stderr}`);
  }

  /** An engine operation with its event log summarised; `preview` and `up` with `--diff`. */
  async op(operation: "preview" | "up" | "refresh" | "destroy", extra: string[] = []): Promise<CliRun> {
    const eventLog = path.join(this.dir, `events-${++this.runs}-${operation}.jsonl`);
    const args = operation === "preview" ? ["preview", "--diff"] : operation === "up" ? ["up", "--yes", "--skip-preview", "--diff"] : [operation, "--yes", "--skip-preview"];
    const r = await this.run([...args, "--stack", this.stackName, ...extra], { eventLog });
    return { ...r, summary: r.events.length ? summarize(operation, r.events) : undefined };
  }

  /** `pulumi import` with these arguments (a type, name and id; or `--file`), not protected, code written to `out`. */
  async import(args: string[], out: string): Promise<CliRun> {
    const eventLog = path.join(this.dir, `events-${++this.runs}-import.jsonl`);
    return this.run(["import", ...args, "--yes", "--protect=false", "--out", out, "--stack", this.stackName], { eventLog });
  }

  /** `pulumi stack export` as a user runs it: secrets encrypted as the backend stores them. */
  async exported(): Promise<{ text: string; resources: ExportedResource[] }> {
    const r = await this.run(["stack", "export", "--stack", this.stackName]);
    if (!r.ok) throw new Error(`pulumi stack export: ${r.stderr}`);
    const d = JSON.parse(r.stdout) as { deployment?: { resources?: ExportedResource[] } };
    return { text: r.stdout, resources: d.deployment?.resources ?? [] };
  }

  /** Appends resources (YAML lines under a `resources:` key, as `pulumi import --out` writes them) to the program's own `resources:`, its last section. */
  appendResources(generatedYaml: string): void {
    const body = generatedYaml
      .split("\n")
      .filter((l, i) => !(i === 0 && l.trim() === "resources:"))
      .join("\n");
    fs.appendFileSync(path.join(this.programDir, "Pulumi.yaml"), `\n${body.trimEnd()}\n`);
  }

  async dispose(): Promise<void> {
    await this.run(["stack", "rm", this.stackName, "--yes", "--force"]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Counts of a summary's operations that change something (create, update, replace, delete). */
export function changes(s: Summary | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(s?.counts ?? {})) if (op !== "same" && op !== "read" && n) out[op] = n;
  return out;
}
