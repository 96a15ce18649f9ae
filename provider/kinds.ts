import { pipeline } from "./resources/pipeline";
import { pipelineGroup } from "./resources/pipelineGroup";
import { pipelineTemplate } from "./resources/pipelineTemplate";

/** Every resource kind this package provides, by the name the SDK's shim passes. One line per kind. */
export const KINDS = {
  PipelineGroup: pipelineGroup,
  PipelineTemplate: pipelineTemplate,
  Pipeline: pipeline,
} as const;

export type KindName = keyof typeof KINDS;
