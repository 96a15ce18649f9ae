/** pulumi-codearts: Huawei Cloud CodeArts, CloudTest and COC configuration as Pulumi resources. */
export { PipelineGroup } from "./pipelineGroup";
export type { PipelineGroupArgs } from "./pipelineGroup";
export { PipelineTemplate } from "./pipelineTemplate";
export type { PipelineTemplateArgs } from "./pipelineTemplate";
export { Pipeline } from "./pipeline";
export type { PipelineArgs } from "./pipeline";
export { Publisher, type PublisherArgs } from "./publisher";
export { Plugin, type PluginArgs } from "./plugin";
export { PluginVersion, type PluginVersionArgs } from "./pluginVersion";
export { dynamicProvider } from "./provider";
export { Rule, type RuleArgs } from "./rule";
export { RuleSet, type RuleSetArgs } from "./ruleSet";
export { OpenSourcePolicy, type OpenSourcePolicyArgs } from "./openSourcePolicy";
export { Script, type ScriptArgs } from "./script";
export { listProjectRuleSets, getProjectRuleSet, listProjectOpenSourcePolicies, getProjectOpenSourcePolicy } from "../provider/lookups/policies";
export type { LookupOptions, ProjectRuleSet, ProjectOpenSourcePolicy } from "../provider/lookups/policies";
export { TestPlan, type TestPlanArgs } from "./testPlan";
export { VpcepAccessControl, type VpcepAccessControlArgs } from "./vpcepAccessControl";
