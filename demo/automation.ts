import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, type PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { runOperation, RunResult } from "../cli/stack";
import { ApiClient } from "../provider/client";
import { clientSettings, putRepositoryFile, seedCocResources, stackConfig, type Account, type Emulator } from "../emulator";
import { ENGINE_WORK_ROOT, programFrom, realEngineEnv } from "../tests/harness/realEngine";
import { PLATFORM_PROGRAM } from "../tests/harness/engineProgram";
import { writePackage } from "./scenarios/plugin";

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
/** The organisation's group: made in the console (out of band), found by the program by name. */
const ORGANISATION_GROUP = "Engineering";
/** The tenant's hosts the rotation runs on (COC has no create API for them: the emulator is seeded). */
const HOSTS = ["web-1", "web-2"];

/**
 * The demo with the Pulumi CLI (on PATH, or built from source by `npm run pulumi-cli`): the example
 * platform program on a local file backend in a temporary directory, against the emulator: up, a
 * change and its preview, an out-of-band change and drift, destroy. Its optional parts are all on: an
 * API test suite feeding the plan, a basic plug-in with its package, the log rotation run on the
 * tenant's hosts (its ticket), and the team's groups under a group the organisation made out of band.
 * The program runs inline (the Automation API's own language server), as the Node language host cannot
 * be built here; its summaries come from the same code `pulumi-codearts preview|up|drift` runs.
 */
export interface PlatformRun {
  up: RunResult;
  /** The stack's outputs after the up, secrets masked. */
  outputs: Record<string, unknown>;
  /** The id of the organisation's group, made out of band before the up. */
  organisationGroupId: string;
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
  config["codearts-platform:deployPackage"] = { value: writePackage(dir, "1.0.0", "curl -f $TARGET\n") };
  // A step of 200 ms: the ticket ends in a fraction of a second.
  const iam = account.iamProjects[0];
  seedCocResources(
    emu.store,
    account.domainId,
    HOSTS.map((n) => ({ resourceId: n, name: n, agentSn: `sn-${n}`, projectId: iam.id.slice(0, 32), regionId: iam.name })),
    200,
  );
  config["codearts-platform:rotateLogsOnHosts"] = { value: "true" };
  await stack.setAllConfig(config);
  return {
    stack,
    cleanup: async () => {
      await stack.workspace.removeStack("demo", { force: true }).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function runPlatform(
  emu: Emulator,
  account: Account,
  show: (title: string, r: RunResult, outputs?: Record<string, unknown>) => void,
  pulumiCommand?: PulumiCommand,
): Promise<PlatformRun> {
  const { stack, cleanup } = await platformStack(emu, account, pulumiCommand);
  const outOfBand = new ApiClient(clientSettings(emu, account));
  const projectId = account.codeartsProjects[0];
  try {
    // Out of band, before the up: the organisation's group, which the program finds by name (a look-up: not in the stack).
    const made = await outOfBand.send<{ id: string }>({
      service: "pipeline",
      method: "POST",
      path: `/v5/${projectId}/api/pipeline-group/create`,
      body: { name: ORGANISATION_GROUP, project_id: projectId, parent_id: "" },
      operation: "Demo.create",
    });
    await stack.setConfig("codearts-platform:organisationGroup", { value: ORGANISATION_GROUP });
    const up = await runOperation("up", stack);
    const outputs = Object.fromEntries(Object.entries(await stack.outputs()).map(([k, o]) => [k, o.secret ? "[secret]" : o.value]));
    show("up", up, outputs);
    await stack.setConfig("codearts-platform:teamName", { value: "Platform Team" });
    const changePreview = await runOperation("preview", stack);
    show("preview of a change (teamName → Platform Team)", changePreview);
    await stack.setConfig("codearts-platform:teamName", { value: "Platform" });
    // Out of band: rename the team's group in the "console" (the emulator's API, not Pulumi).
    const groupId = String(outputs.teamGroupPath).split(".").pop();
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
    return { up, outputs, organisationGroupId: made.body.id, changePreview, drift, destroy };
  } finally {
    await outOfBand.close();
    await cleanup();
  }
}
