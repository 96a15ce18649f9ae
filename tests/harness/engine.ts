/**
 * A stand-in for the Pulumi engine's step generator and executor, kept for speed: it makes the
 * provider RPCs `pulumi up/preview/refresh/destroy` and `Resource.get` make, in the same order, with
 * the same arguments, against the real dynamic-provider host, and keeps state the way the engine does,
 * without a CLI, a backend or checkpoint writes. Every RPC is recorded in `calls` in PULUMI_DEBUG_GRPC
 * / providertest replay shape. It produces no engine events: events, and what the summary makes of
 * them, come from the real CLI only (tests/engine/, tests/harness/realEngine.ts).
 *
 * What it is for: the fault matrix (tests/faultMatrix*.test.ts) and the kinds' lifecycle tests, one
 * resource at a time (up/refresh/destroy/get); the scale run (tests/scale.test.ts, bench); a whole
 * program's provider calls (ProgramStack, stack.ts; tests/program.test.ts).
 *
 * Proved against the real engine: tests/engine/standIn.test.ts runs the same program (engineTestProgram:
 * the platform program, every kind) through ProgramStack and through the Pulumi CLI v3.277.0 (built
 * from source, `pulumi version`) with PULUMI_DEBUG_GRPC, for a new stack's up, up with nothing to do, a
 * rename's preview and up (updates, create-before-delete replacements), a delete-before-replace, a
 * refresh and a destroy, and requires per resource the same Configure/Check/Diff/Create/Update/
 * Delete/Read calls field by field, the engine's order across resources (dependencies first, no two
 * Check/Diff at once, deletes last in ScheduleDeletes' waves) and the same state. What that run does
 * not reach (failed and partial steps, init errors, DIFF_UNKNOWN, Resource.get, a stopped deployment)
 * follows the engine's source (pkg/resource/deploy/step_generator.go, step.go, deployment_executor.go
 * and sdk/go/common/resource/plugin/provider_plugin.go) and is not proved against the CLI.
 *
 * Engine behaviours reproduced (beyond the plain Check -> Create/Diff -> Update order):
 * - Check gets olds = previous *inputs* ({} for a new resource); Diff and Update get olds = previous
 *   *outputs* plus oldInputs; Delete gets the stored outputs (and so the stored `__provider`).
 *   (v3.277 also sends Check the old outputs, `oldOutputs`; the host's protocol, @pulumi/pulumi's,
 *   has no such field, so the provider never sees it and the stand-in does not send it.)
 * - The provider is configured first with the whole stack config, the default provider's URN in the
 *   stack and a fresh UUID as its ID (`configure`).
 * - On a replacement the engine re-runs Check with empty olds before creating the replacement.
 * - DIFF_UNKNOWN: the engine compares old and new inputs itself (this is pulumi/pulumi#12401: a changed
 *   `__provider` then counts as a change).
 * - A Create/Update that fails with ErrorResourceInitFailed still records id/outputs (the properties
 *   the provider put on the error, which the host does NOT extend with `__provider`) plus init errors;
 *   the next `up` then updates the resource even when Diff reports no changes.
 * - Preview never calls Create/Update (the Node host does not advertise supportsPreview).
 */
import { randomBytes, randomUUID } from "crypto";
import {
  CheckFailure,
  ConfigValue,
  configureRequest,
  diffResult,
  DiffResult,
  InitFailedError,
  Method,
  methodPath,
  ProviderHost,
  requestJson,
  SECRET_SIG,
  SECRET_SIG_KEY,
  typeToken,
  urnFor,
} from "./host";
import { Deployment, ProgramOptions, ProgramRun, Registration, runProgram } from "./monitor";

