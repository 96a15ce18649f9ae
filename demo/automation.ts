import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { runOperation, RunResult } from "../cli/stack";
import { ApiClient } from "../provider/client";
import { clientSettings, stackConfig, type Account, type Emulator } from "../emulator";
import { REPO_ROOT } from "../tests/harness";

/**
 * The demo with the Pulumi CLI: the example platform program (root Pulumi.yaml) on a local file
 * backend in a temporary directory, against the emulator: up, a change and its preview, an
 * out-of-band change and drift, destroy. Also what the automation end-to-end test runs.
 */
export interface PlatformRun {
  up: RunResult;
  changePreview: RunResult;
  drift: RunResult;
  destroy: RunResult;
}

export async function platformStack(emu: Emulator, account: Account): Promise<{ stack: Stack; cleanup: () => Promise<void> }> {
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-codearts-demo-"));
  const envVars = { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "pulumi-codearts-demo", PULUMI_SKIP_UPDATE_CHECK: "true" };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "demo", workDir: REPO_ROOT }, { envVars });
  const config: Record<string, { value: string; secret?: boolean }> = {};
  for (const [k, v] of Object.entries(stackConfig(emu, account))) config[k] = typeof v === "string" ? { value: v } : { value: v.secret, secret: true };
  config["codearts-platform:projectId"] = { value: account.codeartsProjects[0] };
  config["codearts-platform:teamName"] = { value: "Platform" };
  await stack.setAllConfig(config);
  return {
    stack,
    cleanup: async () => {
      await stack.workspace.removeStack("demo", { force: true }).catch(() => undefined);
      fs.rmSync(backend, { recursive: true, force: true });
    },
  };
}

export async function runPlatform(emu: Emulator, account: Account, show: (title: string, r: RunResult) => void): Promise<PlatformRun> {
  const { stack, cleanup } = await platformStack(emu, account);
  const outOfBand = new ApiClient(clientSettings(emu, account));
  try {
    const up = await runOperation("up", stack);
    show("up", up);
    await stack.setConfig("codearts-platform:teamName", { value: "Platform Team" });
    const changePreview = await runOperation("preview", stack);
    show("preview of a change (teamName → Platform Team)", changePreview);
    await stack.setConfig("codearts-platform:teamName", { value: "Platform" });
    // Out of band: rename the team's group in the "console" (the emulator's API, not Pulumi).
    const groupId = String((await stack.outputs()).teamGroupPath.value).split(".")[0];
    const projectId = account.codeartsProjects[0];
    await outOfBand.send({ service: "pipeline", method: "POST", path: `/v5/${projectId}/api/pipeline-group/update`, body: { name: "Renamed in console", id: groupId }, operation: "Demo.rename" });
    const drift = await runOperation("drift", stack);
    show("drift after a rename in the console", drift);
    const destroy = await runOperation("destroy", stack);
    show("destroy", destroy);
    return { up, changePreview, drift, destroy };
  } finally {
    await outOfBand.close();
    await cleanup();
  }
}
