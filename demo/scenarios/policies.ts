import type { Scenario } from "../lifecycle";

const gate = (name: string, value: string) => ({
  name,
  type: "Gate",
  layoutContent: "layout_content",
  content: [{ groupName: "Quality", properties: [{ key: "coverage", name: "Line coverage", type: "judge", operator: ">=", valueType: "float", value }] }],
});

export const ruleScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const T = "Rule";
  await step("create", async () => `${(await engine.up(T, "coverage", gate("Coverage gate", "0.8"))).op}`);
  await step("read (refresh)", async () => `${(await engine.refresh(T, "coverage")).op}`);
  await step("no-op up", async () => `${(await engine.up(T, "coverage", gate("Coverage gate", "0.8"))).op}`);
  await step("update in place (threshold 0.9)", async () => `${(await engine.up(T, "coverage", gate("Coverage gate", "0.9"))).op}`);
  await step("drift: edited out of band", async () => {
    const id = engine.state.get(engine.urn(T, "coverage"))!.id;
    await outOfBand.send({
      service: "pipeline",
      method: "PUT",
      path: `/v2/${account.domainId}/rules/${id}/update`,
      body: { type: "Gate", name: "Edited in console", layout_content: "x", content: [] },
      operation: "Demo.update",
    });
    return `refresh sees name=${(await engine.refresh(T, "coverage")).state!.outputs.name}`;
  });
  await step("up repairs drift", async () => `${(await engine.up(T, "coverage", gate("Coverage gate", "0.9"))).op}`);
};

export const ruleSetScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const T = "RuleSet";
  const ruleId = engine.state.get(engine.urn("Rule", "coverage"))!.id;
  await step("create from the Rule above", async () => {
    const r = await engine.up(T, "release", { name: "Release gate", rules: [{ id: ruleId }] });
    return `${r.op}: instances ${r.state!.outputs.ruleInstanceIds.length}, enabled ${r.state!.outputs.isValid}`;
  });
  await step("read (refresh)", async () => `${(await engine.refresh(T, "release")).op}`);
  await step("disable (switch API)", async () => `${(await engine.up(T, "release", { name: "Release gate", rules: [{ id: ruleId }], isValid: false })).op}`);
  await step("drift: enabled out of band", async () => {
    const id = engine.state.get(engine.urn(T, "release"))!.id;
    await outOfBand.send({ service: "pipeline", method: "PUT", path: `/v2/${account.domainId}/tenant/rule-sets/${id}/switch`, body: { is_valid: true }, operation: "Demo.switch" });
    return `refresh sees isValid=${(await engine.refresh(T, "release")).state!.outputs.isValid}`;
  });
  await step("up repairs drift", async () => `${(await engine.up(T, "release", { name: "Release gate", rules: [{ id: ruleId }], isValid: false })).op}`);
  await step("destroy rule set, then rule", async () => `${(await engine.destroy(T, "release")).op}, ${(await engine.destroy("Rule", "coverage")).op}`);
};

export const openSourcePolicyScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const T = "OpenSourcePolicy";
  const content = (values: string[]) => ({ security: { enable: true, rules: { severity: { enable: true, values }, cve: { enable: false, values: [""] } } } });
  await step("create (switched on after create)", async () => `${(await engine.up(T, "oss", { name: "No critical CVEs", content: content(["Critical"]) })).op}`);
  await step('no-op up ([""] normalised)', async () => `${(await engine.up(T, "oss", { name: "No critical CVEs", content: content(["Critical"]) })).op}`);
  await step("update in place", async () => `${(await engine.up(T, "oss", { name: "No critical CVEs", content: content(["Critical", "High"]) })).op}`);
  await step("deleted out of band", async () => {
    const id = engine.state.get(engine.urn(T, "oss"))!.id;
    await outOfBand.send({ service: "pipeline", method: "DELETE", path: `/v2/${account.domainId}/tenant/open-source/rule-sets/${id}/delete`, operation: "Demo.delete" });
    return `refresh: ${(await engine.refresh(T, "oss")).op}`;
  });
  await step("up re-creates", async () => `${(await engine.up(T, "oss", { name: "No critical CVEs", content: content(["Critical", "High"]) })).op}`);
  await step("destroy", async () => `${(await engine.destroy(T, "oss")).op}`);
};
