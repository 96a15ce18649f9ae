import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ruleSetSchema } from "../provider/resources/ruleSet";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type RuleSetArgs = Args<z.input<typeof ruleSetSchema>>;

/**
 * A tenant-level policy: a set of rules, enabled or not. Reference rules by their resource id:
 * `rules: [{ id: rule.id, isValid: true }]`. See docs/resources/rule-set.md.
 */
export class RuleSet extends pulumi.dynamic.Resource {
  declare readonly tenantId: pulumi.Output<string | undefined>;
  declare readonly name: pulumi.Output<string>;
  declare readonly rules: pulumi.Output<Array<{ id: string; isValid: boolean }>>;
  declare readonly isValid: pulumi.Output<boolean>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  declare readonly domainId: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string | undefined>;
  /** The ids the service gives the rules inside this set. */
  declare readonly ruleInstanceIds: pulumi.Output<string[]>;
  declare readonly creator: pulumi.Output<string | undefined>;
  declare readonly updater: pulumi.Output<string | undefined>;
  declare readonly createTime: pulumi.Output<string | undefined>;
  declare readonly updateTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: RuleSetArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { domainId: undefined, version: undefined, ruleInstanceIds: undefined, creator: undefined, updater: undefined, createTime: undefined, updateTime: undefined };
    const optional = { tenantId: undefined, isValid: undefined, adoptId: undefined };
    super(dynamicProvider("RuleSet"), name, { ...optional, ...outputs, ...args }, opts, "codearts", "RuleSet");
  }

  /** Reads an existing rule set without managing it. `id` is the rule set id, or `<tenantId>/<ruleSetId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): RuleSet {
    return new RuleSet(name, {} as RuleSetArgs, { ...opts, id });
  }
}
