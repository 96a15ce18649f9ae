import * as fs from "fs";
import * as path from "path";
import { DeploymentResult, Engine, ResourceState, TraceEntry } from "./engine";
import { ConfigValue, ProviderHost } from "./host";

/**
 * A stack of a Pulumi program on the engine stand-in (engine.ts), operated the way the CLI does it:
 * every operation is its own engine run with a fresh dynamic-provider host (one process for the stack,
 * configured with the whole stack config), so nothing is warm; the state carries over from run to
 * run, as a backend keeps it. The program runs as a file under @pulumi/pulumi's Node runtime.
 *
 * For a program's provider calls where the real CLI would be slow (tests/program.test.ts, among them
 * 20 fresh ups under latency); it makes no engine events (the real CLI's RealStack, realEngine.ts, does).
 * tests/engine/standIn.test.ts runs the same program through a ProgramStack and through the Pulumi
 * CLI v3.277.0 and requires the same provider calls per resource, field by field, the engine's order
 * across resources and the same state after every operation.
 */
export class ProgramStack {
  readonly state = new Map<string, ResourceState>();
  /** The dynamic-provider host's output of the last operation (the provider's logs). */
  providerLogs: string[] = [];
  /** The provider RPCs of the last operation, in PULUMI_DEBUG_GRPC shape (Engine.calls). */
  calls: TraceEntry[] = [];

  constructor(
    private readonly o: {
      /** The directory holding Pulumi.yaml; the program is its `main`. */
      dir: string;
      /** Another entry point than Pulumi.yaml's `main` (relative to `dir`, or absolute). */
      main?: string;
      config: Record<string, ConfigValue>;
      parallel: number;
      project?: string;
      stack?: string;
      timeoutMs?: number;
    },
  ) {}

  /** Pulumi.yaml's `name` and `main` (the entry point the language host is given). */
  private project(): { name: string; main: string } {
    const yaml = fs.readFileSync(path.join(this.o.dir, "Pulumi.yaml"), "utf8");
    const field = (k: string) => yaml.match(new RegExp(`^${k}:\\s*(\\S+)`, "m"))?.[1];
    return { name: this.o.project ?? field("name") ?? "project", main: this.o.main ?? field("main") ?? "." };
  }

  private async withEngine(run: (e: Engine) => Promise<DeploymentResult>): Promise<DeploymentResult> {
    const host = await ProviderHost.start();
    try {
      const engine = new Engine(host, {
        providerFor: () => Promise.reject(new Error("harness: a program's resources bring their own __provider")),
        project: this.project().name,
        stack: this.o.stack ?? "dev",
        state: this.state,
      });
      try {
        await engine.configure(this.o.config);
        return await run(engine);
      } finally {
        this.calls = engine.calls;
      }
    } finally {
      await host.close();
      this.providerLogs = [...host.logs];
    }
  }

  private program(dryRun: boolean) {
    const plain = Object.fromEntries(Object.entries(this.o.config).map(([k, v]) => [k, typeof v === "string" ? v : v.secret]));
    const secretKeys = Object.entries(this.o.config)
      .filter(([, v]) => typeof v !== "string")
      .map(([k]) => k);
    return { dir: this.o.dir, main: this.project().main, dryRun, parallel: this.o.parallel, config: plain, secretKeys, timeoutMs: this.o.timeoutMs ?? 120_000 };
  }

  up(): Promise<DeploymentResult> {
    return this.withEngine((e) => e.runProgram(this.program(false)));
  }

  preview(): Promise<DeploymentResult> {
    return this.withEngine((e) => e.runProgram(this.program(true)));
  }

  refresh(): Promise<DeploymentResult> {
    return this.withEngine((e) => e.refreshAll(this.o.parallel));
  }

  /** `pulumi refresh --preview-only`: what the drift job runs; the state is left as it was. */
  previewRefresh(): Promise<DeploymentResult> {
    return this.withEngine((e) => e.refreshAll(this.o.parallel, true));
  }

  destroy(): Promise<DeploymentResult> {
    return this.withEngine((e) => e.destroyAll(this.o.parallel));
  }

  /** Changes stack config between operations, as `pulumi config set` does. */
  setConfig(key: string, value: ConfigValue): void {
    this.o.config[key] = value;
  }
}
