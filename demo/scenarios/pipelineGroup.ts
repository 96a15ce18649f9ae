import type { Scenario } from "../lifecycle";

export const pipelineGroupScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const T = "PipelineGroup";
  const projectId = account.codeartsProjects[0];
  let id = "";
  await step("create", async () => {
    const r = await engine.up(T, "platform", { projectId, name: "Platform" });
    id = r.state!.id;
    return `${r.op} ${id}`;
  });
  await step("read (refresh)", async () => `${(await engine.refresh(T, "platform")).op}: name=${engine.state.values().next().value?.outputs.name}`);
  await step("no-op up", async () => `${(await engine.up(T, "platform", { projectId, name: "Platform" })).op}`);
  await step("rename", async () => `${(await engine.up(T, "platform", { projectId, name: "Platform Team" })).op}`);
  await step("drift: renamed out of band", async () => {
    await outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `/v5/${projectId}/api/pipeline-group/update`,
      body: { name: "Renamed in console", id },
      operation: "Demo.rename",
    });
    const r = await engine.refresh(T, "platform");
    return `refresh sees name=${r.state!.outputs.name}`;
  });
  await step("up repairs drift", async () => `${(await engine.up(T, "platform", { projectId, name: "Platform Team" })).op}`);
  await step("deleted out of band", async () => {
    await outOfBand.send({ service: "pipeline", method: "DELETE", path: `/v5/${projectId}/api/pipeline-group/delete`, query: { id }, operation: "Demo.delete" });
    return `refresh: ${(await engine.refresh(T, "platform")).op}`;
  });
  await step("up re-creates", async () => `${(await engine.up(T, "platform", { projectId, name: "Platform Team" })).op}`);
  await step("destroy", async () => `${(await engine.destroy(T, "platform")).op}`);
};
