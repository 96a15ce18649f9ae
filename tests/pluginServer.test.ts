import * as fs from "fs";
import * as path from "path";
import type * as provprotoTypes from "@pulumi/pulumi/proto/provider_pb";
import { DEFAULT_ACCOUNT, SECOND_ACCOUNT, startEmulator, type Account, type Emulator } from "../emulator";
import { secret } from "../provider/plugin/server";
import { closeAll, emptyproto, plugin, provproto, type Props } from "./support/pluginClient";
import { UNKNOWN } from "../provider/dynamic";
import { REPO_ROOT } from "./harness/host";

/**
 * The resource-provider plugin's gRPC service (provider/plugin/server.ts), called as the engine calls
 * it, against the emulator: configuration (CheckConfig, DiffConfig, Configure) in the codearts:
 * namespace, secrets arriving wrapped or not, every CRUD call of a kind through the glue, the detailed
 * diff, the read by id alone that `pulumi import` makes, and two servers on two accounts.
 */
const GROUP = "codearts:index:PipelineGroup";
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
});
afterAll(async () => {
  closeAll();
  await emu?.close();
});

/** A provider's configuration for an emulator account, as stack config gives it (text values). */
const configFor = (a: Account): Props => ({
  region: a.iamProjects[0].name,
  accessKey: a.accessKey,
  secretKey: a.secretKey,
  domainId: a.domainId,
  projectId: a.iamProjects[0].id,
  endpoints: JSON.stringify({ "*": emu.url }),
  version: "0.1.0",
});

const isSecretValue = (v: unknown) => typeof v === "object" && v !== null && (v as Props)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270";
/** The groups of the account's first CodeArts project (the emulator keeps them per project). */
const groupsOf = (a: Account) => Object.values((emu.store.snapshot().pipelineGroups ?? {})[a.codeartsProjects[0]] ?? {}) as Array<{ name: string }>;

test("plugin info and schema: the package's version and the committed schema.json", async () => {
  const p = await plugin();
  const info = await p.rpc<{ getVersion(): string }>("getPluginInfo", new emptyproto.Empty());
  expect(info.getVersion()).toBe(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).version);
  const req = new provproto.GetSchemaRequest();
  const schema = await p.rpc<provprotoTypes.GetSchemaResponse>("getSchema", req);
  expect(schema.getSchema()).toBe(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8"));
});

test("CheckConfig: the settings checked as the dynamic provider checks them, failures naming codearts: keys; secret keys come back secret", async () => {
  const p = await plugin();
  const ok = await p.checkConfig(configFor(DEFAULT_ACCOUNT));
  expect(ok.failures).toEqual([]);
  expect(isSecretValue(ok.inputs.secretKey)).toBe(true);
  expect(ok.inputs.accessKey).toBe(DEFAULT_ACCOUNT.accessKey);

  const badRegion = await p.checkConfig({ ...configFor(DEFAULT_ACCOUNT), region: "Not A Region" });
  expect(badRegion.failures).toEqual([{ property: "region", reason: expect.stringMatching(/^codearts:region \(HW_REGION_NAME\) must be a region id/) }]);
  const half = await p.checkConfig({ accessKey: "AK" });
  expect(half.failures).toEqual([{ property: "accessKey", reason: expect.stringContaining("codearts:accessKey and codearts:secretKey must be set together") }]);
  expect(half.failures[0].reason).not.toContain("huaweicloud:");
  const endpoints = await p.checkConfig({ endpoints: { pipline: "http://x" } });
  expect(endpoints.failures).toEqual([{ property: "endpoints", reason: expect.stringContaining('codearts:endpoints (HW_ENDPOINTS) has an unknown key "pipline"') }]);
  // A provider resource's typed inputs: the endpoints as a map, maxRetries as a number.
  expect((await p.checkConfig({ endpoints: { "*": emu.url }, maxRetries: 3 })).failures).toEqual([]);
  // During a preview a value may be unknown: nothing is judged yet.
  expect((await p.checkConfig({ accessKey: UNKNOWN })).failures).toEqual([]);
});

test("CheckConfig: the environment fallbacks are the dynamic provider's (HW_*)", async () => {
  const p = await plugin({ HW_REGION_NAME: "not a region" });
  expect((await p.checkConfig({})).failures).toEqual([{ property: "region", reason: expect.stringContaining("codearts:region (HW_REGION_NAME)") }]);
});

test("DiffConfig: a changed credential updates the provider in place, never replaces it, and names the key", async () => {
  const p = await plugin();
  const old = configFor(DEFAULT_ACCOUNT);
  expect(await p.diffConfig(old, { ...old })).toMatchObject({ changes: "none", replaces: [], diffs: [] });
  expect(await p.diffConfig(old, { ...old, secretKey: "rotated" })).toEqual({
    changes: "some",
    replaces: [],
    diffs: ["secretKey"],
    deleteBeforeReplace: false,
    detailed: { secretKey: "UPDATE" },
    hasDetailedDiff: true,
  });
  expect((await p.diffConfig(old, { ...old, securityToken: "t" })).detailed).toEqual({ securityToken: "ADD" });
  expect((await p.diffConfig(old, { ...old, accessKey: UNKNOWN })).changes).toBe("unknown");
});

