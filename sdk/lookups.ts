import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../provider/config";
import { LOOKUPS, type LookupName } from "../provider/lookups";
import { runLookup, settingsFor } from "../provider/lookups/lookup";
import { listTenantResources as listWith, type TenantResource, type TenantResourceQuery } from "../provider/lookups/coc";
import type {
  OpenSourcePolicyOutputs,
  PipelineGroupOutputs,
  PipelineOutputs,
  PipelineTemplateOutputs,
  PluginOutputs,
  PluginVersionOutputs,
  PublisherOutputs,
  RuleOutputs,
  RuleSetOutputs,
  ScriptOutputs,
  TestPlanOutputs,
} from "./kinds.generated";

/**
 * The look-ups as typed functions (docs/lookups.md): each finds one object by its name or id, or lists
 * what CloudTest knows of a project or plan, and answers what the kind's resource records, read without
 * owning anything. `getX` is a plain async function; `getXOutput` takes Pulumi inputs and answers an
 * Output, for programs passing other resources' outputs. Settings: `opts.settings`, else the stack's
 * huaweicloud:* configuration and the HW_* environment, as the dynamic resources read them.
 *
 * The types here are plain TypeScript (the published typings reach no zod: sdk/kinds.generated.ts says
 * why); tests/lookups.test.ts checks at compile time that each matches its look-up's schema.
 */
export interface LookupCallOptions {
  /** The provider's settings; default: the stack's huaweicloud:* configuration and the environment. */
  settings?: Settings;
}

/** Exactly one of the object's name (matched exactly) and its id, as its resource records it. */
export type NameOrId = { name: string; id?: undefined } | { id: string; name?: undefined };
export type GetPipelineGroupArgs = {
  /** The CodeArts project (32 hex). */
  projectId: string;
  /** Match the name only among this group's children (default: at any depth). */
  parentId?: string;
} & NameOrId;
/** An object of a CodeArts project: a pipeline, a test plan. */
export type InProjectArgs = { projectId: string } & NameOrId;
/** An object of the tenant (account): a template, a rule, a rule set, an open-source policy. */
export type InTenantArgs = {
  /** The account (domain) id; defaults to the provider's domainId. */
  tenantId?: string;
} & NameOrId;
export interface GetPluginArgs {
  pluginName: string;
}
export interface GetPluginVersionArgs {
  pluginName: string;
  version: string;
}
export interface InCloudTestProjectArgs {
  projectId: string;
}
export interface OfTestPlanArgs {
  projectId: string;
  /** The test plan's id (a TestPlan resource's id). */
  planId: string;
}

/** What a kind's look-up answers: the resource's outputs and the id a create records. */
export type Found<O, Unseen extends string = never> = Omit<O, "adoptId" | Unseen> & { id: string };

export interface NameAndId {
  id?: string;
  name?: string;
}
/** CloudTest API Reference Table 4-15, camelCased. */
export interface TestEnvironment {
  environmentId: string;
  environmentName?: string;
  environmentDescription?: string;
  isDefault?: boolean;
}
/** CloudTest API Reference Table 4-51, camelCased: one work item; `parentIssue` is the tree's edge. */
export interface TestPlanRequirement {
  workitemId?: string;
  name?: string;
  parentIssue?: string;
  planId?: string;
  projectId?: string;
  regionId?: string;
  startDate?: string;
  endDate?: string;
  iteration?: NameAndId;
  module?: NameAndId;
  owner?: NameAndId;
  severity?: NameAndId;
  status?: NameAndId;
  tracker?: NameAndId;
}
/** CloudTest API Reference Tables 4-61, 4-62, 4-64, camelCased: one change record. */
export interface TestPlanJournal {
  operateTime?: string;
  operator?: NameAndId;
  planId?: string;
  projectId?: string;
  detail?: Array<{
    type?: string;
    journalizedType?: string;
    added?: NameAndId[];
    deleted?: NameAndId[];
    updated?: Array<{ attributeType?: string; oldValue?: string; newValue?: string }>;
  }>;
}

type Inputs<A> = { [K in keyof A]: pulumi.Input<A[K]> };
type Plain<A, R> = (args: A, opts?: LookupCallOptions) => Promise<R>;
type Lifted<A, R> = (args: Inputs<A>, opts?: LookupCallOptions) => pulumi.Output<R>;

// Inside a Pulumi program the stack's configuration; outside one, nothing (the environment only).
const stackConfig = (key: string): string | undefined => pulumi.runtime.getConfig(key);

function plain<A, R>(name: LookupName): Plain<A, R> {
  return async (args, opts) => (await runLookup(LOOKUPS[name], args, settingsFor(opts, stackConfig))) as R;
}
function lifted<A, R>(name: LookupName): Lifted<A, R> {
  const run = plain<A, R>(name);
  return (args, opts) => pulumi.output(args).apply((a) => run(a as A, opts)) as pulumi.Output<R>;
}

