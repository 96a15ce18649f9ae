/**
 * A stand-in for the Pulumi engine's step generator and executor, for one resource at a time: it
 * makes the same calls, in the same order, with the same arguments as `pulumi up/preview/refresh/
 * destroy` and `Resource.get` would (pkg/resource/deploy/step_generator.go, step.go and
 * sdk/go/common/resource/plugin/provider_plugin.go @ pulumi/pulumi 1b59498), and keeps state the way
 * the engine does. Every RPC is recorded in `calls` in PULUMI_DEBUG_GRPC / providertest replay shape.
 *
 * Engine behaviours reproduced (beyond the plain Check -> Create/Diff -> Update order):
 * - Check gets olds = previous *inputs* ({} for a new resource); Diff and Update get olds = previous
 *   *outputs* plus oldInputs; Delete gets the stored outputs (and so the stored `__provider`).
 * - On a replacement the engine re-runs Check with empty olds before creating the replacement.
 * - DIFF_UNKNOWN: the engine compares old and new inputs itself (this is pulumi/pulumi#12401: a changed
 *   `__provider` then counts as a change).
 * - A Create/Update that fails with ErrorResourceInitFailed still records id/outputs (the properties
 *   the provider put on the error, which the host does NOT extend with `__provider`) plus init errors;
 *   the next `up` then updates the resource even when Diff reports no changes.
 * - Preview never calls Create/Update (the Node host does not advertise supportsPreview).
 */
import { randomBytes } from "crypto";
import { CheckFailure, diffResult, DiffResult, InitFailedError, Method, methodPath, ProviderHost, requestJson, typeToken, urnFor } from "./host";

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
}

const PROVIDER_KEY = "__provider";

export class Engine {
  readonly state = new Map<string, ResourceState>();
  readonly calls: TraceEntry[] = [];
  private readonly project: string;
  private readonly stack: string;

  constructor(
    private readonly host: ProviderHost,
    private readonly opts: { providerFor: (type: string) => Promise<string>; project?: string; stack?: string },
  ) {
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
    const entry: TraceEntry = { method: methodPath(method), request: requestJson(method, request), ms: 0 };
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
    }
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

  private async step(type: string, name: string, inputs: Record<string, any>, dryRun: boolean): Promise<StepResult> {
    const urn = this.urn(type, name);
    const old = this.state.get(urn);
    const news = { ...inputs, [PROVIDER_KEY]: await this.opts.providerFor(type) };

    let checked = await this.check(type, name, old ? old.inputs : {}, news);
    if (checked.failures.length) return { op: "invalid", failures: checked.failures };

    if (!old) {
      if (dryRun) return { op: "create", state: { urn, type, name, id: "", inputs: checked.inputs, outputs: {} } };
      return { op: "create", state: await this.create(type, name, checked.inputs) };
    }

    const diff = diffResult(
      await this.rpc("Diff", { ...this.base(type, name), id: old.id, olds: old.outputs, news: checked.inputs, oldInputs: old.inputs }),
    );
    let changes = diff.changes;
    if (changes === "DIFF_UNKNOWN") changes = deepEqual(old.inputs, checked.inputs) ? "DIFF_NONE" : "DIFF_SOME";
    const hasInitErrors = (old.initErrors?.length ?? 0) > 0;

    if (changes === "DIFF_SOME" && diff.replaces.length > 0) {
      // "If we are going to perform a replacement, we need to recompute the default values."
      checked = await this.check(type, name, {}, news);
      if (checked.failures.length) return { op: "invalid", diff, failures: checked.failures };
      if (dryRun) return { op: "replace", diff, state: { ...old, id: "", inputs: checked.inputs, outputs: {}, initErrors: undefined } };
      if (diff.deleteBeforeReplace) {
        await this.delete(old);
        return { op: "replace", diff, state: await this.create(type, name, checked.inputs) };
      }
      const created = await this.create(type, name, checked.inputs);
      await this.delete(old);
      this.state.set(urn, created);
      return { op: "replace", diff, state: created };
    }

    if (changes === "DIFF_SOME" || hasInitErrors) {
      if (dryRun) return { op: "update", diff, state: { ...old, inputs: checked.inputs } };
      try {
        const r = await this.rpc("Update", {
          ...this.base(type, name), id: old.id, olds: old.outputs, news: checked.inputs, oldInputs: old.inputs,
        });
        const st: ResourceState = { urn, type, name, id: old.id, inputs: checked.inputs, outputs: (r.properties ?? {}) as Record<string, any> };
        this.state.set(urn, st);
        return { op: "update", diff, state: st };
      } catch (e) {
        if (e instanceof InitFailedError) {
          this.state.set(urn, { urn, type, name, id: old.id, inputs: checked.inputs, outputs: e.properties, initErrors: e.reasons });
        }
        throw e;
      }
    }

    // Same: the engine keeps the id and outputs and records the new (checked) inputs.
    const same: ResourceState = { ...old, inputs: checked.inputs };
    if (!dryRun) this.state.set(urn, same);
    return { op: "same", diff, state: dryRun ? { ...same } : same };
  }

  /** Like `pulumi up` for one resource (see the file comment for the engine details reproduced). */
  up(type: string, name: string, inputs: Record<string, any>): Promise<StepResult> {
    return this.step(type, name, inputs, false);
  }

  /** Like `pulumi preview`: Check then Diff only (no mutation); inputs may contain UNKNOWN. */
  preview(type: string, name: string, inputs: Record<string, any>): Promise<StepResult> {
    return this.step(type, name, inputs, true);
  }

  /** Like `pulumi refresh`: Read(id, props = outputs, inputs = stored inputs). Empty id -> removed from state, op "gone". */
  async refresh(type: string, name: string): Promise<StepResult> {
    const old = this.mustGet(type, name);
    const r = await this.rpc("Read", { ...this.base(type, name), id: old.id, properties: old.outputs, inputs: old.inputs });
    if (!r.id) {
      this.state.delete(old.urn);
      return { op: "gone" };
    }
    const st: ResourceState = {
      ...old,
      id: r.id as string,
      outputs: (r.properties ?? {}) as Record<string, any>,
      inputs: (r.inputs as Record<string, any> | undefined) ?? old.inputs,
    };
    this.state.set(old.urn, st);
    return { op: "refresh", state: st };
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

  private mustGet(type: string, name: string): ResourceState {
    const st = this.state.get(this.urn(type, name));
    if (!st) throw new Error(`harness: ${this.urn(type, name)} is not in the state`);
    return st;
  }
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
