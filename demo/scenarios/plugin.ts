import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MANIFEST } from "../../provider/pluginPackage";
import { makeZip } from "../../provider/zip";
import type { Scenario } from "../lifecycle";

/** A basic plug-in's package: a zip with the manifest (what §4.9.30 reads back) and the script it runs. */
export function writePackage(dir: string, version: string, script: string): string {
  const manifest = {
    type: "Task",
    friendly_name: "Deploy check",
    version,
    inputs: [{ name: "TARGET", type: "input", label: "Target", required: true }],
    outputs: [],
    execution: { type: "Shell", target: "scripts/check.sh" },
  };
  const file = join(dir, "deploy-check.zip");
  writeFileSync(
    file,
    makeZip([
      { name: MANIFEST, data: Buffer.from(JSON.stringify(manifest)) },
      { name: "scripts/check.sh", data: Buffer.from(script) },
    ]),
  );
  return file;
}

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

  // A basic plug-in with its package (§4.9.29 upload, §4.9.30 read back): a changed file is a change, an unchanged one is not.
  const dir = mkdtempSync(join(tmpdir(), "codearts-demo-package-"));
  const basic = {
    pluginName: "demo_smoke_test",
    displayName: "Smoke test",
    businessType: "Test",
    pluginCompositionType: "single",
    packageFile: writePackage(dir, "1.0.0", "curl -f $TARGET\n"),
  };
  const outputs = () => engine.state.get(engine.urn(T, "smoke"))?.outputs;
  await step("basic plug-in with its package (upload, detail)", async () => {
    const r = await engine.up(T, "smoke", basic);
    return `${r.op}: package version ${outputs()?.packageVersion}, inputs ${JSON.stringify((outputs()?.packageInputs as { name: string }[]).map((i) => i.name))}`;
  });
  await step("same package file: nothing to do", async () => `${(await engine.up(T, "smoke", basic)).op}`);
  await step("a new package version: uploaded again", async () => {
    writePackage(dir, "1.1.0", "curl -fsS $TARGET\n");
    return `${(await engine.up(T, "smoke", basic)).op}: package version ${outputs()?.packageVersion}`;
  });
  await step("destroy the basic plug-in", async () => `${(await engine.destroy(T, "smoke")).op}`);
};
