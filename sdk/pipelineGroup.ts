import * as pulumi from "@pulumi/pulumi";
import { pipelineGroupOutputKeys, type PipelineGroupDeclared, type PipelineGroupOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type PipelineGroupArgs = Args<PipelineGroupDeclared>;

/**
 * A CodeArts Pipeline group. The name changes in place; a new `parentId` or `projectId` replaces
 * the group (the API cannot move one). See docs/resources/pipeline-group.md.
 */
export class PipelineGroup extends KindResource {
  constructor(name: string, args: PipelineGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super("PipelineGroup", name, withOutputKeys(pipelineGroupOutputKeys, args), opts);
  }

  /** Reads an existing group into the program without managing it. `id` is `<projectId>/<groupId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): PipelineGroup {
    return new PipelineGroup(name, {} as PipelineGroupArgs, { ...opts, id });
  }
}

// The output properties, from the generated PipelineGroupOutputs (class and interface merge).
export interface PipelineGroup extends OutputProperties<PipelineGroupOutputs> {}
