import type { Scenario } from "../lifecycle";

export const pluginScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const T = "Plugin";
  const D = account.domainId;
  const check = { pluginName: "demo_deploy_check", displayName: "Deploy check", businessType: "Normal", businessTypeDisplayName: "General" };
  await step("create (v3 info/add)", async () => `${(await engine.up(T, "check", check)).op}`);
  await step("read (refresh)", async () => `${(await engine.refresh(T, "check")).op}: displayName=${engine.state.get(engine.urn(T, "check"))?.outputs.displayName}`);
  await step("no-op up", async () => `${(await engine.up(T, "check", check)).op}`);
  await step("update in place", async () => `${(await engine.up(T, "check", { ...check, description: "Checks a deployment" })).op}`);
  await step("drift: changed out of band", async () => {
    await outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `/v3/${D}/extension/info/update`,
      body: { plugin_name: check.pluginName, unique_id: engine.state.get(engine.urn(T, "check"))?.outputs.uniqueId, display_name: "Renamed in console" },
      operation: "Demo.update",
    });
    return `refresh sees displayName=${(await engine.refresh(T, "check")).state!.outputs.displayName}`;
  });
  await step("up repairs drift", async () => `${(await engine.up(T, "check", { ...check, description: "Checks a deployment" })).op}`);
  await step("deleted out of band", async () => {
    await outOfBand.send({
      service: "pipeline",
      method: "DELETE",
      path: `/v3/${D}/extension/info/delete`,
      query: { plugin_name: check.pluginName, type: "all" },
      operation: "Demo.delete",
    });
    return `refresh: ${(await engine.refresh(T, "check")).op}`;
  });
  await step("up re-creates", async () => `${(await engine.up(T, "check", check)).op}`);
  await step("destroy", async () => `${(await engine.destroy(T, "check")).op}`);
};