test("Configure: credentials arrive in the args, secrets wrapped; the plugin takes plain values afterwards and makes no call at preview", async () => {
  const p = await plugin();
  const { secretKey, ...rest } = configFor(DEFAULT_ACCOUNT);
  expect(await p.configure({ ...rest, secretKey: secret(secretKey) })).toEqual({ acceptSecrets: false, supportsPreview: false });
  const made = await p.create(GROUP, { projectId: DEFAULT_ACCOUNT.codeartsProjects[0], name: "configured-by-args" });
  expect(made.id).toMatch(/^[0-9a-f]{32}$/);
  expect(groupsOf(DEFAULT_ACCOUNT).map((g) => g.name)).toContain("configured-by-args");
  await p.delete(GROUP, made.id, made.outs);
});

test("Configure: an engine that sends only the deprecated variables (codearts:config:<key>) configures the plugin too", async () => {
  const p = await plugin();
  const vars = Object.fromEntries(Object.entries(configFor(DEFAULT_ACCOUNT)).map(([k, v]) => [`codearts:config:${k}`, String(v)]));
  await p.configure(undefined, vars);
  const made = await p.create(GROUP, { projectId: DEFAULT_ACCOUNT.codeartsProjects[0], name: "configured-by-variables" });
  await p.delete(GROUP, made.id, made.outs);
});

test("an unconfigured plugin without credentials says which codearts: keys to set, and no secret leaves it", async () => {
  const p = await plugin();
  await p.configure({ region: "cn-north-4", domainId: DEFAULT_ACCOUNT.domainId, endpoints: JSON.stringify({ "*": emu.url }) });
  await expect(p.create(GROUP, { projectId: DEFAULT_ACCOUNT.codeartsProjects[0], name: "x" })).rejects.toThrow(
    /no credentials: set codearts:accessKey and codearts:secretKey \(or HW_ACCESS_KEY\/HW_SECRET_KEY\)/,
  );
  // A wrong secret: the service refuses, the message never holds the secret.
  await p.configure({ ...configFor(DEFAULT_ACCOUNT), secretKey: "wrong-secret-key-value-123" });
  const err = await p.create(GROUP, { projectId: DEFAULT_ACCOUNT.codeartsProjects[0], name: "x" }).catch((e: Error) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).not.toContain("wrong-secret-key-value-123");
});

describe("a pipeline group through every call of the glue", () => {
  let p: Awaited<ReturnType<typeof plugin>>;
  const P = DEFAULT_ACCOUNT.codeartsProjects[0];
  beforeAll(async () => {
    p = await plugin();
    await p.configure(configFor(DEFAULT_ACCOUNT));
  });

  test("check refuses what the zod schema refuses, naming the property; inputs wrapped as secrets are understood and stay secret", async () => {
    expect((await p.check(GROUP, { projectId: P })).failures).toEqual([{ property: "name", reason: "is required" }]);
    expect((await p.check(GROUP, { projectId: P, name: "n", nmae: "typo" })).failures).toEqual([
      { property: "nmae", reason: expect.stringContaining("is not a property of PipelineGroup") },
    ]);
    const wrapped = await p.check(GROUP, { projectId: P, name: secret("secret-name") });
    expect(wrapped.failures).toEqual([]);
    expect(wrapped.inputs).toEqual({ projectId: P, name: secret("secret-name") });
    // During a preview an input may be unknown.
    expect((await p.check(GROUP, { projectId: UNKNOWN, name: "n" })).failures).toEqual([]);
  });

  test("create, read, diff with a detailed diff, update, refresh, delete", async () => {
    const made = await p.create(GROUP, { projectId: P, name: "glue-group" });
    expect(made.outs).toMatchObject({ projectId: P, name: "glue-group", pathId: made.id });
    expect(await p.diff(GROUP, made.id, made.outs, { projectId: P, name: "glue-group" })).toMatchObject({ changes: "none", diffs: [], detailed: {} });
    expect(await p.diff(GROUP, made.id, made.outs, { projectId: P, name: "renamed" })).toEqual({
      changes: "some",
      replaces: [],
      diffs: ["name"],
      deleteBeforeReplace: false,
      detailed: { name: "UPDATE" },
      hasDetailedDiff: true,
    });
    const parent = "f".repeat(32);
    expect(await p.diff(GROUP, made.id, made.outs, { projectId: P, name: "glue-group", parentId: parent })).toMatchObject({
      changes: "some",
      replaces: ["parentId"],
      diffs: ["parentId"],
      detailed: { parentId: "ADD_REPLACE" },
    });
    const outs = await p.update(GROUP, made.id, made.outs, { projectId: P, name: "renamed" });
    expect(outs).toMatchObject({ name: "renamed" });
    expect(groupsOf(DEFAULT_ACCOUNT).map((g) => g.name)).toContain("renamed");
    const read = await p.read(GROUP, made.id, outs, { projectId: P, name: "renamed" });
    expect(read).toMatchObject({ id: made.id, props: { name: "renamed", projectId: P }, inputs: { projectId: P, name: "renamed" } });
    await p.delete(GROUP, made.id, outs);
    expect(groupsOf(DEFAULT_ACCOUNT).map((g) => g.name)).not.toContain("renamed");
    // Gone: no id, no properties (the engine drops it from the state at refresh).
    expect(await p.read(GROUP, made.id, outs, { projectId: P, name: "renamed" })).toEqual({ id: "", props: undefined, inputs: undefined });
    // Deleting what is gone is what delete wanted.
    await p.delete(GROUP, made.id, outs);
  });

  test("pulumi import's read by id alone: `<projectId>/<groupId>` is recorded as the id a create records, with the inputs that keep it as it is", async () => {
    const made = await p.create(GROUP, { projectId: P, name: "to-import" });
    const found = await p.read(GROUP, `${P}/${made.id}`);
    expect(found).toEqual({ id: made.id, props: expect.objectContaining({ name: "to-import", projectId: P }), inputs: { projectId: P, name: "to-import" } });
    // Checked as a program declaring those inputs would be: no change.
    const checked = await p.check(GROUP, found.inputs!, found.inputs!);
    expect((await p.diff(GROUP, found.id, found.props!, checked.inputs)).changes).toBe("none");
    await expect(p.read(GROUP, made.id)).rejects.toThrow(/projectId is unknown; pass "<projectId>\/<groupId>" as the id/);
    expect(await p.read(GROUP, `${P}/${"e".repeat(32)}`)).toEqual({ id: "", props: undefined, inputs: undefined });
    await p.delete(GROUP, made.id, found.props!);
  });
});

