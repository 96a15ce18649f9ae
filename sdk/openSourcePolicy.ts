import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { openSourcePolicySchema } from "../provider/resources/openSourcePolicy";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type OpenSourcePolicyArgs = Args<z.input<typeof openSourcePolicySchema>>;

/** A tenant-level open-source governance policy (version sets, vulnerabilities, licences). See docs/resources/open-source-policy.md. */
export class OpenSourcePolicy extends pulumi.dynamic.Resource {
  declare readonly tenantId: pulumi.Output<string | undefined>;
  declare readonly name: pulumi.Output<string>;
  declare readonly content: pulumi.Output<Record<string, unknown>>;
  declare readonly parentId: pulumi.Output<string | undefined>;
  declare readonly isValid: pulumi.Output<boolean>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  declare readonly domainId: pulumi.Output<string>;
  declare readonly level: pulumi.Output<string | undefined>;
  declare readonly version: pulumi.Output<string | undefined>;
  declare readonly isPublic: pulumi.Output<boolean | undefined>;
  declare readonly creator: pulumi.Output<string | undefined>;
  declare readonly createTime: pulumi.Output<string | undefined>;
  declare readonly updateTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: OpenSourcePolicyArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { domainId: undefined, level: undefined, version: undefined, isPublic: undefined, creator: undefined, createTime: undefined, updateTime: undefined };
    const optional = { tenantId: undefined, parentId: undefined, isValid: undefined, adoptId: undefined };
    super(dynamicProvider("OpenSourcePolicy"), name, { ...optional, ...outputs, ...args }, opts, "codearts", "OpenSourcePolicy");
  }

  /** Reads an existing policy without managing it. `id` is the policy id, or `<tenantId>/<policyId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): OpenSourcePolicy {
    return new OpenSourcePolicy(name, {} as OpenSourcePolicyArgs, { ...opts, id });
  }
}
