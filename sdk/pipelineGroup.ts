import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { pipelineGroupSchema } from "../provider/resources/pipelineGroup";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type PipelineGroupArgs = Args<z.input<typeof pipelineGroupSchema>>;

/**
 * A CodeArts Pipeline group. The name changes in place; a new `parentId` or `projectId` replaces
 * the group (the API cannot move one). See docs/resources/pipeline-group.md.
 */
export class PipelineGroup extends pulumi.dynamic.Resource {
  declare readonly projectId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly parentId: pulumi.Output<string | undefined>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** Dot-joined ids from the top-level group down to this one. */
  declare readonly pathId: pulumi.Output<string>;
  declare readonly ordinal: pulumi.Output<number | undefined>;
  declare readonly domainId: pulumi.Output<string | undefined>;
  declare readonly creator: pulumi.Output<string | undefined>;
  declare readonly updater: pulumi.Output<string | undefined>;
  declare readonly createTime: pulumi.Output<number | undefined>;
  declare readonly updateTime: pulumi.Output<number | undefined>;

  constructor(name: string, args: PipelineGroupArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { pathId: undefined, ordinal: undefined, domainId: undefined, creator: undefined, updater: undefined, createTime: undefined, updateTime: undefined };
    super(dynamicProvider("PipelineGroup"), name, { parentId: undefined, adoptId: undefined, ...outputs, ...args }, opts, "codearts", "PipelineGroup");
  }

  /** Reads an existing group into the program without managing it. `id` is `<projectId>/<groupId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): PipelineGroup {
    return new PipelineGroup(name, {} as PipelineGroupArgs, { ...opts, id });
  }
}
