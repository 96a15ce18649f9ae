import type { Scenario } from "../lifecycle";

export const pipelineTemplateScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const T = "PipelineTemplate";
  const tenant = account.domainId;
  const stages = [{ name: "Build", sequence: 0, jobs: [{ name: "Compile", identifier: "compile", sequence: 0, steps: [] }] }];
  const declared = { name: "Java service", language: "Java", isShowSource: true, definition: { stages } };
  const path = (id: string) => `/v5/${tenant}/api/pipeline-templates/${id}`;
  let id = "";
  await step("create", async () => {
    const r = await engine.up(T, "java", declared);
    id = r.state!.id;
    return `${r.op} ${id} in tenant ${r.state!.outputs.domainId}`;
  });
  await step("read (refresh)", async () => `${(await engine.refresh(T, "java")).op}: name=${engine.state.get(engine.urn(T, "java"))!.outputs.name}`);
  await step("no-op up, definition reformatted", async () => `${(await engine.up(T, "java", { ...declared, definition: JSON.stringify({ stages }, null, 2) })).op}`);
  await step("update in place", async () => `${(await engine.up(T, "java", { ...declared, name: "Java service v2" })).op}`);
  await step("drift: edited out of band", async () => {
    await outOfBand.send({
      service: "pipeline",
      method: "PUT",
      path: path(id),
      operation: "Demo.update",
      body: { name: "Edited in console", language: "Java", definition: JSON.stringify({ stages }), is_system: false, domain_id: tenant, is_show_source: true },
    });
    return `refresh sees name=${(await engine.refresh(T, "java")).state!.outputs.name}`;
  });
  await step("up repairs drift", async () => `${(await engine.up(T, "java", { ...declared, name: "Java service v2" })).op}`);
  await step("deleted out of band", async () => {
    await outOfBand.send({ service: "pipeline", method: "DELETE", path: path(id), operation: "Demo.delete" });
    return `refresh: ${(await engine.refresh(T, "java")).op}`;
  });
  await step("up re-creates", async () => `${(await engine.up(T, "java", { ...declared, name: "Java service v2" })).op}`);
  await step("destroy", async () => `${(await engine.destroy(T, "java")).op}`);
};
