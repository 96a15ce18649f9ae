import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { pipelineTemplateSchema } from "../provider/resources/pipelineTemplate";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type PipelineTemplateArgs = Args<z.input<typeof pipelineTemplateSchema>>;

/**
 * A CodeArts Pipeline template of the account. Everything but the tenant changes in place (a full
 * PUT); `definition` may be an object or a JSON string and is compared semantically. See
 * docs/resources/pipeline-template.md.
 */
export class PipelineTemplate extends pulumi.dynamic.Resource {
  declare readonly tenantId: pulumi.Output<string | undefined>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly language: pulumi.Output<string>;
  declare readonly variables: pulumi.Output<Record<string, unknown>[] | undefined>;
  /** The orchestration JSON in canonical form (sorted keys, no whitespace). */
  declare readonly definition: pulumi.Output<string>;
  declare readonly isShowSource: pulumi.Output<boolean>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** The tenant (account id) the template lives in. */
  declare readonly domainId: pulumi.Output<string>;
  declare readonly icon: pulumi.Output<string | undefined>;
  declare readonly manifestVersion: pulumi.Output<string | undefined>;
  declare readonly isSystem: pulumi.Output<boolean | undefined>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly creatorId: pulumi.Output<string | undefined>;
  declare readonly updaterId: pulumi.Output<string | undefined>;
  declare readonly createTime: pulumi.Output<number | undefined>;
  declare readonly updateTime: pulumi.Output<number | undefined>;

  constructor(name: string, args: PipelineTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      domainId: undefined, icon: undefined, manifestVersion: undefined, isSystem: undefined, region: undefined,
      creatorId: undefined, updaterId: undefined, createTime: undefined, updateTime: undefined,
    };
    const optional = { tenantId: undefined, description: undefined, variables: undefined, adoptId: undefined };
    super(dynamicProvider("PipelineTemplate"), name, { ...optional, ...outputs, ...args }, opts, "codearts", "PipelineTemplate");
  }

  /** Reads an existing template into the program without managing it. `id` is the template id, or `<tenantId>/<templateId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): PipelineTemplate {
    return new PipelineTemplate(name, {} as PipelineTemplateArgs, { ...opts, id });
  }
}