export interface ResourceState {
  urn: string;
  type: string;
  name: string;
  id: string;
  /** Checked inputs, including `__provider`, as the engine stores them. */
  inputs: Record<string, any>;
  /** Outputs as returned by the provider (the host adds `__provider`). */
  outputs: Record<string, any>;
  /** Set when the last Create/Update failed with ErrorResourceInitFailed. */
  initErrors?: string[];
  /** URNs this resource depends on (RegisterResource `dependencies`): deletes go in reverse order. */
  dependencies?: string[];
}

export interface StepResult {
  /** "invalid": Check failed (see failures). "read": Resource.get found the object. */
  op: "create" | "update" | "replace" | "same" | "delete" | "refresh" | "gone" | "read" | "invalid";
  state?: ResourceState;
  diff?: DiffResult;
  failures?: CheckFailure[];
}

export interface TraceEntry {
  method: string;
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  errors?: string[];
  ms: number;
  /** When the call went out and when it came back, on one counter per engine: what ran before, after or during what. */
  started: number;
  completed?: number;
}

const PROVIDER_KEY = "__provider";

/** What the step generator decided for one registration. */
type Plan = {
  urn: string;
  type: string;
  name: string;
  checked: { inputs: Record<string, any>; failures: CheckFailure[] };
  old?: ResourceState;
  diff?: DiffResult;
} & ({ op: "create" | "replace" | "update" | "same" } | { op: "invalid"; failures: CheckFailure[] });

export class Engine {
  readonly state: Map<string, ResourceState>;
  readonly calls: TraceEntry[] = [];
  private ticks = 0;
  readonly project: string;
  readonly stack: string;

  constructor(
    private readonly host: ProviderHost,
    private readonly opts: {
      providerFor: (type: string) => Promise<string>;
      project?: string;
      stack?: string;
      state?: Map<string, ResourceState>;
      /** false: no trace in `calls` (the scale run: encoding every request twice was a third of the rig's CPU). */
      trace?: boolean;
    },
  ) {
    this.state = opts.state ?? new Map();
    this.project = opts.project ?? "project";
    this.stack = opts.stack ?? "stack";
  }

  urn(type: string, name: string): string {
    return urnFor(type, name, this.project, this.stack);
  }

  /** Short method names of the recorded calls, e.g. ["Check", "Diff", "Update"]; `since` = an earlier calls.length. */
  methods(since = 0): string[] {
    return this.calls.slice(since).map((c) => c.method.split("/").pop()!);
  }

  /** The trace as JSON lines, the PULUMI_DEBUG_GRPC log format (without timestamps). */
  traceJsonl(): string {
    return this.calls.map(({ method, request, response, errors }) => JSON.stringify({ method, request, response, errors })).join("\n");
  }

