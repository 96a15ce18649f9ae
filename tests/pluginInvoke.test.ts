import * as fs from "fs";
import * as path from "path";
import { createRequire } from "module";
import type * as provprotoTypes from "@pulumi/pulumi/proto/provider_pb";
import { DEFAULT_ACCOUNT, SECOND_ACCOUNT, startEmulator, type Account, type Emulator } from "../emulator";
import { ApiClient } from "../provider/client";
import { clientSettings } from "../emulator";
import { closeAll, plugin, provproto, type PluginClient, type Props } from "./support/pluginClient";
import { LOOKUPS } from "../provider/lookups";
import { REPO_ROOT } from "./harness/host";

// The protobuf runtime the protos were generated against: @pulumi/pulumi's own (as tests/support/pluginClient.ts).
const structproto = createRequire(require.resolve("@pulumi/pulumi/package.json"))(
  "google-protobuf/google/protobuf/struct_pb",
) as typeof import("google-protobuf/google/protobuf/struct_pb");

// The plugin's invokes (`codearts:index:<look-up>`): the look-ups of provider/lookups, with the provider's configuration.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
});
afterAll(async () => {
  closeAll();
  await emu?.close();
});

const configFor = (a: Account): Props => ({
  region: a.iamProjects[0].name,
  accessKey: a.accessKey,
  secretKey: a.secretKey,
  domainId: a.domainId,
  projectId: a.iamProjects[0].id,
  endpoints: JSON.stringify({ "*": emu.url }),
});

async function invoke(p: PluginClient, tok: string, args: Props) {
  const req = new provproto.InvokeRequest();
  req.setTok(tok);
  req.setArgs(structproto.Struct.fromJavaScript(args as Parameters<typeof structproto.Struct.fromJavaScript>[0]));
  const resp = await p.rpc<provprotoTypes.InvokeResponse>("invoke", req);
  return { ret: resp.getReturn()?.toJavaScript(), failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
}

/** A group made out of band, as the console would. */
async function group(a: Account, name: string): Promise<string> {
  const c = new ApiClient(clientSettings(emu, a));
  try {
    const res = await c.send<{ id: string }>({
      service: "pipeline",
      method: "POST",
      path: `/v5/${a.codeartsProjects[0]}/api/pipeline-group/create`,
      body: { name, project_id: a.codeartsProjects[0], parent_id: "" },
      operation: "Test.create",
    });
    return res.body.id;
  } finally {
    await c.close();
  }
}

test("every look-up is an invoke of the schema's functions", () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8")) as { functions: Record<string, unknown> };
  expect(Object.keys(schema.functions).sort()).toEqual(
    Object.keys(LOOKUPS)
      .map((n) => `codearts:index:${n}`)
      .sort(),
  );
});

test("found, none and several through the plugin, on the account its configuration names", async () => {
  const first = await group(DEFAULT_ACCOUNT, "Payments");
  const p = await plugin();
  await p.configure(configFor(DEFAULT_ACCOUNT));
  const P = DEFAULT_ACCOUNT.codeartsProjects[0];

  const found = await invoke(p, "codearts:index:getPipelineGroup", { projectId: P, name: "Payments" });
  expect(found.failures).toEqual([]);
  expect(found.ret).toMatchObject({ id: first, name: "Payments", projectId: P, pathId: first });

  await expect(invoke(p, "codearts:index:getPipelineGroup", { projectId: P, name: "Absent" })).rejects.toThrow(
    /PipelineGroup: none found with projectId "[0-9a-f]{32}", name "Absent"/,
  );
  const second = await group(DEFAULT_ACCOUNT, "Payments");
  await expect(invoke(p, "codearts:index:getPipelineGroup", { projectId: P, name: "Payments" })).rejects.toThrow(
    new RegExp(`PipelineGroup: 2 found with projectId "${P}", name "Payments" \\((${first}, ${second}|${second}, ${first})\\)`),
  );

  // Another provider, another account: its own groups only.
  const other = await plugin();
  await other.configure(configFor(SECOND_ACCOUNT));
  const theirs = await group(SECOND_ACCOUNT, "Payments");
  expect((await invoke(other, "codearts:index:getPipelineGroup", { projectId: SECOND_ACCOUNT.codeartsProjects[0], name: "Payments" })).ret).toMatchObject({ id: theirs });
});

test("bad arguments: check failures naming the property, no API call; an unknown function: UNIMPLEMENTED", async () => {
  const p = await plugin();
  await p.configure(configFor(DEFAULT_ACCOUNT));
  const mark = emu.log.mark();
  const bad = await invoke(p, "codearts:index:getPipelineGroup", { projectId: "x", name: "a", id: "b" });
  expect(bad.failures).toEqual(
    expect.arrayContaining([
      { property: "projectId", reason: expect.stringMatching(/must be a CodeArts project ID/) },
      { property: "name", reason: "give exactly one of name and id (both given)" },
    ]),
  );
  expect(emu.log.since(mark)).toHaveLength(0);
  await expect(invoke(p, "codearts:index:getNothing", {})).rejects.toThrow(/UNIMPLEMENTED.*has no function codearts:index:getNothing/);
});

test("CloudTest environments through the plugin", async () => {
  const p = await plugin();
  await p.configure(configFor(DEFAULT_ACCOUNT));
  const r = await invoke(p, "codearts:index:getTestEnvironments", { projectId: DEFAULT_ACCOUNT.codeartsProjects[0] });
  expect(r.ret).toEqual({ environments: [expect.objectContaining({ environmentName: "Default environment", isDefault: true })] });
});
