import { seedTestCases, seedVpcepRecords } from "../../emulator";
import type { Scenario } from "../lifecycle";

export const testPlanScenario: Scenario = async ({ emu, engine, account }, step) => {
  const T = "TestPlan";
  const projectId = account.codeartsProjects[0];
  const ids = Array.from({ length: 3 }, (_, i) => `${i}`.padStart(32, "c"));
  seedTestCases(emu.store, projectId, 13, ids); // CloudTest cases have no create API: the demo seeds them
  const plan = (over: Record<string, unknown> = {}) => ({ projectId, name: "Demo regression", endDate: "2026-12-31", serviceIdList: [13], ...over });
  await step("create", async () => `${(await engine.up(T, "plan", plan({ testCases: [{ serviceId: 13, ids: ids.slice(0, 2) }] }))).op}`);
  await step("read (list, exact id)", async () => `${(await engine.refresh(T, "plan")).op}`);
  await step("add a test case (batch-add)", async () => `${(await engine.up(T, "plan", plan({ testCases: [{ serviceId: 13, ids }] }))).op}`);
  await step("change the end date: refused at check", async () => {
    const r = await engine.up(T, "plan", plan({ endDate: "2027-01-31", testCases: [{ serviceId: 13, ids }] }));
    return `${r.op}: ${r.failures?.[0]?.property} ${r.failures?.[0]?.reason.slice(0, 60)}…`;
  });
  await step("new name = new plan (old one stays)", async () => `${(await engine.up(T, "plan", plan({ name: "Demo regression 2", testCases: [{ serviceId: 13, ids }] }))).op}`);
  await step("destroy (CloudTest keeps the plan)", async () => `${(await engine.destroy(T, "plan")).op}, forgotten`);
};

export const scriptScenario: Scenario = async ({ engine, outOfBand }, step) => {
  const T = "Script";
  const s = (content: string) => ({
    name: "demo_rotate_logs",
    description: "Rotates logs",
    type: "SHELL",
    content,
    riskLevel: "LOW",
    version: "1.0.0",
    params: [{ name: "token", value: "demo-secret", sensitive: true }],
  });
  await step("create", async () => {
    const r = await engine.up(T, "script", s("echo rotate"));
    return `${r.op} ${r.state!.id}: token=${r.state!.outputs.params[0].value}`;
  });
  await step("no-op (masked value is not drift)", async () => `${(await engine.up(T, "script", s("echo rotate"))).op}`);
  await step("update content", async () => `${(await engine.up(T, "script", s("echo rotate --all"))).op}`);
  await step("drift: edited out of band", async () => {
    const st = engine.state.get(engine.urn(T, "script"))!;
    // As the console sends it: name and type too (a service may require them, ambiguity S4).
    const body = { name: st.outputs.name, type: st.outputs.type, description: "Edited in console", content: "echo hacked" };
    await outOfBand.send({ service: "coc", method: "PUT", path: `/v1/job/scripts/${st.id}`, body, operation: "Demo.update" });
    return `refresh sees content=${(await engine.refresh(T, "script")).state!.outputs.content}`;
  });
  await step("up repairs drift", async () => `${(await engine.up(T, "script", s("echo rotate --all"))).op}`);
  await step("destroy", async () => `${(await engine.destroy(T, "script")).op}`);
};

export const vpcepScenario: Scenario = async ({ emu, engine, account }, step) => {
  const T = "VpcepAccessControl";
  // The region the provider is configured for: the one its devuc endpoint serves (ambiguities.md V2).
  const region = account.iamProjects[0].name;
  seedVpcepRecords(emu.store, account.domainId, region, ["vpcep-build", "vpcep-deploy"]); // made in the console
  await step("adopt two endpoints (no API call)", async () => `${(await engine.up(T, "acl", { region, vpceps: [{ vpcepId: "vpcep-build" }, { vpcepId: "vpcep-deploy" }] })).op}`);
  await step("revoke one (DELETE with region header)", async () => `${(await engine.up(T, "acl", { region, vpceps: [{ vpcepId: "vpcep-build" }] })).op}`);
  await step("destroy revokes the rest", async () => `${(await engine.destroy(T, "acl")).op}`);
};
