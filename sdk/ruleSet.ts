import * as pulumi from "@pulumi/pulumi";
import { ruleSetOutputKeys, type RuleSetDeclared, type RuleSetOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type RuleSetArgs = Args<RuleSetDeclared>;

/**
 * A tenant-level policy: a set of rules, enabled or not. Reference rules by their resource id:
 * `rules: [{ id: rule.id, isValid: true }]`. See docs/resources/rule-set.md.
 */
export class RuleSet extends KindResource {
  constructor(name: string, args: RuleSetArgs, opts?: pulumi.CustomResourceOptions) {
    super("RuleSet", name, withOutputKeys(ruleSetOutputKeys, args), opts);
  }

  /** Reads an existing rule set without managing it. `id` is the rule set id, or `<tenantId>/<ruleSetId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): RuleSet {
    return new RuleSet(name, {} as RuleSetArgs, { ...opts, id });
  }
}

// The output properties, from the generated RuleSetOutputs (class and interface merge).
export interface RuleSet extends OutputProperties<RuleSetOutputs> {}
