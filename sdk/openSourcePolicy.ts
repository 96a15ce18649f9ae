import * as pulumi from "@pulumi/pulumi";
import { openSourcePolicyOutputKeys, type OpenSourcePolicyDeclared, type OpenSourcePolicyOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type OpenSourcePolicyArgs = Args<OpenSourcePolicyDeclared>;

/** A tenant-level open-source governance policy (version sets, vulnerabilities, licences). See docs/resources/open-source-policy.md. */
export class OpenSourcePolicy extends KindResource {
  constructor(name: string, args: OpenSourcePolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super("OpenSourcePolicy", name, withOutputKeys(openSourcePolicyOutputKeys, args), opts);
  }

  /** Reads an existing policy without managing it. `id` is the policy id, or `<tenantId>/<policyId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): OpenSourcePolicy {
    return new OpenSourcePolicy(name, {} as OpenSourcePolicyArgs, { ...opts, id });
  }
}

// The output properties, from the generated OpenSourcePolicyOutputs (class and interface merge).
export interface OpenSourcePolicy extends OutputProperties<OpenSourcePolicyOutputs> {}