  private async rpc(method: Method, request: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.opts.trace === false) return this.host.call(method, request);
    const entry: TraceEntry = { method: methodPath(method), request: requestJson(method, request), ms: 0, started: this.ticks++ };
    this.calls.push(entry);
    const t0 = performance.now();
    try {
      entry.response = await this.host.call(method, request);
      return entry.response;
    } catch (e) {
      entry.errors = [(e as Error).message];
      throw e;
    } finally {
      entry.ms = performance.now() - t0;
      entry.completed = this.ticks++;
    }
  }

  /**
   * Configures the provider as the engine configures its default provider before the first step: the
   * whole stack config, the provider's URN in this stack and an ID (a fresh UUID, as the engine's).
   */
  async configure(config: Record<string, ConfigValue>): Promise<void> {
    await this.rpc("Configure", configureRequest(config, { urn: this.urn("pulumi:providers:pulumi-nodejs", "default"), id: randomUUID() }));
  }

  private base(type: string, name: string) {
    const urn = this.urn(type, name);
    return { urn, name, type: typeToken(type) };
  }

  private async check(type: string, name: string, olds: Record<string, any>, news: Record<string, any>) {
    const r = await this.rpc("Check", { ...this.base(type, name), olds, news, randomSeed: randomBytes(32).toString("base64") });
    return { inputs: (r.inputs ?? {}) as Record<string, any>, failures: (r.failures ?? []) as CheckFailure[] };
  }

  private async create(type: string, name: string, inputs: Record<string, any>): Promise<ResourceState> {
    const urn = this.urn(type, name);
    try {
      const r = await this.rpc("Create", { ...this.base(type, name), properties: inputs });
      if (!r.id) throw new Error("provider did not return an ID from Create");
      const st: ResourceState = { urn, type, name, id: r.id as string, inputs, outputs: (r.properties ?? {}) as Record<string, any> };
      this.state.set(urn, st);
      return st;
    } catch (e) {
      if (e instanceof InitFailedError) this.state.set(urn, { urn, type, name, id: e.id, inputs, outputs: e.properties, initErrors: e.reasons });
      throw e;
    }
  }

  private async delete(old: ResourceState): Promise<void> {
    await this.rpc("Delete", { ...this.base(old.type, old.name), id: old.id, properties: old.outputs, oldInputs: old.inputs });
    if (this.state.get(old.urn) === old) this.state.delete(old.urn);
  }

  /** Check, then Diff against the state: what the step generator decides for one registration. */
  private async plan(type: string, name: string, news: Record<string, any>): Promise<Plan> {
    const urn = this.urn(type, name);
    const old = this.state.get(urn);
    let checked = await this.check(type, name, old ? old.inputs : {}, news);
    if (checked.failures.length) return { op: "invalid", urn, type, name, checked, failures: checked.failures };
    if (!old) return { op: "create", urn, type, name, checked };

    const diff = diffResult(await this.rpc("Diff", { ...this.base(type, name), id: old.id, olds: old.outputs, news: checked.inputs, oldInputs: old.inputs }));
    let changes = diff.changes;
    if (changes === "DIFF_UNKNOWN") changes = deepEqual(old.inputs, checked.inputs) ? "DIFF_NONE" : "DIFF_SOME";
    const hasInitErrors = (old.initErrors?.length ?? 0) > 0;

    if (changes === "DIFF_SOME" && diff.replaces.length > 0) {
      // "If we are going to perform a replacement, we need to recompute the default values."
      checked = await this.check(type, name, {}, news);
      if (checked.failures.length) return { op: "invalid", urn, type, name, checked, old, diff, failures: checked.failures };
      return { op: "replace", urn, type, name, checked, old, diff };
    }
    if (changes === "DIFF_SOME" || hasInitErrors) return { op: "update", urn, type, name, checked, old, diff };
    return { op: "same", urn, type, name, checked, old, diff };
  }

  /**
   * Runs what `plan` decided. `replaced`, when given, takes the old object of a create-before-delete
   * replacement, whose delete the engine runs at the end of the deployment; without it, at once.
   */
  private async apply(p: Plan, dryRun: boolean, replaced?: (old: ResourceState) => void): Promise<StepResult> {
    const { urn, type, name, checked, old, diff } = p;
    switch (p.op) {
      case "invalid":
        return { op: "invalid", diff, failures: p.failures };
      case "create":
        if (dryRun) return { op: "create", state: { urn, type, name, id: "", inputs: checked.inputs, outputs: {} } };
        return { op: "create", state: await this.create(type, name, checked.inputs) };
      case "replace": {
        if (dryRun) {
          if (!diff!.deleteBeforeReplace) replaced?.(old!); // shown as a delete-replaced step at the end
          return { op: "replace", diff, state: { ...old!, id: "", inputs: checked.inputs, outputs: {}, initErrors: undefined } };
        }
        if (diff!.deleteBeforeReplace) {
          await this.delete(old!);
          return { op: "replace", diff, state: await this.create(type, name, checked.inputs) };
        }
        const created = await this.create(type, name, checked.inputs);
        if (replaced) replaced(old!);
        else await this.delete(old!);
        this.state.set(urn, created);
        return { op: "replace", diff, state: created };
      }
      case "update": {
        if (dryRun) return { op: "update", diff, state: { ...old!, inputs: checked.inputs } };
        try {
          const r = await this.rpc("Update", {
            ...this.base(type, name),
            id: old!.id,
            olds: old!.outputs,
            news: checked.inputs,
            oldInputs: old!.inputs,
          });
          const st: ResourceState = { urn, type, name, id: old!.id, inputs: checked.inputs, outputs: (r.properties ?? {}) as Record<string, any>, dependencies: old!.dependencies };
          this.state.set(urn, st);
          return { op: "update", diff, state: st };
        } catch (e) {
          if (e instanceof InitFailedError) {
            this.state.set(urn, { urn, type, name, id: old!.id, inputs: checked.inputs, outputs: e.properties, initErrors: e.reasons, dependencies: old!.dependencies });
          }
          throw e;
        }
      }
      case "same": {
        // Same: the engine keeps the id and outputs and records the new (checked) inputs.
        const same: ResourceState = { ...old!, inputs: checked.inputs };
        if (!dryRun) this.state.set(urn, same);
        return { op: "same", diff, state: dryRun ? { ...same } : same };
      }
    }
  }

  private async step(type: string, name: string, inputs: Record<string, any>, dryRun: boolean): Promise<StepResult> {
    const news = { ...inputs, [PROVIDER_KEY]: await this.opts.providerFor(type) };
    return this.apply(await this.plan(type, name, news), dryRun);
  }

  /** Like `pulumi up` for one resource (see the file comment for the engine details reproduced). */
  up(type: string, name: string, inputs: Record<string, any>): Promise<StepResult> {
    return this.step(type, name, inputs, false);
  }

  /** Like `pulumi preview`: Check then Diff only (no mutation); inputs may contain UNKNOWN. */
  preview(type: string, name: string, inputs: Record<string, any>): Promise<StepResult> {
    return this.step(type, name, inputs, true);
  }

  /**
   * Like `pulumi refresh` of one resource (step.go `RefreshStep`): Read(id, props = outputs, inputs =
   * stored inputs), then Diff(olds = what was read, news = the stored inputs, oldInputs = the inputs
   * read), by which the engine decides whether the resource drifted (`diff`). Empty id -> removed from
   * state, op "gone". With `previewOnly` (`refresh --preview-only`) the state is left as it was.
   */
  async refresh(type: string, name: string, previewOnly = false): Promise<StepResult> {
    return this.refreshStep(this.mustGet(type, name), previewOnly);
  }

  private async refreshStep(old: ResourceState, previewOnly: boolean): Promise<StepResult> {
    const r = await this.rpc("Read", { ...this.base(old.type, old.name), id: old.id, properties: old.outputs, inputs: old.inputs });
    if (!r.id) {
      if (!previewOnly) this.state.delete(old.urn);
      return { op: "gone" };
    }
    const refreshed: ResourceState = {
      ...old,
      id: r.id as string,
      outputs: (r.properties ?? {}) as Record<string, any>,
      inputs: (r.inputs as Record<string, any> | undefined) ?? old.inputs,
    };
    const diff = diffResult(
      await this.rpc("Diff", {
        ...this.base(old.type, old.name),
        id: refreshed.id,
        olds: refreshed.outputs,
        news: old.inputs,
        oldInputs: refreshed.inputs,
      }),
    );
    if (!previewOnly) this.state.set(old.urn, refreshed);
    return { op: "refresh", state: refreshed, diff };
  }

  /**
   * Like `Resource.get(name, id, props)` (a ReadStep): Read(id, properties = inputs = props + __provider).
   * An empty id comes back as op "gone" and nothing is stored. (The real engine would record a
   * state holding only `__provider`, because the host always re-attaches it to the properties.)
   */
  async get(type: string, name: string, id: string, props: Record<string, any> = {}): Promise<StepResult> {
    const urn = this.urn(type, name);
    const inputs = { ...props, [PROVIDER_KEY]: await this.opts.providerFor(type) };
    const r = await this.rpc("Read", { ...this.base(type, name), id, properties: inputs, inputs });
    if (!r.id) return { op: "gone" };
    const st: ResourceState = { urn, type, name, id: r.id as string, inputs, outputs: (r.properties ?? {}) as Record<string, any> };
    this.state.set(urn, st);
    return { op: "read", state: st };
  }

  /** Like `pulumi destroy` for one resource: Delete(id, outputs); removes from state. */
  async destroy(type: string, name: string): Promise<StepResult> {
    const old = this.mustGet(type, name);
    await this.delete(old);
    return { op: "delete", state: old };
  }

  // -------------------------------------------------------------------------------------------
  // Whole deployments, scheduled as the engine schedules them (pkg/resource/deploy/
  // deployment_executor.go, step_executor.go, step_generator.go @ v3.277.0): registrations are checked
  // and diffed one at a time, in the order the program makes them; the resulting steps of different
  // resources run concurrently, at most `parallel` at once (the CLI's default is 4 × GOMAXPROCS, or
  // PULUMI_PARALLEL); deletes (resources the program no longer declares, and the old objects of
  // create-before-delete replacements, scheduled together) run after the program, in ScheduleDeletes'
  // waves (deleteInOrder). The first failed step stops the deployment: later registrations fail.

  /** Like `pulumi up` / `pulumi preview` of a program: runs it under the Node language runtime. */
  async runProgram(o: Omit<ProgramOptions, "project" | "stack">): Promise<DeploymentResult> {
    const result: DeploymentResult = { ok: false, steps: [], errors: [], logs: [], outputs: {}, run: undefined as unknown as ProgramRun };
    const limit = semaphore(o.parallel);
    const registered = new Set<string>();
    const replacedOlds: ResourceState[] = [];
    const inFlight = new Set<Promise<unknown>>();
    let planning: Promise<unknown> = Promise.resolve();
    let stopped = false;
    const stackType = "pulumi:pulumi:Stack";
    const rootUrn = this.urn(stackType, `${this.project}-${this.stack}`);

    const register = async (reg: Registration) => {
      if (!reg.custom) {
        if (reg.type !== stackType) throw new Error(`harness: component resources are not supported (${reg.type})`);
        return { urn: rootUrn, id: "", object: {} };
      }
      if (reg.parent && reg.parent !== rootUrn) throw new Error(`harness: only resources parented to the stack are supported (${reg.name})`);
      const urn = this.urn(reg.type, reg.name);
      if (registered.has(urn)) throw new Error(`duplicate resource URN '${urn}'`);
      registered.add(urn);
      if (stopped) throw new Error("the deployment stopped after a failed step");
      const { plain, secretKeys: secretInputs } = unwrapSecrets(reg.object);
      const secretKeys = [...new Set([...secretInputs, ...reg.additionalSecretOutputs])];
      const planned = planning.then(() => this.plan(reg.type, reg.name, plain));
      planning = planned.catch(() => undefined);
      let p: Plan | undefined;
      let step: StepResult;
      try {
        p = await planned;
        if (p.op === "invalid") {
          const message = p.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
          throw new Error(`check failed: ${message}`);
        }
        step = await limit(() => this.apply(p!, o.dryRun, (replaced) => replacedOlds.push(replaced)));
      } catch (e) {
        stopped = true;
        const kept = o.dryRun ? undefined : this.state.get(urn);
        if (kept) kept.dependencies = reg.dependencies; // a partial create is kept, with what it depends on
        result.errors.push(`${urn}: ${(e as Error).message}`);
        result.steps.push({ op: "failed", urn, type: reg.type, name: reg.name });
        throw e;
      }
      const st = step.state!;
      if (!o.dryRun) {
        const kept = this.state.get(urn);
        if (kept) kept.dependencies = reg.dependencies;
      }
      result.steps.push({ op: step.op, urn, type: reg.type, name: reg.name, id: st.id });
      // Preview without provider support: the outputs are the inputs (provider_plugin.go Create/Update).
      const outputs = o.dryRun && step.op !== "same" ? st.inputs : st.outputs;
      return { urn, id: st.id, object: wrapSecrets(outputs, new Set(secretKeys)) };
    };

    const deployment: Deployment = {
      register: (reg) => {
        const p = register(reg);
        inFlight.add(p);
        p.then(
          () => inFlight.delete(p),
          () => inFlight.delete(p),
        );
        return p;
      },
      registerOutputs: (urn, outputs) => {
        if (urn === rootUrn) result.outputs = unwrapSecrets(outputs).plain;
      },
      log: (severity, message, urn) => result.logs.push({ severity, message, urn }),
    };
    result.run = await runProgram(deployment, { ...o, project: this.project, stack: this.stack });
    // A killed program leaves its registrations running: wait, so the state says what they did.
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    if (result.run.timedOut) result.errors.push(`the program did not finish within ${o.timeoutMs} ms and was killed`);
    else if (result.run.exitCode !== 0) result.errors.push(`the program exited with code ${result.run.exitCode}`);
    if (result.errors.length === 0) {
      // One schedule for both kinds of delete (step_generator.go GenerateDeletes, then ScheduleDeletes).
      const gone = [...this.state.values()].filter((st) => !registered.has(st.urn));
      await this.deleteInOrder(
        [...gone.map((st) => ({ st, op: "delete" as const })), ...replacedOlds.map((st) => ({ st, op: "delete-replaced" as const }))],
        o.parallel,
        o.dryRun,
        result,
      );
    }
    result.ok = result.errors.length === 0;
    return result;
  }

  /** Like `pulumi destroy`: every resource in the state, dependents first (in waves), `parallel` at once. */
  async destroyAll(parallel: number): Promise<DeploymentResult> {
    const result: DeploymentResult = { ok: false, steps: [], errors: [], logs: [], outputs: {} };
    await this.deleteInOrder(
      [...this.state.values()].map((st) => ({ st, op: "delete" as const })),
      parallel,
      false,
      result,
    );
    result.ok = result.errors.length === 0;
    return result;
  }

  /**
   * Like `pulumi refresh` (`previewOnly`: `refresh --preview-only`, what drift runs): every resource
   * read, `parallel` at once; the result is decided as the engine does since 3.120, by the provider's
   * Diff of the refreshed outputs against the last declared inputs (step.go `RefreshStep`). Without
   * `previewOnly` the state takes what was read, and gone resources leave it.
   */
  async refreshAll(parallel: number, previewOnly = false): Promise<DeploymentResult> {
    const result: DeploymentResult = { ok: false, steps: [], errors: [], logs: [], outputs: {} };
    const limit = semaphore(parallel);
    await Promise.all(
      [...this.state.values()].map((old) =>
        limit(async () => {
          try {
            const step = await this.refreshStep(old, previewOnly);
            result.steps.push({ op: step.op, urn: old.urn, type: old.type, name: old.name, id: step.state?.id ?? old.id });
          } catch (e) {
            result.errors.push(`${old.urn}: ${(e as Error).message}`);
          }
        }),
      ),
    );
    result.ok = result.errors.length === 0;
    return result;
  }

  /**
   * Deletes as the engine schedules them (step_generator.go `ScheduleDeletes`, deployment_executor.go
   * `performPostSteps`): the doomed resources in waves ("antichains"): peel off, again and again, those
   * that depend on no doomed resource left; the last peeled wave is deleted first. Each wave runs
   * `parallel` at once and must finish before the next starts, even where no dependency asks for it.
   * A failed delete spares everything it depends on, transitively, in the waves after it.
   */
  private async deleteInOrder(doomed: Array<{ st: ResourceState; op: "delete" | "delete-replaced" }>, parallel: number, dryRun: boolean, result: DeploymentResult): Promise<void> {
    const limit = semaphore(parallel);
    const opOf = new Map(doomed.map((d) => [d.st, d.op]));
    const spared = new Set<ResourceState>();
    const spare = (r: ResourceState): void => {
      for (const { st } of doomed) {
        if (!spared.has(st) && (r.dependencies ?? []).includes(st.urn)) {
          spared.add(st);
          spare(st);
        }
      }
    };
    for (const wave of deleteWaves(doomed.map((d) => d.st))) {
      const failed: ResourceState[] = [];
      await Promise.all(
        wave
          .filter((r) => !spared.has(r))
          .map((r) =>
            limit(async () => {
              const op = opOf.get(r)!;
              try {
                if (!dryRun) await this.delete(r);
                result.steps.push({ op, urn: r.urn, type: r.type, name: r.name, id: r.id });
              } catch (e) {
                result.errors.push(`${r.urn}: ${(e as Error).message}`);
                failed.push(r);
              }
            }),
          ),
      );
      for (const r of failed) spare(r);
    }
  }

  private mustGet(type: string, name: string): ResourceState {
    const st = this.state.get(this.urn(type, name));
    if (!st) throw new Error(`harness: ${this.urn(type, name)} is not in the state`);
    return st;
  }
}

