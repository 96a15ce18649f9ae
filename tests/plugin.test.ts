import { attributionOf } from "../provider/resources/extensionCommon";
import { decodeMaintainers } from "../provider/resources/plugin";
import { UNKNOWN } from "./harness";
import { startWorld, World, expectRefusedAtCheck, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";
import { anyFile, iconFile, manifest, missingFile, packageFile } from "./support/pluginPackages";
import { MANIFEST } from "../provider/pluginPackage";
import { makeZip } from "../provider/zip";
import { multipartFile } from "../provider/multipart";

// Plugin (the plug-in shell) through the real dynamic-provider host, against the emulator.
const T = "Plugin";
let w: World;
let D: string;
const { calls, measured } = callCounter(() => w);

type Row = { plugin_name: string; display_name: string | null; description: string | null; business_type: string | null; version_attribution: string; unique_id: string };
/** The service's truth: the plug-in's row in the §4.9.17 listing, matched exactly. */
async function remote(name: string): Promise<Row | undefined> {
  const res = await w.outOfBand.send<{ data: Row[] }>({
    service: "pipeline",
    method: "POST",
    path: `/v1/${D}/agent-plugin/query-all`,
    query: { offset: 0, limit: 1000 },
    body: { plugin_name: name },
    operation: "Test.list",
  });
  return res.body.data.find((p) => p.plugin_name === name);
}
async function addOutOfBand(name: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await w.outOfBand.send({
    service: "pipeline",
    method: "POST",
    path: `/v3/${D}/extension/info/add`,
    operation: "Test.add",
    // The §4.9.26 example body.
    body: {
      plugin_name: name,
      display_name: name,
      business_type: "Normal",
      description: "",
      maintainers: "",
      business_type_display_name: "General",
      icon_url: "",
      plugin_composition_type: "single",
      ...extra,
    },
  });
  expect(res.body).toBe(true);
}
const writes = (mark: number) => w.emu.log.since(mark).filter((e) => e.method !== "GET" && e.operation !== "Plugin.list");

beforeAll(async () => {
  w = await startWorld();
  D = w.account.domainId;
});
afterEach(() => w.emu.faults.clear());
afterAll(async () => {
  console.log(`Plugin API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("Plugin lifecycle", () => {
  const check = { pluginName: "acme_deploy_check", displayName: "Deploy check", businessType: "Normal", businessTypeDisplayName: "General", description: "Checks a deployment" };

  test("create: the v3 API makes the shell; the v1 listing shows it as an 'init' plug-in", async () => {
    const r = await measured("create", () => w.engine.up(T, "check", check));
    expect(r.op).toBe("create");
    expect(r.state!.id).toBe("acme_deploy_check");
    expect(await remote("acme_deploy_check")).toMatchObject({
      display_name: "Deploy check",
      business_type: "Normal",
      description: "Checks a deployment",
      version_attribution: "init",
    });
    expect(r.state!.outputs).toMatchObject({
      ...check,
      runtimeAttribution: "agent",
      pluginCompositionType: "single",
      versionAttribution: "init",
      pluginAttribution: "custom",
      workspaceId: D,
    });
    expect(r.state!.outputs.uniqueId).toMatch(/^[0-9a-f]{32}$/);
  });

  test("read: refresh returns what the service has, with inputs", async () => {
    const r = await measured("read", () => w.engine.refresh(T, "check"));
    expect(r.state!.inputs).toMatchObject({ ...check, runtimeAttribution: "agent", pluginCompositionType: "single" });
  });

  test("no-op: the same inputs diff to no change and make no API call", async () => {
    const r = await measured("no-op", () => w.engine.up(T, "check", check));
    expect(r.op).toBe("same");
    expect(calls["no-op"]).toBe(0);
  });

  test("read matches the name exactly and pages past plug-ins of similar names", async () => {
    for (let i = 0; i < 11; i++) await addOutOfBand(`acme_deploy_check_${i}`, { display_name: `Similar ${i}` }); // newer, so listed first
    const r = await measured("read past similar names", () => w.engine.refresh(T, "check"));
    expect(r.state!.outputs.displayName).toBe("Deploy check");
    expect(calls["read past similar names"]).toBe(3); // page 1 holds only the 10 newest, all similar; `offset=1` settles what offset counts (P1), then page 2
  });

  test("update: the basic information changes in place (§4.9.27), and a removed description is cleared", async () => {
    const r = await measured("update", () =>
      w.engine.up(T, "check", { ...check, displayName: "Deployment check", description: undefined, maintainers: ["b0000000000000000000000000000001"] }),
    );
    expect(r.op).toBe("update");
    const after = await remote("acme_deploy_check");
    expect(after).toMatchObject({ display_name: "Deployment check", maintainers: '["b0000000000000000000000000000001"]' });
    expect([null, ""]).toContain(after!.description); // cleared: sent as "", read back per L5 (null under the default reading)
    expect(r.state!.outputs.description).toBeUndefined();
    const again = await w.engine.refresh(T, "check");
    expect(again.state!.inputs).toMatchObject({ displayName: "Deployment check", maintainers: ["b0000000000000000000000000000001"] });
    expect(again.state!.inputs.description).toBeUndefined();
  });

  test("drift: a change through either API family (v3 info/update, v1 update-info) shows on refresh and is undone by up", async () => {
    const declared = { ...check, displayName: "Deployment check", description: undefined, maintainers: ["b0000000000000000000000000000001"] };
    await w.outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `/v1/${D}/agent-plugin/update-info`,
      body: { plugin_name: "acme_deploy_check", unique_id: (await remote("acme_deploy_check"))!.unique_id, display_name: "Renamed in console" },
      operation: "Test.update",
    });
    expect((await w.engine.refresh(T, "check")).state!.inputs.displayName).toBe("Renamed in console");
    expect((await w.engine.up(T, "check", declared)).op).toBe("update");
    await w.outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `/v3/${D}/extension/info/update`,
      body: { plugin_name: "acme_deploy_check", unique_id: (await remote("acme_deploy_check"))!.unique_id, business_type: "Build" },
      operation: "Test.update",
    });
    expect((await w.engine.refresh(T, "check")).state!.inputs.businessType).toBe("Build");
    expect((await w.engine.up(T, "check", declared)).op).toBe("update");
    expect(await remote("acme_deploy_check")).toMatchObject({ display_name: "Deployment check", business_type: "Normal" });
  });

  test("a new pluginName replaces the plug-in", async () => {
    const r = await measured("replace", () => w.engine.up(T, "check", { ...check, pluginName: "acme_deploy_gate" }));
    expect(r.op).toBe("replace");
    expect(r.diff!.replaces).toEqual(["pluginName"]);
    expect(await remote("acme_deploy_check")).toBeUndefined();
    expect(await remote("acme_deploy_gate")).toBeDefined();
  });

  test("deleted out of band: refresh reports it gone, the next up re-creates it", async () => {
    await w.outOfBand.send({
      service: "pipeline",
      method: "DELETE",
      path: `/v3/${D}/extension/info/delete`,
      query: { plugin_name: "acme_deploy_gate", type: "all" },
      operation: "Test.delete",
    });
    expect((await w.engine.refresh(T, "check")).op).toBe("gone");
    expect((await w.engine.up(T, "check", { ...check, pluginName: "acme_deploy_gate" })).op).toBe("create");
    expect(await remote("acme_deploy_gate")).toBeDefined();
  });

  test("delete, and delete again when already gone, both succeed", async () => {
    const state = [...w.engine.state.values()].find((s) => s.name === "check")!;
    const mark = w.emu.log.mark();
    await measured("delete", () => w.engine.destroy(T, "check"));
    expect(w.emu.log.since(mark)).toEqual([expect.objectContaining({ method: "DELETE", query: "plugin_name=acme_deploy_gate&type=all", status: 200 })]);
    expect(await remote("acme_deploy_gate")).toBeUndefined();
    await expect(w.host.delete(state.id, state.urn, state.outputs)).resolves.toBeUndefined();
  });
});

describe("a basic plug-in's package (§4.9.29, §4.9.30) and icon (§4.9.9)", () => {
  const pkg = packageFile("basic-cts.zip");
  const icon = iconFile("basic-cts.png");
  const basic = { pluginName: "basic_cts", displayName: "Basic CTS", businessType: "Test", packageFile: pkg, iconFile: icon };
  async function detail(version: string) {
    return (
      await w.outOfBand.send<{ execution: { sha256: string } }>({
        service: "pipeline",
        method: "GET",
        path: `/v3/${D}/extension/detail`,
        query: { plugin_name: "basic_cts", version },
        operation: "Test.detail",
      })
    ).body;
  }

  test("create: the icon is uploaded first, its path is the icon URL; the package is uploaded and read back", async () => {
    const mark = w.emu.log.mark();
    const r = await measured("create with package and icon", () => w.engine.up(T, "basic", basic));
    expect(r.op).toBe("create");
    expect(w.emu.log.since(mark).map((e) => e.operation)).toEqual(["Plugin.uploadIcon", "Plugin.create", "Plugin.list", "Plugin.upload", "Plugin.packageDetail"]);
    const upload = w.emu.log.since(mark).find((e) => e.operation === "Plugin.upload")!;
    expect(new URLSearchParams(upload.query)).toEqual(new URLSearchParams({ business_type: "Test", plugin_name: "basic_cts" }));
    const outs = r.state!.outputs;
    expect(outs).toMatchObject({
      packageVersion: "2.3.5",
      packageInputs: [expect.objectContaining({ name: "SHELL_PLUGIN" })],
      packageOutputs: [expect.objectContaining({ name: "problem" })],
    });
    expect(outs.packageDigest).toBe((await detail("2.3.5")).execution.sha256);
    expect(outs.packageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(outs.iconPath).toMatch(new RegExp(`^/api/v1/${D}/common/get-plugin-icon\\?object_key=basic_cts-[0-9a-f]{32}-basic-cts\\.png-${D}&icon_type=plugin$`));
    expect(await remote("basic_cts")).toMatchObject({ icon_url: outs.iconPath });
  });

  test("no-op: unchanged files are no change and no API call; a refresh after up changes nothing", async () => {
    const r = await measured("no-op with package and icon", () => w.engine.up(T, "basic", basic));
    expect(r.op).toBe("same");
    expect(calls["no-op with package and icon"]).toBe(0);
    const before = [...w.engine.state.values()].find((s) => s.name === "basic")!.outputs;
    const read = await measured("read with package and icon", () => w.engine.refresh(T, "basic"));
    expect(read.state!.outputs).toEqual(before);
  });

  test("a changed package file is a diff at preview and is uploaded again, with no info update", async () => {
    packageFile("basic-cts.zip", manifest("2.3.6", "SHELL_COMMAND"));
    const preview = await w.engine.preview(T, "basic", basic);
    expect(preview.op).toBe("update");
    const mark = w.emu.log.mark();
    const r = await measured("re-upload the package", () => w.engine.up(T, "basic", basic));
    expect(r.op).toBe("update");
    expect(w.callsSince(mark, "Plugin.update")).toBe(0);
    expect(w.emu.log.since(mark).filter((e) => e.operation === "Plugin.upload")).toHaveLength(1);
    expect(r.state!.outputs).toMatchObject({ packageVersion: "2.3.6", packageInputs: [expect.objectContaining({ name: "SHELL_COMMAND" })] });
    expect((await w.engine.preview(T, "basic", basic)).op).toBe("same");
  });

  test("a package changed out of band (same version, other content) shows on refresh; up uploads the file again", async () => {
    const other = makeZip([
      { name: MANIFEST, data: Buffer.from(JSON.stringify(manifest("2.3.6", "SHELL_COMMAND"))) },
      { name: "scripts/test.sh", data: Buffer.from("rm -rf /tmp/x\n") },
    ]);
    await w.outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `/v3/${D}/extension/upload`,
      query: { plugin_name: "basic_cts", business_type: "Test" },
      rawBody: multipartFile("upload_file", "other.zip", other),
      operation: "Test.upload",
    });
    const read = await w.engine.refresh(T, "basic");
    expect(read.state!.outputs.packageSha256).toBeUndefined();
    expect(read.state!.outputs.packageDigest).toBe((await detail("2.3.6")).execution.sha256);
    const r = await w.engine.up(T, "basic", basic);
    expect(r.op).toBe("update");
    expect((await detail("2.3.6")).execution.sha256).toBe(r.state!.outputs.packageDigest);
    expect((await w.engine.refresh(T, "basic")).state!.outputs.packageSha256).toBe(r.state!.outputs.packageSha256);
  });

  test("a changed icon file is uploaded again and its new path sent by the info update; an icon changed out of band shows on refresh", async () => {
    iconFile("basic-cts.png", 1);
    const mark = w.emu.log.mark();
    const r = await measured("re-upload the icon", () => w.engine.up(T, "basic", basic));
    expect(r.op).toBe("update");
    expect(w.emu.log.since(mark).map((e) => e.operation)).toEqual(["Plugin.list", "Plugin.uploadIcon", "Plugin.update"]);
    expect(await remote("basic_cts")).toMatchObject({ icon_url: r.state!.outputs.iconPath });
    await w.outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `/v3/${D}/extension/info/update`,
      body: { plugin_name: "basic_cts", unique_id: (await remote("basic_cts"))!.unique_id, display_name: "Basic CTS", business_type: "Test", icon_url: "/elsewhere.png" },
      operation: "Test.update",
    });
    expect((await w.engine.refresh(T, "basic")).state!.outputs.iconSha256).toBeUndefined();
    expect((await w.engine.up(T, "basic", basic)).op).toBe("update");
    expect(((await remote("basic_cts")) as Record<string, unknown>).icon_url).not.toBe("/elsewhere.png");
    await w.engine.destroy(T, "basic");
  });

  test("a missing, too large or non-package file is refused at check, naming the property, with no API call", async () => {
    const base = { pluginName: "bad_pkg", displayName: "Bad", businessType: "Test" };
    await expectRefusedAtCheck(w, T, { ...base, packageFile: missingFile() }, "packageFile", /must name an existing file/);
    await expectRefusedAtCheck(w, T, { ...base, packageFile: anyFile("huge.zip", Buffer.alloc(10 * 1024 * 1024 + 1)) }, "packageFile", /must be at most 10 MiB/);
    await expectRefusedAtCheck(w, T, { ...base, packageFile: anyFile("notes.txt", "just text") }, "packageFile", /must be a plug-in package/);
    await expectRefusedAtCheck(
      w,
      T,
      { ...base, packageFile: anyFile("no-manifest.zip", makeZip([{ name: "run.sh", data: Buffer.from("x") }])) },
      "packageFile",
      /without codearts-extension\.json/,
    );
    await expectRefusedAtCheck(w, T, { ...base, packageFile: pkg, pluginCompositionType: "multi" }, "packageFile", /needs pluginCompositionType single/);
    await expectRefusedAtCheck(w, T, { ...base, iconFile: anyFile("icon.txt", "not an image") }, "iconFile", /must be an image/);
    await expectRefusedAtCheck(w, T, { ...base, iconFile: icon, iconUrl: "/x.png" }, "iconFile", /cannot be combined with iconUrl/);
  });
});

describe("failures", () => {
  test("an existing name: the API error surfaces with HTTP status, error_code, error_msg and request id", async () => {
    await addOutOfBand("taken_name");
    await expect(w.engine.up(T, "taken", { pluginName: "taken_name", displayName: "Taken", businessType: "Test" })).rejects.toThrow(
      /Plugin\.create for taken_name failed: HTTP 400 DEVCP\.00014004: The plug-in name taken_name already exists\. \(request id [0-9a-f]{32}\)/,
    );
    expect(w.engine.state.has(w.engine.urn(T, "taken"))).toBe(false);
  });

  test("a 5xx that hides a successful create: the plug-in is found by name and recorded in the same up, never added twice", async () => {
    w.emu.faults.inject({ method: "POST", path: `/v3/${D}/extension/info/add`, fault: { type: "commit-then-fail", status: 500 } });
    const declared = { pluginName: "half_made", displayName: "Half made", businessType: "Deploy" };
    const mark = w.emu.log.mark();
    const r = await w.engine.up(T, "half", declared);
    expect(r.op).toBe("create");
    expect(r.state!.id).toBe("half_made");
    expect(w.callsSince(mark, "Plugin.create")).toBe(1);
    expect((await w.engine.preview(T, "half", declared)).op).toBe("same");
    await w.engine.destroy(T, "half");
  });
});

describe("adoption and get", () => {
  test("adoptId (= pluginName) takes an existing plug-in under management and converges its information", async () => {
    await addOutOfBand("legacy_plugin", { display_name: "Legacy" });
    const mark = w.emu.log.mark();
    const r = await measured("adopt", () =>
      w.engine.up(T, "legacy", { pluginName: "legacy_plugin", displayName: "Legacy (managed)", businessType: "Normal", adoptId: "legacy_plugin" }),
    );
    expect(r.op).toBe("create");
    expect(r.state!.id).toBe("legacy_plugin");
    expect(w.callsSince(mark, "Plugin.create")).toBe(0);
    expect((await remote("legacy_plugin"))?.display_name).toBe("Legacy (managed)");
    expect((await w.engine.refresh(T, "legacy")).state!.inputs.adoptId).toBe("legacy_plugin");
    await w.engine.destroy(T, "legacy");
  });

  test("preview: an unknown pluginName is not judged against adoptId yet", async () => {
    const r = await w.engine.preview(T, "later", { pluginName: UNKNOWN, displayName: "Later", businessType: "Normal", adoptId: "later" });
    expect(r.failures ?? []).toEqual([]);
  });

  test("adoptId of a plug-in that does not exist fails without creating anything", async () => {
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "ghost", { pluginName: "ghost", displayName: "Ghost", businessType: "Normal", adoptId: "ghost" })).rejects.toThrow(
      /adoptId "ghost" names no existing object/,
    );
    expect(writes(mark)).toHaveLength(0);
  });

  test("Plugin.get reads an existing plug-in by name", async () => {
    await addOutOfBand("read_only_plugin", { display_name: "Read only" });
    const r = await w.engine.get(T, "ro", "read_only_plugin");
    expect(r.state!.outputs).toMatchObject({ pluginName: "read_only_plugin", displayName: "Read only", businessType: "Normal" });
  });
});

describe("reading every spelling the documents use", () => {
  test.each([
    [{ runtime_attribution: "agent" }, "agent"],
    [{ runtime_attributes: "agent" }, "agent"],
    [{ runtime_attribute: "agent" }, "agent"],
    [{ runtime_attributes: "", runtime_attribute: "agent" }, "agent"],
    [{}, undefined],
  ])("%j", (vo, expected) => expect(attributionOf(vo, "runtime")).toBe(expected));
  test("maintainers: a JSON-encoded array, a bare id, or nothing", () => {
    expect(decodeMaintainers('["847a5317086c41798469d0868535943a"]')).toEqual(["847a5317086c41798469d0868535943a"]);
    expect(decodeMaintainers("847a5317086c41798469d0868535943a")).toEqual(["847a5317086c41798469d0868535943a"]);
    expect(decodeMaintainers("")).toBeUndefined();
    expect(decodeMaintainers(null)).toBeUndefined();
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const ok = { pluginName: "p", displayName: "P", businessType: "Normal" };
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing pluginName", { displayName: "P", businessType: "Normal" }, "pluginName", /is required/],
    ["empty pluginName", { ...ok, pluginName: "" }, "pluginName", /must not be empty/],
    ["pluginName of the wrong type", { ...ok, pluginName: 7 }, "pluginName", /expected string/],
    ["missing displayName", { pluginName: "p", businessType: "Normal" }, "displayName", /is required/],
    ["empty displayName", { ...ok, displayName: "" }, "displayName", /must not be empty/],
    ["missing businessType", { pluginName: "p", displayName: "P" }, "businessType", /is required/],
    ["businessType not a service type", { ...ok, businessType: "General" }, "businessType", /must be one of Build, Gate, Deploy, Test, Normal/],
    ["businessTypeDisplayName of the wrong type", { ...ok, businessTypeDisplayName: 1 }, "businessTypeDisplayName", /expected string/],
    ["description of the wrong type", { ...ok, description: false }, "description", /expected string/],
    ["iconUrl of the wrong type", { ...ok, iconUrl: {} }, "iconUrl", /expected string/],
    ["maintainers not a list", { ...ok, maintainers: "b0000000000000000000000000000001" }, "maintainers", /expected array/],
    ["maintainers with an empty id", { ...ok, maintainers: [""] }, "maintainers[0]", /must not be empty/],
    ["isPrivate not an integer", { ...ok, isPrivate: 0.5 }, "isPrivate", /must be an integer/],
    ["isPrivate of the wrong type", { ...ok, isPrivate: "yes" }, "isPrivate", /expected number/],
    ["runtimeAttribution empty", { ...ok, runtimeAttribution: "" }, "runtimeAttribution", /must not be empty/],
    ["pluginCompositionType not single or multi", { ...ok, pluginCompositionType: "double" }, "pluginCompositionType", /must be single or multi/],
    ["adoptId other than pluginName", { ...ok, adoptId: "q" }, "adoptId", /must equal pluginName/],
    ["misspelt property", { ...ok, plugin_name: "p" }, "plugin_name", /is not a property of Plugin/],
  ];
  test.each(cases)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("Plugin", calls)).toEqual([]);
});
