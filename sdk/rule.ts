import * as pulumi from "@pulumi/pulumi";
import { ruleOutputKeys, type RuleDeclared, type RuleOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type RuleArgs = Args<RuleDeclared>;

/** A CodeArts Pipeline rule (quality gate, build check, ...). Changes in place. See docs/resources/rule.md. */
export class Rule extends KindResource {
  constructor(name: string, args: RuleArgs, opts?: pulumi.CustomResourceOptions) {
    super("Rule", name, withOutputKeys(ruleOutputKeys, args), opts);
  }

  /** Reads an existing rule without managing it. `id` is the rule id, or `<tenantId>/<ruleId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Rule {
    return new Rule(name, {} as RuleArgs, { ...opts, id });
  }
}

// The output properties, from the generated RuleOutputs (class and interface merge).
export interface Rule extends OutputProperties<RuleOutputs> {}
