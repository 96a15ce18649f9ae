import type { KindName } from "../../provider/kinds";
import type { AccWorld } from "./support";
import { definition, ossContent, ruleContent, stages, step } from "../harness/kinds";

/**
 * Every kind's acceptance inputs: what one lifecycle declares against a real account (or the
 * emulator). Unlike tests/harness/kinds.ts these need nothing the suite cannot make or the user does
 * not name: no code repository (the Pipeline has no `sources`), no publisher binding (the version
 * stays a draft), no console-made record except the ones the user lists (CODEARTS_ACC_VPCEP_IDS,
 * CODEARTS_ACC_TEST_CASE_ID). Every name carries the run's prefix (support.ts runPrefix).
 */
export interface AccContext {
  w: AccWorld;
  /** `acc-<unix>-<hex>`; `u`: the same with `_` for names that forbid `-`. */
  p: string;
  u: string;
  env: Record<string, string>;
}

export interface AccKind {
  type: KindName;
  /** Why the whole lifecycle cannot run (a variable the user did not set); undefined: it runs. */
  cannotRun?(c: Omit<AccContext, "env">): string | undefined;
  /** Objects the kind depends on, made through the engine (so in the state, destroyed in afterAll). */
  setup?(c: Omit<AccContext, "env">): Promise<Record<string, string>>;
  inputs(c: AccContext): Record<string, unknown>;
  /** The in-place change; a string says why the step is skipped; absent: the API has no update. */
  updated?(c: AccContext): Record<string, unknown> | string;
  /** Why there is no update step (shown in the outcome). */
  noUpdate?: string;
  /** The output that must read back as declared, and the declared value. */
  identity(inputs: Record<string, unknown>): [key: string, value: unknown];
  /** Readable: adoption runs, and after delete a read must find nothing. */
  readable: boolean;
  /** Destroy leaves the object in the service by design (no delete API). */
  deleteKeeps?: string;
}

const named = (i: Record<string, unknown>): [string, unknown] => ["name", i.name];
/** A date 30 days ahead, YYYY-MM-DD (a plan's end date). */
const endDate = () => new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);

