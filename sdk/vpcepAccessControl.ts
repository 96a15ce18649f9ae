import * as pulumi from "@pulumi/pulumi";
import { vpcepAccessControlOutputKeys, type VpcepAccessControlDeclared, type VpcepAccessControlOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type VpcepAccessControlArgs = Args<VpcepAccessControlDeclared>;

/**
 * CodeArts access records of VPC endpoints, created in the console: this resource adopts them (no API
 * call), revokes the ones removed from `vpceps`, and revokes all on destroy. See
 * docs/resources/vpcep-access-control.md.
 */
export class VpcepAccessControl extends KindResource {
  constructor(name: string, args: VpcepAccessControlArgs, opts?: pulumi.CustomResourceOptions) {
    super("VpcepAccessControl", name, withOutputKeys(vpcepAccessControlOutputKeys, args), opts);
  }
}

// The output properties, from the generated VpcepAccessControlOutputs (class and interface merge).
export interface VpcepAccessControl extends OutputProperties<VpcepAccessControlOutputs> {}
