import * as pulumi from "@pulumi/pulumi";
import { LOOKUPS, type LookupName } from "../provider/lookups";
import { runLookup, settingsFor, type LookupArgs, type LookupCallOptions, type LookupResult } from "../provider/lookups/lookup";

/**
 * The look-ups as typed functions (docs/lookups.md): each finds one object by its name or id, or lists
 * what CloudTest knows of a project or plan, and answers what the kind's resource records, read without
 * owning anything. `getX` is a plain async function; `getXOutput` takes Pulumi inputs and answers an
 * Output, for programs passing other resources' outputs. Settings: `opts.settings`, else the stack's
 * huaweicloud:* configuration and the HW_* environment, as the dynamic resources read them.
 */
type All = typeof LOOKUPS;
type Args<N extends LookupName> = LookupArgs<All[N]>;
type Result<N extends LookupName> = LookupResult<All[N]>;
type Inputs<A> = { [K in keyof A]: pulumi.Input<A[K]> };

// Inside a Pulumi program the stack's configuration; outside one, nothing (the environment only).
const stackConfig = (key: string): string | undefined => pulumi.runtime.getConfig(key);

function plain<N extends LookupName>(name: N): (args: Args<N>, opts?: LookupCallOptions) => Promise<Result<N>> {
  return async (args, opts) => (await runLookup(LOOKUPS[name], args, settingsFor(opts, stackConfig))) as Result<N>;
}

function output<N extends LookupName>(name: N): (args: Inputs<Args<N>>, opts?: LookupCallOptions) => pulumi.Output<Result<N>> {
  const run = plain(name);
  return (args, opts) => pulumi.output(args).apply((a) => run(a as Args<N>, opts)) as pulumi.Output<Result<N>>;
}

/** A pipeline group by `name` (any depth, or under `parentId`) or `id` in `projectId`. */
export const getPipelineGroup = plain("getPipelineGroup");
export const getPipelineGroupOutput = output("getPipelineGroup");
/** A custom pipeline template of the tenant by `name` or `id`. */
export const getPipelineTemplate = plain("getPipelineTemplate");
export const getPipelineTemplateOutput = output("getPipelineTemplate");
/** A pipeline by `name` or `id` in `projectId`. */
export const getPipeline = plain("getPipeline");
export const getPipelineOutput = output("getPipeline");
/** A rule of the tenant by `name` or `id`. */
export const getRule = plain("getRule");
export const getRuleOutput = output("getRule");
/** A rule set of the tenant by `name` or `id`. */
export const getRuleSet = plain("getRuleSet");
export const getRuleSetOutput = output("getRuleSet");
/** An open-source policy of the tenant by `name` or `id`. */
export const getOpenSourcePolicy = plain("getOpenSourcePolicy");
export const getOpenSourcePolicyOutput = output("getOpenSourcePolicy");
/** A publisher by `name` or `id` (its publisher_unique_id). */
export const getPublisher = plain("getPublisher");
export const getPublisherOutput = output("getPublisher");
/** A plug-in by `pluginName`. */
export const getPlugin = plain("getPlugin");
export const getPluginOutput = output("getPlugin");
/** A plug-in version by `pluginName` and `version`. */
export const getPluginVersion = plain("getPluginVersion");
export const getPluginVersionOutput = output("getPluginVersion");
/** A COC script by `name` or `id` (its uuid). */
export const getScript = plain("getScript");
export const getScriptOutput = output("getScript");
/** A test plan by `name` or `id` in `projectId`. */
export const getTestPlan = plain("getTestPlan");
export const getTestPlanOutput = output("getTestPlan");
/** A project's CloudTest environments. */
export const getTestEnvironments = plain("getTestEnvironments");
export const getTestEnvironmentsOutput = output("getTestEnvironments");
/** A test plan's requirements (work items), each naming its parent. */
export const getTestPlanRequirements = plain("getTestPlanRequirements");
export const getTestPlanRequirementsOutput = output("getTestPlanRequirements");
/** A test plan's operation history. */
export const getTestPlanHistory = plain("getTestPlanHistory");
export const getTestPlanHistoryOutput = output("getTestPlanHistory");

export { LookupArgsError, LookupMatchError } from "../provider/lookups";
export type { LookupCallOptions } from "../provider/lookups/lookup";
export type { TestEnvironment, TestPlanRequirement, TestPlanJournal } from "../provider/lookups/cloudtest";