export interface DeploymentResult {
  /** The program ran to its end, every step succeeded. */
  ok: boolean;
  steps: Array<{ op: StepResult["op"] | "delete-replaced" | "failed"; urn: string; type: string; name: string; id?: string }>;
  /** Failed steps (with the provider's message) and how the program ended, when not well. */
  errors: string[];
  /** What the program logged through the Engine service (its errors included). */
  logs: Array<{ severity: string; message: string; urn: string }>;
  /** The stack's outputs (RegisterResourceOutputs on the root resource). */
  outputs: Record<string, unknown>;
  run?: ProgramRun;
}

/**
 * step_generator.go `ScheduleDeletes`: while resources are left, those with no dependency among the
 * resources left form a wave and leave; the waves, reversed, are the order of deletion (dependents first).
 */
export function deleteWaves<T extends { urn: string; dependencies?: string[] }>(doomed: readonly T[]): T[][] {
  const waves: T[][] = [];
  let left = [...doomed];
  while (left.length > 0) {
    const urns = new Set(left.map((r) => r.urn));
    const free = left.filter((r) => !(r.dependencies ?? []).some((d) => d !== r.urn && urns.has(d)));
    if (free.length === 0) throw new Error(`harness: a dependency cycle among ${[...urns].join(", ")}`);
    waves.push(free);
    left = left.filter((r) => !free.includes(r));
  }
  return waves.reverse();
}

/** At most `n` of the functions it is given run at once (the step executor's worker pool). */
function semaphore(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const isSecret = (v: unknown): v is { value: unknown } => !!v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;

/**
 * The dynamic-provider host answers Configure with acceptSecrets false, so the engine hands it plain
 * values and keeps secretness itself: the top-level keys that held a secret anywhere inside.
 */
function unwrapSecrets(obj: Record<string, unknown>): { plain: Record<string, any>; secretKeys: Set<string> } {
  const secretKeys = new Set<string>();
  const strip = (v: unknown, key: string): unknown => {
    if (isSecret(v)) {
      secretKeys.add(key);
      return strip(v.value, key);
    }
    if (Array.isArray(v)) return v.map((x) => strip(x, key));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x, key)]));
    return v;
  };
  const plain = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, strip(v, k)]));
  return { plain, secretKeys };
}

function wrapSecrets(obj: Record<string, unknown>, keys: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, keys.has(k) ? { [SECRET_SIG_KEY]: SECRET_SIG, value: v } : v]));
}

/** Deep equality of JSON values (what the engine's PropertyMap.Diff amounts to for plain values). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as any)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as any)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}
