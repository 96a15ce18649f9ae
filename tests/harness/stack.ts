import * as fs from "fs";
import * as path from "path";
import { DeploymentResult, Engine, ResourceState } from "./engine";
import { ConfigValue, ProviderHost } from "./host";

/**
 * A stack of a Pulumi program, operated the way the CLI does it: every operation is its own engine
 * run with a fresh dynamic-provider host (one process for the stack, configured with the whole stack
 * config), so nothing is warm; the state carries over from run to run, as a backend keeps it.
 */
export class ProgramStack {
  readonly state = new Map<string, ResourceState>();
  /** The dynamic-provider host's output of the last operation (the provider's logs). */
  providerLogs: string[] = [];

  constructor(
    private readonly o: {
      /** The directory holding Pulumi.yaml; the program is its `main`. */
      dir: string;
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
    return { name: this.o.project ?? field("name") ?? "project", main: field("main") ?? "." };
  }

  private async withEngine(run: (e: Engine) => Promise<DeploymentResult>): Promise<DeploymentResult> {
    const host = await ProviderHost.start();
    try {
      await host.configure(this.o.config);
      const engine = new Engine(host, {
        providerFor: () => Promise.reject(new Error("harness: a program's resources bring their own __provider")),
        project: this.project().name,
        stack: this.o.stack ?? "dev",
        state: this.state,
      });
      return await run(engine);
    } finally {
      await host.close();
      this.providerLogs = [...host.logs];
    }
  }

  private program(dryRun: boolean) {
    const plain = Object.fromEntries(Object.entries(this.o.config).map(([k, v]) => [k, typeof v === "string" ? v : v.secret]));
    const secretKeys = Object.entries(this.o.config).filter(([, v]) => typeof v !== "string").map(([k]) => k);
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
