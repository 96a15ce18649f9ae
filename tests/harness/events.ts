/**
 * The engine events a deployment emits, in the shape the Automation API delivers them and
 * `pulumi … --event-log FILE` writes them (one JSON object a line), for the engine stand-in
 * (engine.ts). Shapes follow pulumi/pulumi @ 1b59498:
 * - pkg/engine/events.go `makeStepEventMetadata`: op, urn, type, keys (the replace keys), diffs and
 *   detailedDiff only when the step has them, old/new state, logical, provider. For Node dynamic
 *   resources the provider sets no `diffs` and no detailed diff (cmd/dynamic-provider `diff` sets only
 *   changes, replaces, deleteBeforeReplace; sdk/go/common/resource/plugin/provider_plugin.go `Diff`),
 *   so update steps carry neither, and a replacement carries only `keys`.
 * - pkg/backend/display/events.go `convertStepEventStateMetadata`: inputs and outputs serialized with
 *   the blinding crypter, so a secret is `{<sig>: <secret sig>, ciphertext: "[secret]"}` on both sides;
 *   unknowns are the sentinel string.
 * - A refresh (pkg/resource/deploy/step.go `RefreshStep`): a resourcePreEvent with op `refresh`
 *   (old = new = prior state), then a resOutputsEvent whose op is the result: `same`, `update` (the
 *   provider's Diff of the refreshed outputs against the last declared inputs found a change) or
 *   `delete` (new is null). `summaryEvent.resourceChanges` counts logical steps by op.
 */
import type { EngineEvent, OpType, StepEventMetadata, StepEventStateMetadata } from "@pulumi/pulumi/automation";
import { SECRET_SIG, SECRET_SIG_KEY } from "./host";

export type { EngineEvent };

export interface EventState {
  urn: string;
  type: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  initErrors?: string[];
  secretKeys?: string[];
}

const blind = (props: Record<string, unknown>, secretKeys: readonly string[] = []): Record<string, unknown> =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [k, secretKeys.includes(k) ? { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "[secret]" } : v]));

export class EventStream {
  private readonly started = Date.now();
  private readonly changes: Partial<Record<OpType, number>> = {};
  readonly provider: string;

  constructor(
    private readonly out: EngineEvent[],
    private readonly project: string,
    private readonly stack: string,
    private readonly planning: boolean,
  ) {
    this.provider = `urn:pulumi:${stack}::${project}::pulumi:providers:pulumi-nodejs::default::1e7f1c5e-0b6d-4b1e-9a55-0c2f6e3d8a11`;
  }

  private push(e: Omit<EngineEvent, "sequence" | "timestamp">): void {
    this.out.push({ sequence: this.out.length, timestamp: Math.floor(Date.now() / 1000), ...e } as EngineEvent);
  }

  state(st: EventState | undefined, opts: { delete?: boolean } = {}): StepEventStateMetadata | undefined {
    if (!st) return undefined;
    return {
      type: st.type, urn: st.urn, custom: true, delete: opts.delete || undefined, id: st.id, parent: this.stackUrn(), provider: this.provider,
      inputs: blind(st.inputs, st.secretKeys), outputs: blind(st.outputs, st.secretKeys), initErrors: st.initErrors,
    } as StepEventStateMetadata;
  }

  private meta(op: OpType, urn: string, type: string, old: StepEventStateMetadata | undefined, nu: StepEventStateMetadata | undefined, extra: Partial<StepEventMetadata> = {}): StepEventMetadata {
    return { op, urn, type, old, new: nu, logical: extra.logical ?? true, provider: type.startsWith("pulumi:") ? "" : this.provider, ...extra } as StepEventMetadata;
  }

  /** A step before it runs. `keys` only for replacements (the engine's replace keys). */
  pre(op: OpType, urn: string, type: string, old: StepEventStateMetadata | undefined, nu: StepEventStateMetadata | undefined, extra: Partial<StepEventMetadata> = {}): void {
    this.push({ resourcePreEvent: { metadata: this.meta(op, urn, type, old, nu, extra), planning: this.planning || undefined } });
  }

  /** A step done; counted in the summary when it is logical (not create-replacement / delete-replaced). */
  outputs(op: OpType, urn: string, type: string, old: StepEventStateMetadata | undefined, nu: StepEventStateMetadata | undefined, extra: Partial<StepEventMetadata> = {}): void {
    const metadata = this.meta(op, urn, type, old, nu, extra);
    this.push({ resOutputsEvent: { metadata, planning: this.planning || undefined } });
    if (metadata.logical) this.changes[op] = (this.changes[op] ?? 0) + 1;
  }

  failed(op: OpType, urn: string, type: string, old: StepEventStateMetadata | undefined, message: string): void {
    this.push({ diagnosticEvent: { urn, message: `error: ${message}`, color: "never", severity: "error" } });
    this.push({ resOpFailedEvent: { metadata: this.meta(op, urn, type, old, undefined), status: 0, steps: 0 } });
  }

  checkFailed(urn: string, message: string): void {
    this.push({ diagnosticEvent: { urn, message: `error: ${message}`, color: "never", severity: "error" } });
  }

  private stackUrn(): string {
    return `urn:pulumi:${this.stack}::${this.project}::pulumi:pulumi:Stack::${this.project}-${this.stack}`;
  }

  /** The stack resource and the default provider: steps of their own, counted like any other. */
  infrastructure(op: "create" | "same" | "delete"): void {
    const stackUrn = this.stackUrn();
    const providerUrn = this.provider.slice(0, this.provider.lastIndexOf("::"));
    for (const [urn, type] of [[stackUrn, "pulumi:pulumi:Stack"], [providerUrn, "pulumi:providers:pulumi-nodejs"]]) {
      const st = { urn, type, custom: type !== "pulumi:pulumi:Stack", id: "", parent: "", inputs: {}, outputs: {}, provider: "" } as unknown as StepEventStateMetadata;
      const old = op === "create" ? undefined : st;
      const nu = op === "delete" ? undefined : st;
      this.pre(op, urn, type, old, nu);
      this.outputs(op, urn, type, old, nu);
    }
  }

  summary(maybeCorrupt = false): void {
    this.push({ summaryEvent: { maybeCorrupt, durationSeconds: Math.round((Date.now() - this.started) / 1000), resourceChanges: { ...this.changes }, policyPacks: {} } });
  }
}
