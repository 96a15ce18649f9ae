/**
 * The real Pulumi engine: the CLI built from source (`npm run pulumi-cli`, cli/pulumiBuild.ts) driven
 * through the Automation API with an inline program (the Node language host is not served by the Go
 * module proxy, so file programs cannot run; inline programs need none). Every stack is isolated: its
 * own PULUMI_HOME and file backend in a temporary directory, a passphrase, no update check, no plugin
 * acquisition. The dynamic-provider plugin script sits beside the binary, as in a release.
 *
 * Each operation collects the events the engine writes with `--event-log FILE`, read from that file:
 * what a user's pipeline feeds to `pulumi-codearts summarize`. (The Automation API of CLIs after 3.205
 * receives events over gRPC instead, `--event-log tcp://…`; the harness points that flag at a file, so
 * the fixtures and the tests see the CLI's own JSON. `pulumi-codearts preview/up/drift` keep the gRPC
 * path, and the engine suite runs them too.)
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, type EngineEvent, type Stack, type ConfigMap, type ProjectSettings } from "@pulumi/pulumi/automation";
import { builtCli, installRoot } from "../../cli/pulumiBuild";
import type { ConfigValue } from "./host";
import { REPO_ROOT } from "./host";

export type RealOperation = "preview" | "up" | "refresh" | "drift" | "destroy" | "destroy-preview";

export interface RealRun {
  operation: RealOperation;
  ok: boolean;
  events: EngineEvent[];
  /** The `--event-log` file the CLI wrote. */
  eventLog: string;
  /** The CLI's error output when the operation failed. */
  error?: string;
  stdout: string;
}

/** A resource of `pulumi stack export`: what the backend holds. */
export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  delete?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [k: string]: unknown;
}

/** Where the engine tests run inline programs from: inside the repository, so the plugin host resolves `pulumi-codearts`. */
export const ENGINE_WORK_ROOT = path.join(REPO_ROOT, "tests", ".work", "engine");

export function requireCli(): string {
  const bin = builtCli();
  if (!bin) throw new Error("the Pulumi CLI is not built: run `npm run pulumi-cli` first (it builds the pinned version from source)");
  return bin;
}

export interface RealStackOptions {
  /** The program, run in this process by the Automation API's language server for every preview and up. */
  program: () => Promise<Record<string, unknown> | void>;
  config: Record<string, ConfigValue>;
  projectName?: string;
  stackName?: string;
  /** Extra environment for the CLI and the plugin host it starts (e.g. HW_* settings). */
  env?: Record<string, string>;
  /** Another CLI installation (`<root>/bin/pulumi`), e.g. an older engine for the fixtures of older shapes. */
  cliRoot?: string;
  /** Resource-provider plugins the program's project loads from a directory (`plugins.providers`), by name. */
  providerPlugins?: Record<string, string>;
}

export class RealStack {
  private runs = 0;
  private constructor(
    readonly stack: Stack,
    /** The temporary directory holding PULUMI_HOME, the backend and the work directory. */
    readonly dir: string,
    readonly env: Record<string, string>,
  ) {}