test("a script: its parameters are secret in what the plugin answers, whatever the program passed", async () => {
  const p = await plugin();
  await p.configure(configFor(DEFAULT_ACCOUNT));
  const SCRIPT = "codearts:index:Script";
  const inputs = {
    name: "plugin_secret_script",
    description: "d",
    type: "SHELL",
    content: "echo $token",
    riskLevel: "LOW",
    version: "1",
    params: [{ name: "token", value: "plain-param-value", sensitive: true }],
  };
  const checked = await p.check(SCRIPT, inputs);
  expect(checked.failures).toEqual([]);
  expect(isSecretValue(checked.inputs.params)).toBe(true);
  const made = await p.create(SCRIPT, { ...checked.inputs, params: (checked.inputs.params as { value: unknown }).value });
  expect(isSecretValue(made.outs.params)).toBe(true);
  expect(JSON.stringify(made.outs)).not.toContain("plain-param-value");
  const imported = await p.read(SCRIPT, made.id);
  expect(imported.id).toBe(made.id);
  expect(isSecretValue(imported.props!.params)).toBe(true);
  expect(isSecretValue(imported.inputs!.params)).toBe(true);
  await p.delete(SCRIPT, made.id, { ...made.outs, params: (made.outs.params as { value: unknown }).value });
});

test("VpcepAccessControl has no read by id: import is refused saying why; an unknown type names the package's types", async () => {
  const p = await plugin();
  await p.configure(configFor(DEFAULT_ACCOUNT));
  await expect(p.read("codearts:index:VpcepAccessControl", "vpceps-cn-north-4-12345678")).rejects.toThrow(
    /VpcepAccessControl cannot be imported: no API reads access records by id .*Declare the resource in the program instead/,
  );
  await expect(p.check("codearts:index:Pipelinegroup", {})).rejects.toThrow(
    /unknown resource type "codearts:index:Pipelinegroup"; the package's types are codearts:index:<Kind>, one of PipelineGroup, /,
  );
});

test("two plugins, two accounts: each provider creates in its own account (explicit provider resources are one plugin process each)", async () => {
  const first = await plugin();
  const second = await plugin();
  await first.configure(configFor(DEFAULT_ACCOUNT));
  await second.configure(configFor(SECOND_ACCOUNT));
  const a = await first.create(GROUP, { projectId: DEFAULT_ACCOUNT.codeartsProjects[0], name: "in-first-account" });
  const b = await second.create(GROUP, { projectId: SECOND_ACCOUNT.codeartsProjects[0], name: "in-second-account" });
  expect(groupsOf(DEFAULT_ACCOUNT).map((g) => g.name)).toContain("in-first-account");
  expect(groupsOf(SECOND_ACCOUNT).map((g) => g.name)).toEqual(["in-second-account"]);
  await first.delete(GROUP, a.id, a.outs);
  await second.delete(GROUP, b.id, b.outs);
});