export const ACC_KINDS: AccKind[] = [
  {
    type: "PipelineGroup",
    inputs: (c) => ({ projectId: c.w.inputs.codeartsProjectId, name: `${c.p}-group` }),
    updated: (c) => ({ projectId: c.w.inputs.codeartsProjectId, name: `${c.p}-group-renamed` }),
    identity: named,
    readable: true,
  },
  {
    type: "PipelineTemplate",
    inputs: (c) => ({ name: `${c.p}-template`, language: "Java", isShowSource: true, definition: { stages } }),
    updated: (c) => ({ name: `${c.p}-template`, language: "Java", isShowSource: true, definition: { stages }, description: "changed by the acceptance suite" }),
    identity: named,
    readable: true,
  },
  {
    type: "Pipeline",
    async setup(c) {
      const group = async (n: number) =>
        (await c.w.engine.up("PipelineGroup", `${c.p}-pipelines-${n}`, { projectId: c.w.inputs.codeartsProjectId, name: `${c.p}-pipelines-${n}` })).state!.id;
      return { G1: await group(1), G2: await group(2) };
    },
    inputs: (c) => ({ projectId: c.w.inputs.codeartsProjectId, name: `${c.p}-pipeline`, isPublish: false, definition, groupId: c.env.G1 }),
    // Moving to another group is the one in-place change (§4.3.5).
    updated: (c) => ({ projectId: c.w.inputs.codeartsProjectId, name: `${c.p}-pipeline`, isPublish: false, definition, groupId: c.env.G2 }),
    identity: named,
    readable: true,
  },
  {
    type: "Publisher",
    inputs: (c) => ({ name: `${c.p}-publisher`, enName: `${c.u}_publisher`, supportUrl: "support@example.com" }),
    noUpdate: "no update API: every change replaces",
    identity: named,
    readable: true,
  },
  {
    type: "Plugin",
    inputs: (c) => ({ pluginName: `${c.u}_plugin`, displayName: `${c.p} plug-in`, businessType: "Deploy" }),
    updated: (c) => ({ pluginName: `${c.u}_plugin`, displayName: `${c.p} plug-in (changed)`, businessType: "Deploy" }),
    identity: (i) => ["pluginName", i.pluginName],
    readable: true,
  },
  {
    type: "PluginVersion",
    async setup(c) {
      const plugin = `${c.u}_versioned`;
      await c.w.engine.up("Plugin", `${c.p}-versioned`, { pluginName: plugin, displayName: `${c.p} versioned`, businessType: "Deploy", pluginCompositionType: "multi" });
      return { plugin };
    },
    inputs: (c) => ({ pluginName: c.env.plugin, version: "0.0.1", versionDescription: "draft", steps: [step("./deploy.sh")] }),
    updated: (c) => ({ pluginName: c.env.plugin, version: "0.0.1", versionDescription: "edited draft", steps: [step("./deploy.sh --verify")] }),
    identity: (i) => ["version", i.version],
    readable: true,
  },
  {
    type: "Rule",
    inputs: (c) => ({ name: `${c.p}-rule`, type: "Gate", layoutContent: "l", content: ruleContent("0.5") }),
    updated: (c) => ({ name: `${c.p}-rule`, type: "Gate", layoutContent: "l", content: ruleContent("0.9") }),
    identity: named,
    readable: true,
  },
  {
    type: "RuleSet",
    setup: async (c) => ({
      rule: (await c.w.engine.up("Rule", `${c.p}-rule-for-set`, { name: `${c.p}-rule-for-set`, type: "Gate", layoutContent: "l", content: ruleContent("0.5") })).state!.id,
    }),
    inputs: (c) => ({ name: `${c.p}-rule-set`, rules: [{ id: c.env.rule }] }),
    updated: (c) => ({ name: `${c.p}-rule-set-renamed`, rules: [{ id: c.env.rule }] }),
    identity: named,
    readable: true,
  },
  {
    type: "OpenSourcePolicy",
    inputs: (c) => ({ name: `${c.p}-policy`, content: ossContent(false) }),
    updated: (c) => ({ name: `${c.p}-policy`, content: ossContent(true) }),
    identity: named,
    readable: true,
  },
  {
    type: "Script",
    inputs: (c) => ({ name: `${c.u}_script`, description: "acceptance", type: "SHELL", content: "true", riskLevel: "LOW", version: "1" }),
    updated: (c) => ({ name: `${c.u}_script`, description: "acceptance", type: "SHELL", content: "echo changed", riskLevel: "LOW", version: "1" }),
    identity: named,
    readable: true,
  },
  {
    type: "TestPlan",
    inputs: (c) => ({ projectId: c.w.inputs.codeartsProjectId, name: `${c.p}-plan`, endDate: c.env.endDate, serviceIdList: [c.w.inputs.testServiceId] }),
    // Adding a test case is the one change CloudTest allows (§4.3.1 batch-add).
    updated: (c) =>
      c.w.inputs.testCaseId
        ? { ...ACC_KINDS.find((k) => k.type === "TestPlan")!.inputs(c), testCases: [{ serviceId: c.w.inputs.testServiceId, ids: [c.w.inputs.testCaseId] }] }
        : "skipped: TestPlan batch-add step needs CODEARTS_ACC_TEST_CASE_ID (an existing CloudTest test case of the project; and CODEARTS_ACC_TEST_SERVICE_ID, its test type, default 0)",
    setup: async () => ({ endDate: endDate() }),
    identity: named,
    readable: true,
    deleteKeeps: "CloudTest has no API to delete a test plan: destroy only removes it from the stack; it stays in the project (find it by the run's prefix)",
  },
  {
    type: "VpcepAccessControl",
    cannotRun: (c) =>
      c.w.inputs.vpcepIds.length === 0
        ? "skipped: VpcepAccessControl lifecycle needs CODEARTS_ACC_VPCEP_IDS (existing VPCEP access record ids, comma-separated; the lifecycle REVOKES them)"
        : undefined,
    inputs: (c) => ({ region: c.w.inputs.region, vpceps: c.w.inputs.vpcepIds.map((vpcepId) => ({ vpcepId })) }),
    // Removing an endpoint from the list revokes it: the one in-place change.
    updated: (c) =>
      c.w.inputs.vpcepIds.length >= 2
        ? { region: c.w.inputs.region, vpceps: [{ vpcepId: c.w.inputs.vpcepIds[0] }] }
        : "skipped: VpcepAccessControl update step (revoke one of two) needs two ids in CODEARTS_ACC_VPCEP_IDS",
    identity: (i) => ["region", i.region],
    // No read API: the records are adopted without a call, and refresh keeps what the state says.
    readable: false,
  },
];
