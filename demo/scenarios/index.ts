import type { Scenario } from "../lifecycle";
import { apiTestSuiteScenario } from "./apiTestSuite";
import { pipelineScenario } from "./pipeline";
import { pipelineGroupScenario } from "./pipelineGroup";
import { pipelineTemplateScenario } from "./pipelineTemplate";
import { pluginScenario } from "./plugin";
import { pluginVersionScenario } from "./pluginVersion";
import { publisherScenario } from "./publisher";
import { openSourcePolicyScenario, ruleScenario, ruleSetScenario } from "./policies";
import { scriptScenario, testPlanScenario, vpcepScenario } from "./operations";
import { scriptRunScenario } from "./scriptRun";
import { lookupsScenario } from "./lookups";

/** The lifecycles the demo runs, one per resource kind, in order, then the look-ups. One line each. */
export const SCENARIOS: Array<[string, Scenario]> = [
  ["PipelineGroup", pipelineGroupScenario],
  ["PipelineTemplate", pipelineTemplateScenario],
  ["Pipeline", pipelineScenario],
  ["Publisher", publisherScenario],
  ["Plugin", pluginScenario],
  ["PluginVersion", pluginVersionScenario],
  ["Rule", ruleScenario],
  ["RuleSet", ruleSetScenario],
  ["OpenSourcePolicy", openSourcePolicyScenario],
  ["TestPlan", testPlanScenario],
  ["ApiTestSuite", apiTestSuiteScenario],
  ["Script", scriptScenario],
  ["ScriptRun", scriptRunScenario],
  ["VpcepAccessControl", vpcepScenario],
  ["Lookups", lookupsScenario],
];
