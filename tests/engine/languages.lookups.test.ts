import { DEFAULT_ACCOUNT, stackConfig, startEmulator, type Emulator } from "../../emulator";
import { ApiClient } from "../../provider/client";
import { clientSettings } from "../../emulator";
import { CliStack, PLUGIN_DIR } from "../harness/cliStack";

/**
 * The look-ups from YAML through the real Pulumi CLI and the plugin's invokes (`fn::invoke`): a group made
 * outside the program is found by name and a managed group put under it; CloudTest's environments are
 * listed; an absent name fails the update with the look-up's message; a name that has become ambiguous
 * fails it naming both ids.
 */
const P = DEFAULT_ACCOUNT.codeartsProjects[0];

const PROGRAM = `name: codearts-lookups
runtime: yaml
plugins:
  providers:
    - name: codearts
      path: ${PLUGIN_DIR}
config:
  projectId:
    type: string
  teamName:
    type: string
variables:
  team:
    fn::invoke:
      function: codearts:index:getPipelineGroup
      arguments:
        projectId: \${projectId}
        name: \${teamName}
  environments:
    fn::invoke:
      function: codearts:index:getTestEnvironments
      arguments:
        projectId: \${projectId}
resources:
  nightly:
    type: codearts:index:PipelineGroup
    properties:
      projectId: \${projectId}
      name: nightly
      parentId: \${team.id}
outputs:
  teamId: \${team.id}
  teamPath: \${team.pathId}
  nightlyPath: \${nightly.pathId}
  defaultEnvironment: \${environments.environments[0].environmentName}
`;

let emu: Emulator;
let stack: CliStack;
let client: ApiClient;

async function group(name: string): Promise<string> {
  const res = await client.send<{ id: string }>({
    service: "pipeline",
    method: "POST",
    path: `/v5/${P}/api/pipeline-group/create`,
    body: { name, project_id: P, parent_id: "" },
    operation: "Test.create",
  });
  return res.body.id;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  client = new ApiClient(clientSettings(emu));
  const config = Object.fromEntries(Object.entries(stackConfig(emu, DEFAULT_ACCOUNT)).map(([k, v]) => [k.replace(/^huaweicloud:/, "codearts:"), v]));
  stack = await CliStack.create({ project: PROGRAM, config: { ...config, "codearts-lookups:projectId": P, "codearts-lookups:teamName": "Platform" } });
});
afterAll(async () => {
  await stack?.dispose();
  await client?.close();
  await emu?.close();
});

async function outputs(): Promise<Record<string, unknown>> {
  const r = await stack.run(["stack", "output", "--json", "--stack", stack.stackName]);
  if (!r.ok) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test("a group made elsewhere, found by name: a managed group goes under it; the environments listed", async () => {
  const team = await group("Platform");
  const r = await stack.op("up");
  expect(r.stderr).toBe("");
  expect(r.ok).toBe(true);
  expect(await outputs()).toEqual({
    teamId: team,
    teamPath: team,
    nightlyPath: expect.stringMatching(new RegExp(`^${team}\\.[0-9a-f]{32}$`)),
    defaultEnvironment: "Default environment",
  });
  // Found, not managed: the state holds the managed group only.
  const exported = await stack.exported();
  expect(exported.resources.filter((x) => x.custom && x.id).map((x) => x.id)).not.toContain(team);
});

test("no group of that name: the update fails with the look-up's message", async () => {
  await stack.setConfig({ "codearts-lookups:teamName": "Nobody" });
  const r = await stack.op("up");
  expect(r.ok).toBe(false);
  expect(r.stdout + r.stderr).toMatch(/PipelineGroup: none found with projectId "[0-9a-f]{32}", name "Nobody"/);
});

test("two groups of that name: the update fails naming both ids", async () => {
  await stack.setConfig({ "codearts-lookups:teamName": "Platform" });
  const first = (await outputs()).teamId as string;
  const second = await group("Platform");
  const r = await stack.op("up");
  expect(r.ok).toBe(false);
  expect(r.stdout + r.stderr).toMatch(/PipelineGroup: 2 found with projectId "[0-9a-f]{32}", name "Platform"/);
  expect(r.stdout + r.stderr).toContain(first);
  expect(r.stdout + r.stderr).toContain(second);
  // Cleaned up as a user would: the program's own group destroyed.
  expect((await stack.op("destroy")).ok).toBe(true);
});
