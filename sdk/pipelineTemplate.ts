import * as pulumi from "@pulumi/pulumi";
import { pipelineTemplateOutputKeys, type PipelineTemplateDeclared, type PipelineTemplateOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type PipelineTemplateArgs = Args<PipelineTemplateDeclared>;

/**
 * A CodeArts Pipeline template of the account. Everything but the tenant changes in place (a full
 * PUT); `definition` may be an object or a JSON string and is compared semantically. See
 * docs/resources/pipeline-template.md.
 */
export class PipelineTemplate extends KindResource {
  constructor(name: string, args: PipelineTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super("PipelineTemplate", name, withOutputKeys(pipelineTemplateOutputKeys, args), opts);
  }

  /** Reads an existing template into the program without managing it. `id` is the template id, or `<tenantId>/<templateId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): PipelineTemplate {
    return new PipelineTemplate(name, {} as PipelineTemplateArgs, { ...opts, id });
  }
}

// The output properties, from the generated PipelineTemplateOutputs (class and interface merge).
export interface PipelineTemplate extends OutputProperties<PipelineTemplateOutputs> {}
