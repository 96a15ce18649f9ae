import { apiTestSuite } from "./resources/apiTestSuite";
import { pipeline } from "./resources/pipeline";
import { pipelineGroup } from "./resources/pipelineGroup";
import { pipelineTemplate } from "./resources/pipelineTemplate";
import { plugin } from "./resources/plugin";
import { pluginVersion } from "./resources/pluginVersion";
import { publisher } from "./resources/publisher";
import { rule } from "./resources/rule";
import { ruleSet } from "./resources/ruleSet";
import { openSourcePolicy } from "./resources/openSourcePolicy";
import { script } from "./resources/script";
import { scriptRun } from "./resources/scriptRun";
import { testPlan } from "./resources/testPlan";
import { vpcepAccessControl } from "./resources/vpcepAccessControl";

/** Every resource kind this package provides, by the name the SDK's shim passes. One line per kind. */
export const KINDS = {
  PipelineGroup: pipelineGroup,
  PipelineTemplate: pipelineTemplate,
  Pipeline: pipeline,
  Publisher: publisher,
  Plugin: plugin,
  PluginVersion: pluginVersion,
  Rule: rule,
  RuleSet: ruleSet,
  OpenSourcePolicy: openSourcePolicy,
  Script: script,
  ScriptRun: scriptRun,
  TestPlan: testPlan,
  ApiTestSuite: apiTestSuite,
  VpcepAccessControl: vpcepAccessControl,
} as const;

export type KindName = keyof typeof KINDS;
