import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { pipelineSchema } from "../provider/resources/pipeline";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type PipelineArgs = Args<z.input<typeof pipelineSchema>>;

/**
 * A CodeArts pipeline, made from a definition or from a template (`templateId`). The API has no
 * update: every change replaces the pipeline, except `groupId`, which moves it. Deleting a running
 * pipeline stops its runs first. See docs/resources/pipeline.md.
 */
export class Pipeline extends pulumi.dynamic.Resource {
  declare readonly projectId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly isPublish: pulumi.Output<boolean | undefined>;
  declare readonly componentId: pulumi.Output<string | undefined>;
  declare readonly templateId: pulumi.Output<string | undefined>;
  declare readonly sources: pulumi.Output<Record<string, unknown>[] | undefined>;
  declare readonly variables: pulumi.Output<Record<string, unknown>[] | undefined>;
  declare readonly schedules: pulumi.Output<Record<string, unknown>[] | undefined>;
  declare readonly triggers: pulumi.Output<Record<string, unknown>[] | undefined>;
  declare readonly manifestVersion: pulumi.Output<string | undefined>;
  /** The structure definition in canonical form (sorted keys, no whitespace). */
  declare readonly definition: pulumi.Output<string | undefined>;
  declare readonly projectName: pulumi.Output<string | undefined>;
  declare readonly groupId: pulumi.Output<string | undefined>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** Dot-joined ids of the group's path, when `groupId` is set. */
  declare readonly groupPathId: pulumi.Output<string | undefined>;
  declare readonly createTime: pulumi.Output<number | undefined>;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.CustomResourceOptions) {
    const optional = {
      description: undefined, isPublish: undefined, componentId: undefined, templateId: undefined, sources: undefined, variables: undefined,
      schedules: undefined, triggers: undefined, manifestVersion: undefined, definition: undefined, projectName: undefined, groupId: undefined, adoptId: undefined,
    };
    super(dynamicProvider("Pipeline"), name, { ...optional, groupPathId: undefined, createTime: undefined, ...args }, opts, "codearts", "Pipeline");
  }

  /** Reads an existing pipeline into the program without managing it. `id` is `<projectId>/<pipelineId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Pipeline {
    return new Pipeline(name, {} as PipelineArgs, { ...opts, id });
  }
}
