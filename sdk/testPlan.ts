import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { testPlanSchema } from "../provider/resources/testPlan";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type TestPlanArgs = Args<z.input<typeof testPlanSchema>>;

/**
 * A CloudTest test plan. CloudTest has no update and no delete for plans: changes other than adding
 * test cases are refused at preview (or, with a new name, create a new plan and leave the old one);
 * destroy leaves the plan in CloudTest. See docs/resources/test-plan.md.
 */
export class TestPlan extends pulumi.dynamic.Resource {
  declare readonly projectId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly assignedId: pulumi.Output<string | undefined>;
  declare readonly startDate: pulumi.Output<string | undefined>;
  declare readonly endDate: pulumi.Output<string>;
  declare readonly serviceIdList: pulumi.Output<number[]>;
  declare readonly testCases: pulumi.Output<Array<{ serviceId: number; ids: string[] }> | undefined>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  declare readonly currentStage: pulumi.Output<string | undefined>;
  declare readonly ownerId: pulumi.Output<string | undefined>;
  declare readonly creatorId: pulumi.Output<string | undefined>;
  declare readonly caseCount: pulumi.Output<number | undefined>;

  constructor(name: string, args: TestPlanArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { currentStage: undefined, ownerId: undefined, creatorId: undefined, caseCount: undefined };
    const optional = { assignedId: undefined, startDate: undefined, testCases: undefined, adoptId: undefined };
    super(dynamicProvider("TestPlan"), name, { ...optional, ...outputs, ...args }, opts, "codearts", "TestPlan");
  }

  /** Reads an existing plan without managing it. `id` is `<projectId>/<planId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): TestPlan {
    return new TestPlan(name, {} as TestPlanArgs, { ...opts, id });
  }
}