  static async create(o: RealStackOptions): Promise<RealStack> {
    fs.mkdirSync(ENGINE_WORK_ROOT, { recursive: true });
    const dir = fs.mkdtempSync(path.join(ENGINE_WORK_ROOT, "stack-"));
    const home = path.join(dir, "home");
    const backend = path.join(dir, "backend");
    fs.mkdirSync(home);
    fs.mkdirSync(backend);
    const env = realEngineEnv(home, backend, o.env);
    if (!o.cliRoot) requireCli();
    const pulumiCommand = withFileEventLog(await PulumiCommand.get({ root: o.cliRoot ?? installRoot(), skipVersionCheck: true }));
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: o.stackName ?? "dev", projectName: o.projectName ?? "codearts-platform", program: o.program },
      {
        pulumiCommand,
        envVars: env,
        workDir: dir,
        ...(o.providerPlugins
          ? {
              projectSettings: {
                name: o.projectName ?? "codearts-platform",
                runtime: "nodejs",
                // Pulumi.yaml's `plugins` section: the engine reads it; this SDK's ProjectSettings type predates it.
                plugins: { providers: Object.entries(o.providerPlugins).map(([name, at]) => ({ name, path: at })) },
              } as ProjectSettings,
            }
          : {}),
      },
    );
    const real = new RealStack(stack, dir, env);
    await real.setConfig(o.config);
    return real;
  }

  async setConfig(config: Record<string, ConfigValue>): Promise<void> {
    const map: ConfigMap = {};
    for (const [k, v] of Object.entries(config)) map[k] = typeof v === "string" ? { value: v } : { value: v.secret, secret: true };
    await this.stack.setAllConfig(map);
  }

  /** `parallel`: the engine's `--parallel` (absent: the CLI's default). */
  async run(operation: RealOperation, opts: { parallel?: number } = {}): Promise<RealRun> {
    const log = path.join(this.dir, `events-${++this.runs}.jsonl`);
    (this.stack.workspace as unknown as { pulumiCommand: FileEventLogCommand }).pulumiCommand.eventLogFile = log;
    // The callback only makes the Automation API ask for an event log; the events come from the file.
    const onEvent = () => undefined;
    const parallel = opts.parallel === undefined ? {} : { parallel: opts.parallel };
    const events = () => readEventLog(log);
    try {
      let stdout = "";
      switch (operation) {
        case "preview":
          stdout = (await this.stack.preview({ ...parallel, onEvent, diff: true })).stdout;
          break;
        case "up":
          stdout = (await this.stack.up({ ...parallel, onEvent })).stdout;
          break;
        case "refresh":
          stdout = (await this.stack.refresh({ ...parallel, onEvent })).stdout;
          break;
        case "drift":
          stdout = (await this.stack.previewRefresh({ ...parallel, onEvent })).stdout;
          break;
        case "destroy":
          stdout = (await this.stack.destroy({ ...parallel, onEvent })).stdout;
          break;
        case "destroy-preview":
          stdout = (await this.stack.previewDestroy({ ...parallel, onEvent })).stdout;
          break;
      }
      return { operation, ok: true, events: events(), eventLog: log, stdout };
    } catch (e) {
      const err = e as Error & { stdout?: string; stderr?: string };
      return { operation, ok: false, events: events(), eventLog: log, error: err.message, stdout: err.stdout ?? "" };
    } finally {
      (this.stack.workspace as unknown as { pulumiCommand: FileEventLogCommand }).pulumiCommand.eventLogFile = undefined;
    }
  }

  preview = () => this.run("preview");
  up = () => this.run("up");
  refresh = () => this.run("refresh");
  drift = () => this.run("drift");
  destroy = () => this.run("destroy");

  /**
   * `pulumi stack export`, run as a user runs it (the Automation API's exportStack adds
   * --show-secrets): the deployment's resources, secrets encrypted as the backend stores them.
   */
  async exported(): Promise<{ text: string; resources: ExportedResource[] }> {
    const cli = (this.stack.workspace as unknown as { pulumiCommand: { run: Run } }).pulumiCommand;
    const r = (await cli.run(["stack", "export", "--stack", this.stack.name], this.stack.workspace.workDir, this.env)) as { stdout: string };
    const d = JSON.parse(r.stdout) as { deployment?: { resources?: ExportedResource[] } };
    return { text: r.stdout, resources: d.deployment?.resources ?? [] };
  }

  /** Removes the stack and its temporary directory (its backend with it). */
  async dispose(): Promise<void> {
    try {
      await this.stack.workspace.removeStack(this.stack.name, { force: true });
    } catch {
      // the directory goes anyway
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The environment of an isolated, offline CLI. */
export function realEngineEnv(home: string, backend: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "pulumi-codearts engine tests",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...extra,
  };
}

type Run = (args: string[], ...rest: unknown[]) => Promise<unknown>;
type FileEventLogCommand = PulumiCommand & { eventLogFile?: string; run: Run };

/** The CLI with `--event-log tcp://…` (the Automation API's gRPC event stream) pointed at a file instead. */
function withFileEventLog(cli: PulumiCommand): FileEventLogCommand {
  const wrapped = Object.create(cli) as FileEventLogCommand;
  const run = (cli as unknown as { run: Run }).run.bind(cli);
  wrapped.run = (args, ...rest) => {
    const i = args.indexOf("--event-log");
    if (i >= 0 && wrapped.eventLogFile) args = [...args.slice(0, i + 1), wrapped.eventLogFile, ...args.slice(i + 2)];
    return run(args, ...rest);
  };
  return wrapped;
}

/** The events of a `--event-log` file (none when the CLI stopped before writing one). */
export function readEventLog(file: string): EngineEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as EngineEvent);
}

/** One JSON engine event a line: the `--event-log` format. */
export function writeEventLog(file: string, events: EngineEvent[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
}

/**
 * A compiled program module, evaluated afresh on every run: the Automation API's language server runs
 * it in this process, where `require` caches modules (Node's cache, or jest's registry, which
 * `require.cache` does not reach). Its bare imports (`@pulumi/pulumi`, `pulumi-codearts`) load through
 * this module's `require`, so the program shares the runtime the language server configured.
 */
export function programFrom(file: string, modules: Record<string, unknown> = {}): () => Promise<Record<string, unknown> | void> {
  return async () => {
    const source = fs.readFileSync(file, "utf8");
    const dir = path.dirname(file);
    // `modules` stands in for bare imports (the plugin's door for `pulumi-codearts`: tests/harness/pluginDoor.ts).
    const load = (id: string): unknown => (id in modules ? modules[id] : require(id.startsWith(".") ? path.resolve(dir, id) : id));
    const module = { exports: {} as Record<string, unknown> };
    // The Function constructor, not vm.compileFunction: under jest this module runs in a sandbox realm, and a
    // program compiled in the main realm makes arrays the Pulumi runtime here does not take for arrays.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function("exports", "require", "module", "__filename", "__dirname", source)(module.exports, load, module, file, dir);
    return module.exports;
  };
}
