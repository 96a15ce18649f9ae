/** pulumi-codearts: Huawei Cloud CodeArts, CloudTest and COC configuration as Pulumi resources. */
export { PipelineGroup } from "./pipelineGroup";
export type { PipelineGroupArgs } from "./pipelineGroup";
export { dynamicProvider } from "./provider";
