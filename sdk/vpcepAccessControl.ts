import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { vpcepAccessControlSchema } from "../provider/resources/vpcepAccessControl";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type VpcepAccessControlArgs = Args<z.input<typeof vpcepAccessControlSchema>>;

/**
 * CodeArts access records of VPC endpoints, created in the console: this resource adopts them (no API
 * call), revokes the ones removed from `vpceps`, and revokes all on destroy. See
 * docs/resources/vpcep-access-control.md.
 */
export class VpcepAccessControl extends pulumi.dynamic.Resource {
  declare readonly region: pulumi.Output<string>;
  declare readonly enterpriseId: pulumi.Output<string | undefined>;
  declare readonly vpceps: pulumi.Output<Array<{ vpcepId: string; description?: string }>>;
  declare readonly path: pulumi.Output<string>;

  constructor(name: string, args: VpcepAccessControlArgs, opts?: pulumi.CustomResourceOptions) {
    super(dynamicProvider("VpcepAccessControl"), name, { enterpriseId: undefined, path: undefined, ...args }, opts, "codearts", "VpcepAccessControl");
  }
}
