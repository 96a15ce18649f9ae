import type { Scenario } from "../lifecycle";

/** The examples/pipelines program's resources: a group, a template and two pipelines made from it. */
export const pipelineScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const projectId = account.codeartsProjects[0];
  const sources = [{ type: "code", params: { gitType: "codehub", gitUrl: "https://example.com/team/app.git", defaultBranch: "master" } }];
  let groupId = "";
  let otherGroupId = "";
  let templateId = "";
  const api = `/v5/${projectId}/api`;
  const pipeline = (name: string, extra: Record<string, unknown> = {}) => ({ projectId, name, templateId, isPublish: false, sources, groupId, ...extra });
  const id = (name: string) => engine.state.get(engine.urn("Pipeline", name))!.id;

  await step("create group and template", async () => {
    groupId = (await engine.up("PipelineGroup", "services", { projectId, name: "Services" })).state!.id;
    otherGroupId = (await engine.up("PipelineGroup", "legacy", { projectId, name: "Legacy" })).state!.id;
    const stages = [{ name: "Build", sequence: 0, jobs: [{ name: "Compile", identifier: "compile", sequence: 0, steps: [] }] }];
    templateId = (await engine.up("PipelineTemplate", "service", { name: "Service", language: "none", isShowSource: true, definition: { stages } })).state!.id;
    return `group ${groupId}, template ${templateId}`;
  });
  await step("create two pipelines from the template", async () => {
    const a = await engine.up("Pipeline", "api", pipeline("api"));
    const b = await engine.up("Pipeline", "web", pipeline("web"));
    return `${a.op} ${a.state!.id}, ${b.op} ${b.state!.id}`;
  });
  await step("read (refresh)", async () => `${(await engine.refresh("Pipeline", "api")).op}: group=${engine.state.get(engine.urn("Pipeline", "api"))!.outputs.groupId}`);
  await step("no-op up", async () => `${(await engine.up("Pipeline", "api", pipeline("api"))).op}`);
  await step("move to another group (in place)", async () => `${(await engine.up("Pipeline", "web", pipeline("web", { groupId: otherGroupId }))).op}`);
  await step("replace (no update API)", async () => {
    const r = await engine.up("Pipeline", "api", pipeline("api", { description: "The API service" }));
    return `${r.op} because ${r.diff!.replaces.join(", ")} changed (delete first: ${r.diff!.deleteBeforeReplace})`;
  });
  await step("drift: moved out of band", async () => {
    await outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `${api}/pipeline-group/pipeline/move`,
      body: { group_id: groupId, pipelines: [{ pipeline_id: id("web"), pipeline_name: "web" }] },
      operation: "Demo.move",
    });
    return `refresh sees group=${(await engine.refresh("Pipeline", "web")).state!.outputs.groupId === groupId ? "Services" : "?"}`;
  });
  await step("up repairs drift", async () => `${(await engine.up("Pipeline", "web", pipeline("web", { groupId: otherGroupId }))).op}`);
  await step("deleted out of band", async () => {
    await outOfBand.send({ service: "pipeline", method: "DELETE", path: `${api}/pipelines/${id("web")}`, operation: "Demo.delete" });
    return `refresh: ${(await engine.refresh("Pipeline", "web")).op}`;
  });
  await step("up re-creates", async () => `${(await engine.up("Pipeline", "web", pipeline("web", { groupId: otherGroupId }))).op}`);
  await step("destroy a running pipeline", async () => {
    await outOfBand.send({ service: "pipeline", method: "POST", path: `${api}/pipelines/${id("api")}/run`, body: {}, operation: "Demo.run" });
    return `${(await engine.destroy("Pipeline", "api")).op} (its run was stopped first)`;
  });
  await step("destroy the rest", async () => {
    for (const [type, name] of [
      ["Pipeline", "web"],
      ["PipelineTemplate", "service"],
      ["PipelineGroup", "legacy"],
      ["PipelineGroup", "services"],
    ])
      await engine.destroy(type, name);
    return "delete";
  });
};
