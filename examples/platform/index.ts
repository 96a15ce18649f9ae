import * as pulumi from "@pulumi/pulumi";
import {
  ApiTestSuite,
  getPipelineGroupOutput,
  listTenantResources,
  OpenSourcePolicy,
  Pipeline,
  PipelineGroup,
  PipelineTemplate,
  Plugin,
  PluginVersion,
  Publisher,
  Rule,
  RuleSet,
  Script,
  ScriptRun,
  TestPlan,
  VpcepAccessControl,
} from "pulumi-codearts";

/**
 * The example platform program: one team's CodeArts setup declared as code, every resource kind
 * together, wired by references (template → pipeline → group, publisher → plug-in version, ...).
 * The root Pulumi.yaml runs it, compiled to dist/examples/platform/index.js by `npm run build`.
 *
 * Config (namespace codearts-platform):
 *   projectId  the CodeArts project (32 hex)
 *   teamName   used in names; changing it is the demo's "change"
 *   rotateToken (secret), vpcepIds (list) and vpcepRegion: optional
 *   apiSpec: optional { repositoryId, branch, path } of a Swagger 2.0 file: an API test suite feeding the plan
 *   organisationGroup: optional, the name of a pipeline group made outside this stack: the team's group goes under it
 *   deployPackage: optional, a plug-in package file: a basic plug-in with it
 *   rotateLogsOnHosts: optional boolean: run the log rotation now on the tenant's hosts (as COC lists them)
 * Provider settings: huaweicloud:* (see the README), e.g. huaweicloud:endpoints {"*": <emulator URL>}.
 */
const config = new pulumi.Config("codearts-platform");
const projectId = config.require("projectId");
const team = config.get("teamName") ?? "Platform";
const slug = team.toLowerCase().replace(/[^a-z0-9]+/g, "_");

// Pipelines: a group tree (under the organisation's group, found by name, when one is named), a template of
// the account, and one pipeline per service made from it.
const organisationGroup = config.get("organisationGroup");
const organisation = organisationGroup ? getPipelineGroupOutput({ projectId, name: organisationGroup }) : undefined;
const root = new PipelineGroup("team", { projectId, name: team, parentId: organisation?.id });
const services = new PipelineGroup("services", { projectId, name: `${team} services`, parentId: root.id });

const template = new PipelineTemplate("service-build", {
  name: `${team} service build`,
  language: "none",
  isShowSource: true,
  variables: [{ name: "branch", type: "string", value: "master", isRuntime: true, sequence: 0 }],
  definition: {
    stages: [{ name: "Build", sequence: 0, identifier: "build", jobs: [{ name: "Compile", identifier: "compile", sequence: 0, depends_on: [], steps: [] }] }],
  },
});

const pipelines = ["api", "web"].map(
  (name) =>
    new Pipeline(name, {
      projectId,
      name: `${slug}_${name}`,
      templateId: template.id,
      groupId: services.id,
      isPublish: false,
      sources: [{ type: "code", params: { gitType: "codehub", gitUrl: `https://codehub.example.com/${slug}/${name}.git`, defaultBranch: "master", repoName: name } }],
    }),
);

// Extension plug-in: the team's publisher, its deploy step, version 0.0.1 released and bound.
const publisher = new Publisher("publisher", { name: team, enName: slug, supportUrl: `${slug}@example.com` });
const deployStep = new Plugin("deploy-step", { pluginName: `${slug}_deploy`, displayName: `${team} deploy`, businessType: "Deploy", pluginCompositionType: "multi" });
const released = new PluginVersion("deploy-step-0.0.1", {
  pluginName: deployStep.pluginName,
  version: "0.0.1",
  steps: [{ task: "official_shell_plugin", name: "Deploy", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "./deploy.sh" } }],
  publish: true,
  publisherId: publisher.id,
});
// A basic plug-in: its steps are the package's (a zip with the manifest and the scripts it runs).
const deployPackage = config.get("deployPackage");
const deployCheck = deployPackage
  ? new Plugin("deploy-check", {
      pluginName: `${slug}_deploy_check`,
      displayName: `${team} deploy check`,
      businessType: "Test",
      pluginCompositionType: "single",
      packageFile: deployPackage,
    })
  : undefined;

