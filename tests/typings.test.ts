import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as sdk from "../sdk";
import { KINDS } from "../provider/kinds";

// The packed package must type-check in a project made by `pulumi new typescript`: its tsconfig has
// no esModuleInterop and no skipLibCheck, so every .d.ts the SDK reaches is compiled. `npm test`
// builds dist/ before jest runs; this packs it as npm would publish it.
//
// "Installing" without network: the tarball is extracted into <project>/node_modules/pulumi-codearts
// and the package's dependencies (plus @types/node, which the template installs) are symlinked from
// this repo's node_modules. tsc follows symlinks to their real paths, so what @pulumi/pulumi's own
// types import resolves from this repo's node_modules, as it would from an installed tree.
const ROOT = path.resolve(__dirname, "..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const LINKED = ["@pulumi/pulumi", "undici", "zod", "@types/node"];

// `pulumi new typescript`'s tsconfig.json, verbatim.
const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

// A program using every resource class and function the SDK exports, wired by references.
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import {
  ApiTestSuite, OpenSourcePolicy, Pipeline, PipelineGroup, PipelineTemplate, Plugin, PluginVersion, Publisher, Rule, RuleSet, Script, ScriptRun, TestPlan, VpcepAccessControl,
  dynamicProvider, getProjectOpenSourcePolicy, getProjectRuleSet, listProjectOpenSourcePolicies, listProjectRuleSets, listTenantResources,
  type PipelineGroupArgs, type ProjectRuleSet, type LookupOptions, type TenantResource,
  getPipelineGroup, getPipelineGroupOutput, getPipelineTemplate, getPipelineTemplateOutput, getPipeline, getPipelineOutput, getRule, getRuleOutput,
  getRuleSet, getRuleSetOutput, getOpenSourcePolicy, getOpenSourcePolicyOutput, getPublisher, getPublisherOutput, getPlugin, getPluginOutput,
  getPluginVersion, getPluginVersionOutput, getScript, getScriptOutput, getTestPlan, getTestPlanOutput, getTestEnvironments, getTestEnvironmentsOutput,
  getTestPlanRequirements, getTestPlanRequirementsOutput, getTestPlanHistory, getTestPlanHistoryOutput, LookupArgsError, LookupMatchError,
} from "pulumi-codearts";

const config = new pulumi.Config("codearts");
const projectId = config.require("projectId");

const teamArgs: PipelineGroupArgs = { projectId, name: "Platform" };
const team = new PipelineGroup("team", teamArgs);
const services = new PipelineGroup("services", { projectId, name: "Services", parentId: team.id });
const adopted = PipelineGroup.get("existing", pulumi.interpolate\`\${projectId}/0123456789abcdef0123456789abcdef\`);

const template = new PipelineTemplate("build", {
  name: "Service build",
  language: "none",
  isShowSource: true,
  variables: [{ name: "branch", type: "string", value: config.requireSecret("branch"), isRuntime: true, sequence: 0 }],
  definition: { stages: [{ name: "Build", sequence: 0, jobs: [] }] },
});
const pipeline = new Pipeline("api", {
  projectId,
  name: "platform_api",
  templateId: template.id,
  groupId: services.id,
  sources: [{ type: "code", params: { gitType: "codehub", gitUrl: "https://codehub.example.com/platform/api.git", defaultBranch: "master", repoName: "api" } }],
});

const publisher = new Publisher("publisher", { name: "Platform", enName: "platform", supportUrl: "platform@example.com" });
const step = new Plugin("deploy", { pluginName: "platform_deploy", displayName: "Deploy", businessType: "Deploy" });
const version = new PluginVersion("deploy-0.0.1", {
  pluginName: step.pluginName,
  version: "0.0.1",
  steps: [{ task: "official_shell_plugin", name: "Deploy", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "./deploy.sh" } }],
  publish: true,
  publisherId: publisher.publisherId,
});

const coverage = new Rule("coverage", {
  name: "Line coverage",
  type: "Gate",
  layoutContent: "layout_content",
  content: [{ groupName: "coverage", properties: [{ key: "coverage", name: "coverage", type: "judge", operator: ">=", valueType: "float", value: "0.8" }] }],
});
const gate = new RuleSet("gate", { name: "Release gate", rules: [{ id: coverage.id }], isValid: false });
const oss = new OpenSourcePolicy("oss", { name: "OSS", content: { security: { enable: true, rules: { severity: { enable: true, values: ["Critical"] } } } } });
const suite = new ApiTestSuite("petstore", { projectId, testsuiteName: "Petstore API", repositoryId: "5f0c1b2a3d4e5f60718293a4b5c6d7e8", repositoryBranch: "master", filePath: "api/petstore.yaml" });
// The suite's generated case ids (Output<string[]>) are a plan's test cases as they are.
const plan = new TestPlan("regression", { projectId, name: "Regression", endDate: "2026-12-31", serviceIdList: [13], testCases: [{ serviceId: 13, ids: suite.testcaseIds }] });
const script = new Script("rotate", {
  name: "rotate_logs", description: "Rotates logs", type: "SHELL", content: "logrotate -f /etc/logrotate.conf", riskLevel: "LOW", version: "1.0.0",
  params: [{ name: "token", value: config.requireSecret("token"), sensitive: true }],
});
const hosts: Promise<TenantResource[]> = listTenantResources({ provider: "ecs", type: "cloudservers" });
const run = new ScriptRun("rotate-now", {
  scriptId: script.id, scriptVersion: script.version, triggers: ["release-1"], successRate: 90,
  params: [{ name: "token", value: config.requireSecret("token"), sensitive: true }],
  batches: [{ hosts: [{ resourceId: "i-1", agentSn: "sn-1", projectId, regionId: "cn-north-4" }], rotationStrategy: "PAUSE" }],
});
const access = new VpcepAccessControl("private", { region: "ap-southeast-3", vpceps: [{ vpcepId: "vpcep-build" }] });

const shim: pulumi.dynamic.ResourceProvider = dynamicProvider("PipelineGroup");
const options: LookupOptions = { includeTenant: false };
const ruleSets: Promise<ProjectRuleSet[]> = listProjectRuleSets(projectId, options);

// Outputs, typed: a plain Output<string> where the value is always there, string | undefined where not.
const servicesPath: pulumi.Output<string> = services.pathId;
const parent: pulumi.Output<string | undefined> = services.parentId;
const suiteCases: pulumi.Output<string[]> = suite.testcaseIds;
export const outputs = {
  servicesPath, parent, adoptedName: adopted.name, suiteCases,
  pipelineGroup: pipeline.groupPathId, templateDomain: template.domainId, latest: step.latestVersion,
  released: version.versionAttribution.apply((a) => a === "formal"), ruleIds: gate.ruleInstanceIds.apply((ids) => ids.length),
  ossLevel: oss.level, cases: plan.caseCount, status: script.status, ticket: run.executeUuid, runStatus: run.status,
  hostResults: run.batchResults.apply((bs) => bs?.flatMap((b) => b.hosts.map((h) => h.status))), hostIds: hosts.then((hs) => hs.map((h) => h.resourceId)), paramOrders: script.params.apply((ps) => ps?.map((p) => p.order)),
  vpceps: access.vpceps.apply((v) => v.map((e) => e.vpcepId)), shimHasCreate: shim.create !== undefined,
  ruleSetNames: ruleSets.then((rs) => rs.map((r) => r.name)),
  policies: listProjectOpenSourcePolicies(projectId).then((ps) => ps.length),
  oneRuleSet: getProjectRuleSet(projectId, "0123456789abcdef0123456789abcdef"),
  onePolicy: getProjectOpenSourcePolicy(projectId, "0123456789abcdef0123456789abcdef", options),
  foundPath: getPipelineGroup({ projectId, name: "Platform" }).then((g) => g.pathId),
  foundId: getPipelineGroupOutput({ projectId, name: team.name }).id,
  changed: getTestPlanHistory({ projectId, planId: "0123456789abcdef0123456789abcdef" }).then((h) => h.history.map((r) => r.operateTime)),
  notFound: (e: unknown) => e instanceof LookupMatchError || e instanceof LookupArgsError,
  errors: [new LookupMatchError("PipelineGroup", { name: "x" }, []).candidates, new LookupArgsError("getScript", []).failures],
  found: [
    getPipelineTemplate({ name: "Service build" }).then((t) => t.language), getPipelineTemplateOutput({ id: template.id }).definition,
    getPipeline({ projectId, name: "platform_api" }).then((p) => p.groupPathId), getPipelineOutput({ projectId, id: pipeline.id }).name,
    getRule({ tenantId: "0123456789abcdef0123456789abcdef", name: "Line coverage" }).then((r) => r.type), getRuleOutput({ id: coverage.id }).content,
    getRuleSet({ name: "Release gate" }).then((r) => r.ruleInstanceIds), getRuleSetOutput({ id: gate.id }).isValid,
    getOpenSourcePolicy({ name: "OSS" }).then((p) => p.level), getOpenSourcePolicyOutput({ id: oss.id }).content,
    getPublisher({ name: "Platform" }).then((p) => p.publisherId), getPublisherOutput({ id: publisher.publisherId }).enName,
    getPlugin({ pluginName: "platform_deploy" }).then((p) => p.latestVersion), getPluginOutput({ pluginName: step.pluginName }).displayName,
    getPluginVersion({ pluginName: "platform_deploy", version: "0.0.1" }).then((v) => v.steps), getPluginVersionOutput({ pluginName: version.pluginName, version: "0.0.1" }).publish,
    getScript({ name: "rotate_logs" }).then((s) => s.status), getScriptOutput({ id: script.id }).riskLevel,
    getTestPlan({ projectId, name: "Regression" }).then((p) => p.caseCount), getTestPlanOutput({ projectId, id: plan.id }).endDate,
    getTestEnvironments({ projectId }).then((e) => e.environments[0]?.environmentId), getTestEnvironmentsOutput({ projectId }).environments,
    getTestPlanRequirements({ projectId, planId: "0123456789abcdef0123456789abcdef" }).then((r) => r.requirements.map((x) => x.parentIssue)),
    getTestPlanRequirementsOutput({ projectId, planId: plan.id }).requirements, getTestPlanHistoryOutput({ projectId, planId: plan.id }).history,
  ],
};
`;

let work: string;
let tarball: string;

/** A project with the template tsconfig, index.ts and the package installed; tsc's exit code and output. */
function typecheck(name: string, program: string): { status: number | null; output: string } {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
  fs.mkdirSync(path.join(dir, "node_modules", "@types"), { recursive: true });
  // Extracted, not linked: tsc resolves a link to its real path, and the package's imports must resolve from here.
  const pkg = path.join(dir, "node_modules", "pulumi-codearts");
  fs.mkdirSync(pkg);
  execFileSync("tar", ["-xzf", tarball, "-C", pkg, "--strip-components=1"]);
  expect(fs.existsSync(path.join(pkg, "dist", "sdk", "index.d.ts"))).toBe(true);
  for (const dep of LINKED) fs.symlinkSync(path.join(ROOT, "node_modules", dep), path.join(dir, "node_modules", dep), "dir");
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 2));
  fs.writeFileSync(path.join(dir, "index.ts"), program);
  // --pretty false only changes how diagnostics are printed (no colours), so they can be read here.
  const run = spawnSync(process.execPath, [TSC, "--noEmit", "--pretty", "false", "-p", dir], { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "codearts-typings-"));
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8" })) as Array<{ filename: string }>;
  tarball = path.join(work, packed.filename);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test("the program uses every resource class and function the SDK exports", () => {
  const classes = Object.entries(sdk)
    .filter(([, v]) => typeof v === "function" && v.prototype instanceof pulumi.CustomResource)
    .map(([k]) => k);
  const functions = Object.entries(sdk)
    .filter(([, v]) => typeof v === "function" && !(v.prototype instanceof pulumi.CustomResource))
    .map(([k]) => k);
  expect(classes).toHaveLength(Object.keys(KINDS).length);
  expect(classes.filter((c) => !PROGRAM.includes(`new ${c}(`))).toEqual([]);
  expect(functions.filter((f) => !PROGRAM.includes(`${f}(`))).toEqual([]);
});

test("the packed package type-checks in a `pulumi new typescript` project", () => {
  const { status, output } = typecheck("template", PROGRAM);
  if (status !== 0) console.log(output);
  expect({ status, errors: output.split("\n").filter((l) => l.includes("error TS")) }).toEqual({ status: 0, errors: [] });
});

test("a wrongly typed arg fails there, at the property (the check above is not vacuous)", () => {
  const wrong = PROGRAM.replace(`{ projectId, name: "Services", parentId: team.id }`, `{ projectId, name: 42, parentId: team.id }`);
  expect(wrong).not.toBe(PROGRAM);
  const line = wrong.split("\n").findIndex((l) => l.includes("name: 42")) + 1;
  const column = wrong.split("\n")[line - 1].indexOf("name: 42") + 1;
  const { status, output } = typecheck("wrong", wrong);
  expect(status).not.toBe(0);
  const errors = output.split("\n").filter((l) => l.includes("error TS"));
  // tsc places the error on the property it names (the related "expected type comes from property 'name'" is not printed without --pretty).
  expect(errors).toEqual([expect.stringContaining(`index.ts(${line},${column}): error TS2322: Type 'number' is not assignable to type 'Input<string>'`)]);
});
