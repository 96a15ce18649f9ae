import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, type PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { runOperation, RunResult } from "../cli/stack";
import { ApiClient } from "../provider/client";
import { clientSettings, putRepositoryFile, stackConfig, type Account, type Emulator } from "../emulator";
import { ENGINE_WORK_ROOT, programFrom, realEngineEnv } from "../tests/harness/realEngine";
import { PLATFORM_PROGRAM } from "../tests/harness/engineProgram";

/** The demo's repository (32 hex, as §4.1.1 requires) and its API: two operations, so two generated test cases. */
const DEMO_REPOSITORY = "0d3e5f7a9b1c2d4e6f8091a2b3c4d5e6";
const ORDERS_API = [
  "swagger: '2.0'",
  "info: { title: Orders, version: 1.0.0 }",
  "paths:",
  "  /orders:",
  "    get: { responses: { '200': { description: ok } } }",
  "    post: { responses: { '201': { description: created } } }",
  "",
].join("\n");

/**
 * The demo with the Pulumi CLI (on PATH, or built from source by `npm run pulumi-cli`): the example
 * platform program on a local file backend in a temporary directory, against the emulator: up, a
 * change and its preview, an out-of-band change and drift, destroy. The program runs inline (the
 * Automation API's own language server), as the Node language host cannot be built here; its
 * summaries come from the same code `pulumi-codearts preview|up|drift` runs.
 */
export interface PlatformRun {
  up: RunResult;
  changePreview: RunResult;
  drift: RunResult;
  destroy: RunResult;
}

export async function platformStack(emu: Emulator, account: Account, pulumiCommand?: PulumiCommand): Promise<{ stack: Stack; cleanup: () => Promise<void> }> {
  fs.mkdirSync(ENGINE_WORK_ROOT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(ENGINE_WORK_ROOT, "demo-"));
  fs.mkdirSync(path.join(dir, "home"));
  fs.mkdirSync(path.join(dir, "backend"));
  const envVars = realEngineEnv(path.join(dir, "home"), path.join(dir, "backend"));
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "demo", projectName: "codearts-platform", program: programFrom(PLATFORM_PROGRAM) },
    { envVars, workDir: dir, ...(pulumiCommand ? { pulumiCommand } : {}) },
  );
  const config: Record<string, { value: string; secret?: boolean }> = {};
  for (const [k, v] of Object.entries(stackConfig(emu, account))) config[k] = typeof v === "string" ? { value: v } : { value: v.secret, secret: true };
  config["codearts-platform:projectId"] = { value: account.codeartsProjects[0] };
  config["codearts-platform:teamName"] = { value: "Platform" };
  // An API test suite feeding the regression plan: a Swagger 2.0 file in a repository the emulator holds.
  putRepositoryFile(emu.store, DEMO_REPOSITORY, "master", "api/orders.yaml", ORDERS_API);
  config["codearts-platform:apiSpec"] = { value: JSON.stringify({ repositoryId: DEMO_REPOSITORY, branch: "master", path: "api/orders.yaml" }) };
  await stack.setAllConfig(config);
  return {
    stack,
    cleanup: async () => {
      await stack.workspace.removeStack("demo", { force: true }).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function runPlatform(emu: Emulator, account: Account, show: (title: string, r: RunResult) => void, pulumiCommand?: PulumiCommand): Promise<PlatformRun> {
  const { stack, cleanup } = await platformStack(emu, account, pulumiCommand);
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
    await outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `/v5/${projectId}/api/pipeline-group/update`,
      body: { name: "Renamed in console", id: groupId },
      operation: "Demo.rename",
    });
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
