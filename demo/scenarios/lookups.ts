import { clientSettings, seedCocResources } from "../../emulator";
import * as sdk from "../../sdk";
import type { Scenario } from "../lifecycle";

/**
 * Each look-up once, against objects the scenario made: one step per look-up, so the table shows the API
 * calls each costs. Names start with "lookups" so that no other scenario's leftovers match them.
 */
export const lookupsScenario: Scenario = async ({ emu, engine, account }, step) => {
  const projectId = account.codeartsProjects[0];
  const opts = { settings: clientSettings(emu, account) };
  const made: Record<string, string> = {};
  const up = async (kind: string, name: string, inputs: Record<string, unknown>) => (made[kind] = (await engine.up(kind, name, inputs)).state!.id);
  const gate = { groupName: "coverage", properties: [{ key: "coverage", name: "coverage", type: "judge", operator: ">=", valueType: "float", value: "0.8" }] };
  const pluginName = "demo_lookups";

  await step("setup: one object of each kind", async () => {
    const groupId = await up("PipelineGroup", "lookups-group", { projectId, name: "Lookups group" });
    const stages = [{ name: "Build", sequence: 0, jobs: [{ name: "Compile", identifier: "compile", sequence: 0, steps: [] }] }];
    const templateId = await up("PipelineTemplate", "lookups-template", { name: "Lookups template", language: "none", isShowSource: true, definition: { stages } });
    const sources = [{ type: "code", params: { gitType: "codehub", gitUrl: "https://example.com/team/lookups.git", defaultBranch: "master" } }];
    await up("Pipeline", "lookups-pipeline", { projectId, name: "lookups_pipeline", templateId, groupId, isPublish: false, sources });
    const ruleId = await up("Rule", "lookups-rule", { name: "Lookups rule", type: "Gate", layoutContent: "layout_content", content: [gate] });
    await up("RuleSet", "lookups-rule-set", { name: "Lookups rule set", rules: [{ id: ruleId }], isValid: false });
    await up("OpenSourcePolicy", "lookups-policy", {
      name: "Lookups policy",
      content: { security: { enable: true, rules: { severity: { enable: true, values: ["Critical"] } } } },
    });
    const publisherId = await up("Publisher", "lookups-publisher", { name: "Lookups", enName: "lookups", supportUrl: "lookups@demo.example" });
    await up("Plugin", "lookups-plugin", { pluginName, displayName: "Lookups", businessType: "Deploy", pluginCompositionType: "multi" });
    const steps = [{ task: "official_shell_plugin", name: "Deploy", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "./deploy.sh" } }];
    await up("PluginVersion", "lookups-version", { pluginName, version: "0.0.1", steps, publish: true, publisherId });
    const script = { name: "demo_lookups_script", description: "Looked up", type: "SHELL", content: "echo found", riskLevel: "LOW", version: "1.0.0" };
    await up("Script", "lookups-script", script);
    await up("TestPlan", "lookups-plan", { projectId, name: "Lookups plan", endDate: "2026-12-31", serviceIdList: [13] });
    // Hosts are the tenant's resources (no create API in COC): seeded, as the ScriptRun scenario does.
    const iam = account.iamProjects[0];
    seedCocResources(emu.store, account.domainId, [{ resourceId: "lookups-host", agentSn: "sn-lookups-host", projectId: iam.id.slice(0, 32), regionId: iam.name }]);
    return `${Object.keys(made).length} objects`;
  });
  // A look-up finding something other than what the scenario made fails its step.
  const found = (kind: string, id: string) => {
    if (id !== made[kind]) throw new Error(`found ${id}, not the ${kind} made (${made[kind]})`);
    return `found ${id}`;
  };
  await step("getPipelineGroup by name", async () => found("PipelineGroup", (await sdk.getPipelineGroup({ projectId, name: "Lookups group" }, opts)).id));
  await step("getPipelineTemplate by name", async () => found("PipelineTemplate", (await sdk.getPipelineTemplate({ name: "Lookups template" }, opts)).id));
  await step("getPipeline by name", async () => found("Pipeline", (await sdk.getPipeline({ projectId, name: "lookups_pipeline" }, opts)).id));
  await step("getRule by name", async () => found("Rule", (await sdk.getRule({ name: "Lookups rule" }, opts)).id));
  await step("getRuleSet by name", async () => found("RuleSet", (await sdk.getRuleSet({ name: "Lookups rule set" }, opts)).id));
  await step("getOpenSourcePolicy by name", async () => found("OpenSourcePolicy", (await sdk.getOpenSourcePolicy({ name: "Lookups policy" }, opts)).id));
  await step("getPublisher by name", async () => found("Publisher", (await sdk.getPublisher({ name: "Lookups" }, opts)).id));
  await step("getPlugin", async () => found("Plugin", (await sdk.getPlugin({ pluginName }, opts)).id));
  await step("getPluginVersion", async () => found("PluginVersion", (await sdk.getPluginVersion({ pluginName, version: "0.0.1" }, opts)).id));
  await step("getScript by name", async () => found("Script", (await sdk.getScript({ name: "demo_lookups_script" }, opts)).id));
  await step("getTestPlan by name", async () => found("TestPlan", (await sdk.getTestPlan({ projectId, name: "Lookups plan" }, opts)).id));
  await step("getTestEnvironments", async () => `environments: ${(await sdk.getTestEnvironments({ projectId }, opts)).environments.length}`);
  await step("getTestPlanRequirements", async () => `requirements: ${(await sdk.getTestPlanRequirements({ projectId, planId: made.TestPlan }, opts)).requirements.length}`);
  await step("getTestPlanHistory", async () => `changes: ${(await sdk.getTestPlanHistory({ projectId, planId: made.TestPlan }, opts)).history.length}`);
  await step("listTenantResources (§4.1.1)", async () => {
    const hosts = await sdk.listTenantResources({ provider: "ecs", type: "cloudservers", ...opts });
    if (!hosts.some((h) => h.resourceId === "lookups-host")) throw new Error(`the seeded host is not among the ${hosts.length} listed`);
    return `${hosts.length} hosts, the seeded one among them`;
  });
  await step("teardown", async () => {
    for (const [kind, name] of [
      ["TestPlan", "lookups-plan"],
      ["Script", "lookups-script"],
      ["PluginVersion", "lookups-version"],
      ["Plugin", "lookups-plugin"],
      ["Publisher", "lookups-publisher"],
      ["OpenSourcePolicy", "lookups-policy"],
      ["RuleSet", "lookups-rule-set"],
      ["Rule", "lookups-rule"],
      ["Pipeline", "lookups-pipeline"],
      ["PipelineTemplate", "lookups-template"],
      ["PipelineGroup", "lookups-group"],
    ])
      await engine.destroy(kind, name);
    return "destroyed";
  });
};