// Policies: two rules, a rule set using them (disabled while the team onboards), an open-source policy.
const gate = (name: string, key: string, value: string) =>
  new Rule(key, {
    name: `${team} ${name}`,
    type: "Gate",
    layoutContent: "layout_content",
    content: [{ groupName: name, properties: [{ key, name, type: "judge", operator: ">=", valueType: "float", value }] }],
  });
const coverage = gate("line coverage", "coverage", "0.8");
const passRate = gate("test pass rate", "pass-rate", "1.0");
const releaseGate = new RuleSet("release-gate", { name: `${team} release gate`, rules: [{ id: coverage.id }, { id: passRate.id }], isValid: false });
const ossPolicy = new OpenSourcePolicy("open-source", {
  name: `${team} open-source policy`,
  content: { security: { enable: true, rules: { severity: { enable: true, values: ["Critical"] }, cve: { enable: false, values: [""] } } } },
});

// Operations: the team's regression plan (with the API test suite's cases, when a spec is given), a maintenance
// script (its token kept secret), private access.
const apiSpec = config.getObject<{ repositoryId: string; branch: string; path: string }>("apiSpec");
const apiSuite =
  apiSpec &&
  new ApiTestSuite("api-suite", { projectId, testsuiteName: `${team} API`, repositoryId: apiSpec.repositoryId, repositoryBranch: apiSpec.branch, filePath: apiSpec.path });
// 13: the test type of API test cases in the emulator's project (the reference does not say which it is).
const regression = new TestPlan("regression", {
  projectId,
  name: `${team} regression`,
  endDate: "2026-12-31",
  serviceIdList: [13],
  testCases: apiSuite ? [{ serviceId: 13, ids: apiSuite.testcaseIds }] : undefined,
});
const rotateParams = [{ name: "token", value: config.getSecret("rotateToken") ?? "unset", sensitive: true }];
const rotate = new Script("rotate-logs", {
  name: `${slug}_rotate_logs`,
  description: `Rotates ${team} logs`,
  type: "SHELL",
  content: "logrotate -f /etc/logrotate.d/app",
  riskLevel: "LOW",
  version: "1.0.0",
  params: rotateParams,
});
// Run the rotation now on every host COC lists for the tenant; the run's ticket is its record.
const hosts = config.getBoolean("rotateLogsOnHosts") ? listTenantResources({ provider: "ecs", type: "cloudservers" }) : undefined;
const rotation =
  hosts &&
  new ScriptRun("rotate-logs-now", {
    scriptId: rotate.id,
    scriptVersion: rotate.version,
    params: rotateParams,
    batches: hosts.then((hs) => [{ hosts: hs.map((h) => ({ resourceId: h.resourceId, agentSn: h.agentId!, projectId: h.projectId!, regionId: h.regionId! })) }]),
  });
const vpcepIds = config.getObject<string[]>("vpcepIds") ?? [];
if (vpcepIds.length > 0) {
  new VpcepAccessControl("private-access", { region: config.get("vpcepRegion") ?? "ap-southeast-3", vpceps: vpcepIds.map((vpcepId) => ({ vpcepId })) });
}

export const regressionPlanId = regression.id;
export const rotateScriptStatus = rotate.status;
export const releaseGateId = releaseGate.id;
export const openSourcePolicyId = ossPolicy.id;
export const teamGroupPath = root.pathId;
export const servicesGroupPath = services.pathId;
export const templateId = template.id;
export const pipelineIds = pipelines.map((p) => p.id);
export const releasedVersion = released.id;
export const organisationGroupId = organisation?.id;
export const deployCheckPackage = deployCheck && { version: deployCheck.packageVersion, digest: deployCheck.packageDigest };
export const rotationHosts = hosts?.then((hs) => hs.map((h) => h.resourceId));
export const rotationTicket = rotation && { id: rotation.executeUuid, status: rotation.status };
