/** pulumi-codearts: Huawei Cloud CodeArts, CloudTest and COC configuration as Pulumi resources. */
export { PipelineGroup } from "./pipelineGroup";
export type { PipelineGroupArgs } from "./pipelineGroup";
export { Publisher, type PublisherArgs } from "./publisher";
export { Plugin, type PluginArgs } from "./plugin";
export { PluginVersion, type PluginVersionArgs } from "./pluginVersion";
export { dynamicProvider } from "./provider";
