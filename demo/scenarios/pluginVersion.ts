import type { Scenario } from "../lifecycle";

/** The examples/extension-plugin flow: a publisher, a plug-in, 0.0.1 published, 0.0.2 as a draft. */
export const pluginVersionScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const T = "PluginVersion";
  const D = account.domainId;
  const pluginName = "demo_release";
  const run = (script: string) => [{ task: "official_shell_plugin", name: "Deploy", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: script } }];
  const inputs = [{ name: "TARGET", type: "input", defaultValue: "staging" }];
  let publisherId = "";
  await step("setup: publisher and plug-in", async () => {
    publisherId = (await engine.up("Publisher", "demo-publisher", { name: "Demo", enName: "demo", supportUrl: "support@demo.example" })).state!.id;
    return `${(await engine.up("Plugin", "demo-plugin", { pluginName, displayName: "Release", businessType: "Deploy", pluginCompositionType: "multi" })).op}`;
  });
  const v1 = () => ({ pluginName, version: "0.0.1", steps: run("./deploy.sh"), inputs, publish: true, publisherId });
  const v2 = { pluginName, version: "0.0.2", steps: run("./deploy.sh --canary"), inputs };
  await step("create 0.0.1, published and bound", async () => {
    const r = await engine.up(T, "v001", v1());
    return `${r.op} ${r.state!.id}: ${r.state!.outputs.versionAttribution}`;
  });
  await step("create 0.0.2 as a draft", async () => {
    const r = await engine.up(T, "v002", v2);
    return `${r.op} ${r.state!.id}: ${r.state!.outputs.versionAttribution}`;
  });
  await step("read (refresh)", async () => `${(await engine.refresh(T, "v002")).op}`);
  await step("no-op up", async () => `${(await engine.up(T, "v002", v2)).op}`);
  await step("edit the draft", async () => `${(await engine.up(T, "v002", { ...v2, versionDescription: "Canary first" })).op}`);
  await step("change 0.0.1 (published): refused at check", async () => {
    const r = await engine.up(T, "v001", { ...v1(), steps: run("./deploy.sh --fast") });
    return `${r.op}: ${r.failures?.[0]?.property} ${r.failures?.[0]?.reason}`;
  });
  await step("drift: draft deleted out of band", async () => {
    await outOfBand.send({
      service: "pipeline",
      method: "DELETE",
      path: `/v1/${D}/agent-plugin/delete-draft`,
      query: { plugin_name: pluginName, version: "0.0.2" },
      operation: "Demo.delete",
    });
    return `refresh: ${(await engine.refresh(T, "v002")).op}`;
  });
  await step("up re-creates the draft", async () => `${(await engine.up(T, "v002", { ...v2, versionDescription: "Canary first" })).op}`);
  await step("destroy", async () => {
    const ops = [
      await engine.destroy(T, "v002"),
      await engine.destroy(T, "v001"),
      await engine.destroy("Plugin", "demo-plugin"),
      await engine.destroy("Publisher", "demo-publisher"),
    ];
    return ops.map((o) => o.op).join(", ");
  });
};
