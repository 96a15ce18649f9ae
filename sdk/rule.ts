import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ruleSchema } from "../provider/resources/rule";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type RuleArgs = Args<z.input<typeof ruleSchema>>;

/** A CodeArts Pipeline rule (quality gate, build check, ...). Changes in place. See docs/resources/rule.md. */
export class Rule extends pulumi.dynamic.Resource {
  declare readonly tenantId: pulumi.Output<string | undefined>;
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<string>;
  declare readonly layoutContent: pulumi.Output<string>;
  declare readonly pluginId: pulumi.Output<string | undefined>;
  declare readonly pluginName: pulumi.Output<string | undefined>;
  declare readonly pluginVersion: pulumi.Output<string | undefined>;
  declare readonly content: pulumi.Output<Record<string, unknown>[]>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  declare readonly domainId: pulumi.Output<string>;
  /** Changes with every edit. */
  declare readonly version: pulumi.Output<string | undefined>;
  declare readonly creator: pulumi.Output<string | undefined>;
  declare readonly updater: pulumi.Output<string | undefined>;
  declare readonly createTime: pulumi.Output<string | undefined>;
  declare readonly updateTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: RuleArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { domainId: undefined, version: undefined, creator: undefined, updater: undefined, createTime: undefined, updateTime: undefined };
    const optional = { tenantId: undefined, pluginId: undefined, pluginName: undefined, pluginVersion: undefined, adoptId: undefined };
    super(dynamicProvider("Rule"), name, { ...optional, ...outputs, ...args }, opts, "codearts", "Rule");
  }

  /** Reads an existing rule without managing it. `id` is the rule id, or `<tenantId>/<ruleId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Rule {
    return new Rule(name, {} as RuleArgs, { ...opts, id });
  }
}
