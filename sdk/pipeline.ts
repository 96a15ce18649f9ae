import * as pulumi from "@pulumi/pulumi";
import { pipelineOutputKeys, type PipelineDeclared, type PipelineOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type PipelineArgs = Args<PipelineDeclared>;

/**
 * A CodeArts pipeline, made from a definition or from a template (`templateId`). The API has no
 * update: every change replaces the pipeline, except `groupId`, which moves it. Deleting a running
 * pipeline stops its runs first. See docs/resources/pipeline.md.
 */
export class Pipeline extends KindResource {
  constructor(name: string, args: PipelineArgs, opts?: pulumi.CustomResourceOptions) {
    super("Pipeline", name, withOutputKeys(pipelineOutputKeys, args), opts);
  }

  /** Reads an existing pipeline into the program without managing it. `id` is `<projectId>/<pipelineId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Pipeline {
    return new Pipeline(name, {} as PipelineArgs, { ...opts, id });
  }
}

// The output properties, from the generated PipelineOutputs (class and interface merge).
export interface Pipeline extends OutputProperties<PipelineOutputs> {}
