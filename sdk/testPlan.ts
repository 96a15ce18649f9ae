import * as pulumi from "@pulumi/pulumi";
import { testPlanOutputKeys, type TestPlanDeclared, type TestPlanOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type TestPlanArgs = Args<TestPlanDeclared>;

/**
 * A CloudTest test plan. CloudTest has no update and no delete for plans: changes other than adding
 * test cases are refused at preview (or, with a new name, create a new plan and leave the old one);
 * destroy leaves the plan in CloudTest. See docs/resources/test-plan.md.
 */
export class TestPlan extends KindResource {
  constructor(name: string, args: TestPlanArgs, opts?: pulumi.CustomResourceOptions) {
    super("TestPlan", name, withOutputKeys(testPlanOutputKeys, args), opts);
  }

  /** Reads an existing plan without managing it. `id` is `<projectId>/<planId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): TestPlan {
    return new TestPlan(name, {} as TestPlanArgs, { ...opts, id });
  }
}

// The output properties, from the generated TestPlanOutputs (class and interface merge).
export interface TestPlan extends OutputProperties<TestPlanOutputs> {}
