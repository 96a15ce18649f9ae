import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { scriptSchema } from "../provider/resources/script";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type ScriptArgs = Args<z.input<typeof scriptSchema>>;

/**
 * A Cloud Operations Center custom script. `name` and `type` replace; the rest updates in place.
 * Parameters are always kept secret in the state (sensitive values are also never returned by the
 * provider: only the service's mask and a hash). See docs/resources/script.md.
 */
export class Script extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly type: pulumi.Output<string>;
  declare readonly content: pulumi.Output<string>;
  declare readonly riskLevel: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;
  declare readonly reviewers: pulumi.Output<Array<{ name: string; id: string }> | undefined>;
  declare readonly protocol: pulumi.Output<string | undefined>;
  declare readonly params: pulumi.Output<Array<Record<string, unknown>> | undefined>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** PENDING_APPROVE, APPROVED or REJECTED: a script with reviewers waits for a human. */
  declare readonly status: pulumi.Output<string | undefined>;
  declare readonly creator: pulumi.Output<string | undefined>;
  declare readonly creatorId: pulumi.Output<string | undefined>;
  declare readonly operator: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<number | undefined>;
  declare readonly updatedAt: pulumi.Output<number | undefined>;

  constructor(name: string, args: ScriptArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { status: undefined, creator: undefined, creatorId: undefined, operator: undefined, createdAt: undefined, updatedAt: undefined };
    const optional = { reviewers: undefined, protocol: undefined, params: undefined, adoptId: undefined };
    const props = { ...optional, ...outputs, ...args, params: args.params === undefined ? undefined : pulumi.secret(args.params) };
    super(dynamicProvider("Script"), name, props, { ...opts, additionalSecretOutputs: ["params", ...(opts?.additionalSecretOutputs ?? [])] }, "codearts", "Script");
  }

  /** Reads an existing script without managing it. `id` is its uuid. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Script {
    return new Script(name, {} as ScriptArgs, { ...opts, id });
  }
}