/** A pipeline group by `name` (any depth, or among `parentId`'s children) or `id` in `projectId`. */
export const getPipelineGroup: Plain<GetPipelineGroupArgs, Found<PipelineGroupOutputs>> = plain("getPipelineGroup");
export const getPipelineGroupOutput: Lifted<GetPipelineGroupArgs, Found<PipelineGroupOutputs>> = lifted("getPipelineGroup");
/** A custom pipeline template of the tenant by `name` or `id`. */
export const getPipelineTemplate: Plain<InTenantArgs, Found<PipelineTemplateOutputs>> = plain("getPipelineTemplate");
export const getPipelineTemplateOutput: Lifted<InTenantArgs, Found<PipelineTemplateOutputs>> = lifted("getPipelineTemplate");
/** A pipeline by `name` or `id` in `projectId` (what the list shows: no definition or sources). */
export const getPipeline: Plain<InProjectArgs, Found<PipelineOutputs>> = plain("getPipeline");
export const getPipelineOutput: Lifted<InProjectArgs, Found<PipelineOutputs>> = lifted("getPipeline");
/** A rule of the tenant by `name` or `id` (the detail does not return `layoutContent`). */
export const getRule: Plain<InTenantArgs, Found<RuleOutputs, "layoutContent">> = plain("getRule");
export const getRuleOutput: Lifted<InTenantArgs, Found<RuleOutputs, "layoutContent">> = lifted("getRule");
/** A rule set of the tenant by `name` or `id`. */
export const getRuleSet: Plain<InTenantArgs, Found<RuleSetOutputs>> = plain("getRuleSet");
export const getRuleSetOutput: Lifted<InTenantArgs, Found<RuleSetOutputs>> = lifted("getRuleSet");
/** An open-source policy of the tenant by `name` or `id`. */
export const getOpenSourcePolicy: Plain<InTenantArgs, Found<OpenSourcePolicyOutputs>> = plain("getOpenSourcePolicy");
export const getOpenSourcePolicyOutput: Lifted<InTenantArgs, Found<OpenSourcePolicyOutputs>> = lifted("getOpenSourcePolicy");
/** A publisher by `name` or `id` (its publisher_unique_id). */
export const getPublisher: Plain<NameOrId, Found<PublisherOutputs>> = plain("getPublisher");
export const getPublisherOutput: Lifted<NameOrId, Found<PublisherOutputs>> = lifted("getPublisher");
/** A plug-in by `pluginName`. */
export const getPlugin: Plain<GetPluginArgs, Found<PluginOutputs>> = plain("getPlugin");
export const getPluginOutput: Lifted<GetPluginArgs, Found<PluginOutputs>> = lifted("getPlugin");
/** A plug-in version by `pluginName` and `version`. */
export const getPluginVersion: Plain<GetPluginVersionArgs, Found<PluginVersionOutputs>> = plain("getPluginVersion");
export const getPluginVersionOutput: Lifted<GetPluginVersionArgs, Found<PluginVersionOutputs>> = lifted("getPluginVersion");
/** A COC script by `name` or `id` (its uuid). */
export const getScript: Plain<NameOrId, Found<ScriptOutputs>> = plain("getScript");
export const getScriptOutput: Lifted<NameOrId, Found<ScriptOutputs>> = lifted("getScript");
/** A test plan by `name` or `id` in `projectId` (its test cases are not returned by any API). */
export const getTestPlan: Plain<InProjectArgs, Found<TestPlanOutputs>> = plain("getTestPlan");
export const getTestPlanOutput: Lifted<InProjectArgs, Found<TestPlanOutputs>> = lifted("getTestPlan");
/** A project's CloudTest environments. */
export const getTestEnvironments: Plain<InCloudTestProjectArgs, { environments: TestEnvironment[] }> = plain("getTestEnvironments");
export const getTestEnvironmentsOutput: Lifted<InCloudTestProjectArgs, { environments: TestEnvironment[] }> = lifted("getTestEnvironments");
/** A test plan's requirements (work items), each naming its parent. */
export const getTestPlanRequirements: Plain<OfTestPlanArgs, { requirements: TestPlanRequirement[] }> = plain("getTestPlanRequirements");
export const getTestPlanRequirementsOutput: Lifted<OfTestPlanArgs, { requirements: TestPlanRequirement[] }> = lifted("getTestPlanRequirements");
/** A test plan's operation history. */
export const getTestPlanHistory: Plain<OfTestPlanArgs, { history: TestPlanJournal[] }> = plain("getTestPlanHistory");
export const getTestPlanHistoryOutput: Lifted<OfTestPlanArgs, { history: TestPlanJournal[] }> = lifted("getTestPlanHistory");

/**
 * The tenant's resources as COC lists them (§4.1.1), e.g. a ScriptRun's hosts. Settings: `query.settings`,
 * else the stack's huaweicloud:* configuration and the environment, as the other look-ups read them.
 */
export function listTenantResources(query: TenantResourceQuery): Promise<TenantResource[]> {
  return listWith({ ...query, settings: query.settings ?? settingsFor(undefined, stackConfig) });
}
export type { TenantResource, TenantResourceQuery };

export { LookupArgsError, LookupMatchError } from "../provider/lookups/errors";
