import { pipelineGroup } from "./resources/pipelineGroup";

/** Every resource kind this package provides, by the name the SDK's shim passes. One line per kind. */
export const KINDS = {
  PipelineGroup: pipelineGroup,
} as const;

export type KindName = keyof typeof KINDS;
