import * as pulumi from "@pulumi/pulumi";
import { apiTestSuiteOutputKeys, type ApiTestSuiteDeclared, type ApiTestSuiteOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type ApiTestSuiteArgs = Args<ApiTestSuiteDeclared>;

/**
 * A CloudTest API test suite generated from a Swagger 2.0 file in a repository, one test case per operation.
 * CloudTest can only generate suites: a change generates a new one (the old one stays), destroy leaves the suite
 * in CloudTest, and nothing can be read back. `testcaseIds` feed a TestPlan's `testCases`. See
 * docs/resources/api-test-suite.md.
 */
export class ApiTestSuite extends KindResource {
  constructor(name: string, args: ApiTestSuiteArgs, opts?: pulumi.CustomResourceOptions) {
    super("ApiTestSuite", name, withOutputKeys(apiTestSuiteOutputKeys, args), opts);
  }
}

// The output properties, from the generated ApiTestSuiteOutputs (class and interface merge).
export interface ApiTestSuite extends OutputProperties<ApiTestSuiteOutputs> {}
