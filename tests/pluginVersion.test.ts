import { setTimeout as sleep } from "node:timers/promises";
import { VERSIONS } from "../emulator/services/extensionCommon";
import type { VersionRecord } from "../emulator/services/extensionPlugins";
import { ApiError } from "../provider/errors";
import { UNKNOWN } from "./harness";
import { startWorld, World, expectRefusedAtCheck, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";

// PluginVersion through the real dynamic-provider host, against the emulator: draft, edit, publish,
// immutability, deletion of a published version, half-made states, drift and adoption.
const T = "PluginVersion";
const PLUGIN = "acme_release";
let w: World;
let D: string;
let publisherId: string;
const { calls, measured } = callCounter(() => w);

type Detail = {
  version_attribution: string;
  unique_id: string;
  version_description: string;
  input_info: Array<{ name: string; default_value: string | null; validation: Record<string, unknown> }>;
  plugin_execution: { execution_type: string; steps: Array<{ task: string; name: string; variables: Record<string, string> }> };
};
/** The service's truth: the version detail (§4.9.22), undefined when the service says it does not exist. */
async function remote(version: string, plugin = PLUGIN): Promise<Detail | undefined> {
  try {
    const res = await w.outOfBand.send<Detail>({
      service: "pipeline",
      method: "GET",
      path: `/v1/${D}/agent-plugin/detail`,
      query: { plugin_name: plugin, version },
      operation: "Test.detail",
    });
    return res.body;
  } catch (e) {
    if (e instanceof ApiError && e.status === 400 && e.errorCode === "DEVPIPE.30011001") return undefined;
    throw e;
  }
}
async function versions(plugin = PLUGIN): Promise<string[]> {
  const res = await w.outOfBand.send<string[]>({
    service: "pipeline",
    method: "GET",
    path: `/v1/${D}/agent-plugin/all-version`,
    query: { plugin_name: plugin, offset: 0, limit: 999 },
    operation: "Test.versions",
  });
  return res.body; // a bare array (§4.9.23 example)
}
async function boundPublisher(plugin = PLUGIN): Promise<string | null | undefined> {
  const res = await w.outOfBand.send<{ data: Array<{ name: string; publisher_id: string | null }> }>({
    service: "pipeline",
    method: "GET",
    path: `/v1/${D}/relation/plugin/single`,
    query: { attribution: "custom", offset: 0, limit: 1000 },
    operation: "Test.listBasic",
  });
  return res.body.data.find((p) => p.name === plugin)?.publisher_id;
}
/** Out of band, as the console would: the §4.9.2 example body shape. */
async function createDraftOutOfBand(version: string, script: string, plugin = PLUGIN): Promise<void> {
  await w.outOfBand.send({
    service: "pipeline",
    method: "POST",
    path: `/v1/${D}/agent-plugin/create-draft`,
    operation: "Test.createDraft",
    body: {
      plugin_name: plugin,
      display_name: plugin,
      business_type: "Deploy",
      description: "",
      maintainers: "",
      business_type_display_name: "",
      icon_url: "",
      version,
      version_description: "",
      input_info: [],
      runtime_attribution: "agent",
      execution_info: {
        inner_execution_info: { execution_type: "COMPOSITE", steps: [{ task: "official_shell_plugin", name: "Run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: script } }] },
      },
    },
  });
}
async function publishOutOfBand(version: string): Promise<void> {
  await w.outOfBand.send({
    service: "pipeline",
    method: "POST",
    path: `/v1/${D}/agent-plugin/publish-draft`,
    body: { plugin_name: PLUGIN, version, plugin_attribution: "custom" },
    operation: "Test.publish",
  });
}
async function hostLog(pattern: RegExp): Promise<string | undefined> {
  for (let i = 0; i < 100; i++) {
    const line = w.host.logs.find((l) => pattern.test(l));
    if (line) return line;
    await sleep(20);
  }
  return undefined;
}
const ops = (mark: number, operation: string) => w.callsSince(mark, operation);
/** Requests of exactly this operation (ops counts a prefix: "PluginVersion.create" would count createDraft too). */
const exactly = (mark: number, operation: string) => w.emu.log.since(mark).filter((e) => e.operation === operation).length;

const step = (script: string) => ({ task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: script } });
const target = { name: "TARGET", type: "input", defaultValue: "prod", validation: { requiredMessage: "Name the target", maxLength: 64 } };
const v001 = { pluginName: PLUGIN, version: "0.0.1", versionDescription: "First cut", steps: [step("./deploy.sh")], inputs: [target] };

beforeAll(async () => {
  w = await startWorld();
  D = w.account.domainId;
  await w.engine.up("Plugin", "plugin", { pluginName: PLUGIN, displayName: "Release", businessType: "Deploy" });
  publisherId = (await w.engine.up("Publisher", "acme", { name: "Acme", enName: "acme", supportUrl: "support@acme.example" })).state!.id;
});
afterEach(() => {
  w.emu.faults.clear();
  w.emu.dialect.reset();
});
afterAll(async () => {
  console.log(`PluginVersion API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("PluginVersion lifecycle: draft, edit, publish, destroy", () => {
  test("create: a draft with its inputs and steps", async () => {
    const r = await measured("create a draft", () => w.engine.up(T, "v1", v001));
    expect(r.op).toBe("create");
    expect(r.state!.id).toBe(`${PLUGIN}/0.0.1`);
    const d = (await remote("0.0.1"))!;
    expect(d).toMatchObject({ version_attribution: "draft", version_description: "First cut" });
    expect(d.plugin_execution).toMatchObject({
      execution_type: "COMPOSITE",
      steps: [{ task: "official_shell_plugin", name: "Run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "./deploy.sh" } }],
    });
    expect(d.input_info).toEqual([
      expect.objectContaining({ name: "TARGET", default_value: "prod", validation: expect.objectContaining({ required_message: "Name the target", max_length: 64, regex: null }) }),
    ]);
    expect(r.state!.outputs).toMatchObject({ publish: false, versionAttribution: "draft", uniqueId: d.unique_id, displayName: "Release", runtimeAttribution: "agent" });
  });

  test("read: refresh returns the same inputs (the step identifier the API does not return is kept)", async () => {
    const r = await measured("read", () => w.engine.refresh(T, "v1"));
    expect(r.state!.inputs).toMatchObject({ ...v001, executionType: "COMPOSITE", publish: false });
  });

  test("no-op: the same inputs diff to no change and make no API call", async () => {
    const r = await measured("no-op", () => w.engine.up(T, "v1", v001));
    expect(r.op).toBe("same");
    expect(calls["no-op"]).toBe(0);
  });

  test("draft edit: content changes in place through edit-draft", async () => {
    const mark = w.emu.log.mark();
    const r = await measured("edit a draft", () => w.engine.up(T, "v1", { ...v001, versionDescription: "Second cut", steps: [step("./deploy.sh --verify")] }));
    expect(r.op).toBe("update");
    expect(ops(mark, "PluginVersion.editDraft")).toBe(1);
    const d = (await remote("0.0.1"))!;
    expect(d.version_description).toBe("Second cut");
    expect(d.plugin_execution.steps[0].variables.OFFICIAL_SHELL_SCRIPT_INPUT).toBe("./deploy.sh --verify");
  });

  test("drift on a draft: an edit out of band shows on refresh and is undone by up", async () => {
    const declared = { ...v001, versionDescription: "Second cut", steps: [step("./deploy.sh --verify")] };
    const d = (await remote("0.0.1"))!;
    await w.outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `/v1/${D}/agent-plugin/edit-draft`,
      operation: "Test.edit",
      body: {
        plugin_name: PLUGIN,
        version: "0.0.1",
        unique_id: d.unique_id,
        version_description: "Edited in console",
        execution_info: { inner_execution_info: { execution_type: "COMPOSITE", steps: [] } },
      },
    });
    const r = await w.engine.refresh(T, "v1");
    expect(r.state!.inputs.versionDescription).toBe("Edited in console");
    expect(r.state!.inputs.steps).toEqual([]);
    expect((await w.engine.up(T, "v1", declared)).op).toBe("update");
    expect((await remote("0.0.1"))!.plugin_execution.steps).toHaveLength(1);
  });

  test("publish: the draft is released and the plug-in bound to the publisher", async () => {
    const declared = { ...v001, versionDescription: "Second cut", steps: [step("./deploy.sh --verify")], publish: true, publisherId };
    const mark = w.emu.log.mark();
    const r = await measured("publish and bind a draft", () => w.engine.up(T, "v1", declared));
    expect(r.op).toBe("update");
    expect(ops(mark, "PluginVersion.editDraft")).toBe(0);
    expect((await remote("0.0.1"))!.version_attribution).toBe("formal");
    expect(await boundPublisher()).toBe(publisherId);
    expect(r.state!.outputs).toMatchObject({ publish: true, publisherId, versionAttribution: "formal" });
    const refreshed = await measured("read with a publisher declared", () => w.engine.refresh(T, "v1"));
    expect(refreshed.state!.inputs).toMatchObject({ publish: true, publisherId });
    expect((await w.engine.up(T, "v1", declared)).op).toBe("same");
  });

  test("a change to the published version is refused at check, before any API call, asking for a new version", async () => {
    const published = { ...v001, versionDescription: "Second cut", steps: [step("./deploy.sh --verify")], publish: true, publisherId };
    const mark = w.emu.log.mark();
    const preview = await w.engine.preview(T, "v1", { ...published, steps: [step("./deploy.sh --fast")] });
    expect(preview.op).toBe("invalid");
    expect(preview.failures).toEqual([{ property: "steps", reason: expect.stringMatching(/version 0\.0\.1 of plug-in acme_release is published.*Declare a new version/) }]);
    const up = await w.engine.up(T, "v1", { ...published, steps: [step("./deploy.sh --fast")] });
    expect(up.op).toBe("invalid");
    expect(w.emu.log.since(mark)).toHaveLength(0);
    expect((await remote("0.0.1"))!.plugin_execution.steps[0].variables.OFFICIAL_SHELL_SCRIPT_INPUT).toBe("./deploy.sh --verify");
  });

  test("an unknown value in preview is not refused yet (it is judged at up)", async () => {
    const published = { ...v001, versionDescription: "Second cut", steps: [step("./deploy.sh --verify")], publish: true, publisherId };
    const r = await w.engine.preview(T, "v1", { ...published, versionDescription: UNKNOWN });
    expect(r.failures ?? []).toEqual([]);
  });

  test("a second version is a new draft beside the published one", async () => {
    const r = await w.engine.up(T, "v2", { ...v001, version: "0.0.2", steps: [step("./deploy.sh --fast")] });
    expect(r.op).toBe("create");
    expect(await versions()).toEqual(["0.0.2", "0.0.1"]);
    expect((await remote("0.0.2"))!.version_attribution).toBe("draft");
  });

  test("destroy of a published version: deleted with type=single; the other version stays", async () => {
    const mark = w.emu.log.mark();
    await measured("delete a published version", () => w.engine.destroy(T, "v1"));
    // Besides the probe of what `type=single` does (ambiguity X1, on a plug-in of its own), one DELETE.
    expect(w.emu.log.since(mark).filter((e) => e.method === "DELETE" && (e.query ?? "").includes(`plugin_name=${PLUGIN}&`))).toEqual([
      expect.objectContaining({ path: `/v3/${D}/extension/info/delete`, query: `plugin_name=${PLUGIN}&type=single&version=0.0.1`, status: 200 }),
    ]);
    expect(await remote("0.0.1")).toBeUndefined();
    expect(await versions()).toEqual(["0.0.2"]);
  });

  test("destroy of a draft: deleted with delete-draft", async () => {
    const mark = w.emu.log.mark();
    await measured("delete a draft", () => w.engine.destroy(T, "v2"));
    expect(ops(mark, "PluginVersion.deleteDraft")).toBe(1);
    expect(await versions()).toEqual([]);
  });
});

describe("no half-made state", () => {
  let v: Record<string, unknown>;
  beforeAll(() => {
    v = { ...v001, version: "1.0.0", publish: true, publisherId };
  });

  test("publish fails after the draft was created (every attempt): the draft is kept in the state and the next up continues from it", async () => {
    // §4.9.1 makes a draft (X12 `draft`): it is published after, as one from create-draft is.
    w.emu.dialect.set({ X12: "draft" });
    // Each failed publish is read back and sent again (1 + maxRetries times); then the step gives up.
    w.emu.faults.inject({ method: "POST", path: `/v1/${D}/agent-plugin/publish-draft`, fault: { type: "status", status: 503 }, times: 4 });
    await expect(w.engine.up(T, "half", v)).rejects.toThrow(
      /PluginVersion\.publishDraft for acme_release\/1\.0\.0 failed: HTTP 503 APIG\.0202.*\(request id [0-9a-f]{32}\).*kept in the state/,
    );
    const kept = w.engine.state.get(w.engine.urn(T, "half"))!;
    expect(kept.id).toBe(`${PLUGIN}/1.0.0`);
    expect(kept.outputs).toMatchObject({ publish: false, versionAttribution: "draft" });
    expect((await remote("1.0.0"))!.version_attribution).toBe("draft");

    const mark = w.emu.log.mark();
    const r = await w.engine.up(T, "half", v);
    expect(r.op).toBe("update");
    expect(ops(mark, "PluginVersion.createDraft")).toBe(0);
    expect(ops(mark, "PluginVersion.publishDraft")).toBe(1);
    expect(ops(mark, "Plugin.bindPublisher")).toBe(1);
    expect((await remote("1.0.0"))!.version_attribution).toBe("formal");
    expect(await boundPublisher()).toBe(publisherId);
    await w.engine.destroy(T, "half");
  });

  test("a publish applied but answered with a 5xx: read back as released, then bound, in the same up; never published twice", async () => {
    w.emu.dialect.set({ X12: "draft" });
    w.emu.faults.inject({ method: "POST", path: `/v1/${D}/agent-plugin/publish-draft`, fault: { type: "commit-then-fail", status: 500 } });
    const mark = w.emu.log.mark();
    expect((await w.engine.up(T, "half", v)).op).toBe("create");
    expect(ops(mark, "PluginVersion.publishDraft")).toBe(1);
    expect(ops(mark, "Plugin.bindPublisher")).toBe(1);
    expect((await remote("1.0.0"))!.version_attribution).toBe("formal");
    expect(await hostLog(/PluginVersion acme_release\/1\.0\.0: the publish failed .*but the version is released/)).toBeDefined();
    await w.engine.destroy(T, "half");
  });

  test("a draft created but answered with a 5xx: found by its version, kept a draft, never created twice", async () => {
    const d = { ...v001, version: "1.0.0" };
    w.emu.faults.inject({ method: "POST", path: `/v1/${D}/agent-plugin/create-draft`, fault: { type: "commit-then-fail", status: 502 } });
    const mark = w.emu.log.mark();
    const r = await w.engine.up(T, "half", d);
    expect(r.op).toBe("create");
    expect(r.state!.id).toBe(`${PLUGIN}/1.0.0`);
    expect(ops(mark, "PluginVersion.createDraft")).toBe(1);
    expect(exactly(mark, "PluginVersion.create")).toBe(0);
    expect(r.state!.outputs).toMatchObject({ publish: false, versionAttribution: "draft" });
    expect((await remote("1.0.0"))!.version_attribution).toBe("draft");
    expect((await w.engine.preview(T, "half", d)).op).toBe("same");
    await w.engine.destroy(T, "half");
  });

  test.each(["released", "draft"])(
    "X12=%s: a published version created (§4.9.1) but answered with a 5xx: found by its version, released and bound in the same up, never created twice",
    async (reading) => {
      w.emu.dialect.set({ X12: reading });
      w.emu.faults.inject({ method: "POST", path: `/v1/${D}/agent-plugin/create`, fault: { type: "commit-then-fail", status: 502 } });
      const mark = w.emu.log.mark();
      const r = await w.engine.up(T, "half", v);
      expect(r.op).toBe("create");
      expect(r.state!.id).toBe(`${PLUGIN}/1.0.0`);
      expect(exactly(mark, "PluginVersion.create")).toBe(1);
      expect(ops(mark, "PluginVersion.createDraft")).toBe(0);
      expect(ops(mark, "PluginVersion.publishDraft")).toBe(reading === "draft" ? 1 : 0);
      expect(ops(mark, "Plugin.bindPublisher")).toBe(1);
      expect(r.state!.outputs).toMatchObject({ publish: true, versionAttribution: "formal", publisherId });
      expect((await remote("1.0.0"))!.version_attribution).toBe("formal");
      expect(await versions()).toContain("1.0.0");
      expect((await w.engine.preview(T, "half", v)).op).toBe("same");
      await w.engine.destroy(T, "half");
    },
  );

  test("a version of a plug-in that does not exist is refused without creating anything", async () => {
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "orphan", { ...v001, pluginName: "no_such_plugin" })).rejects.toThrow(
      /plug-in "no_such_plugin" does not exist; declare it with a Plugin resource first/,
    );
    expect(w.emu.log.since(mark).filter((e) => e.operation !== "Plugin.list")).toHaveLength(0);
  });

  test("the service refusing to delete a published version: it is left in place and the output says so", async () => {
    await w.engine.up(T, "used", { ...v001, version: "2.0.0", publish: true });
    const key = JSON.stringify([PLUGIN, "2.0.0"]);
    const store = w.emu.store.collection<VersionRecord>(VERSIONS);
    store.put(D, key, { ...store.get(D, key)!, refer_count: 3 }); // pipelines use it
    await expect(w.engine.destroy(T, "used")).resolves.toMatchObject({ op: "delete" });
    expect(w.engine.state.has(w.engine.urn(T, "used"))).toBe(false);
    expect((await remote("2.0.0"))!.version_attribution).toBe("formal");
    expect(await hostLog(/warning: PluginVersion acme_release\/2\.0\.0 is published and the service refused to delete it, so it is left in place/)).toBeDefined();
  });
});

describe("a version declared published: made by §4.9.1 create (ambiguity X12)", () => {
  const p = { ...v001, version: "4.0.0", publish: true };

  test("X12=released (the default): info, create, detail: 3 calls, released, nothing else sent", async () => {
    const mark = w.emu.log.mark();
    const r = await measured("create published", () => w.engine.up(T, "direct", p));
    expect(r.op).toBe("create");
    expect(w.emu.log.since(mark).map((e) => e.operation)).toEqual(["Plugin.list", "PluginVersion.create", "PluginVersion.detail"]);
    expect(r.state!.outputs).toMatchObject({ publish: true, versionAttribution: "formal" });
    expect((await remote("4.0.0"))!).toMatchObject({ version_attribution: "formal", version_description: "First cut" });
    expect((await w.engine.preview(T, "direct", p)).op).toBe("same");
    await w.engine.destroy(T, "direct");
    expect(await remote("4.0.0")).toBeUndefined();
  });

  test("X12=draft: what §4.9.1 made is a draft, so it is published: released, content as declared, one version", async () => {
    w.emu.dialect.set({ X12: "draft" });
    const mark = w.emu.log.mark();
    const r = await w.engine.up(T, "direct", { ...p, publisherId });
    expect(r.op).toBe("create");
    expect(w.emu.log.since(mark).map((e) => e.operation)).toEqual([
      "Plugin.list",
      "PluginVersion.create",
      "PluginVersion.detail",
      "PluginVersion.publishDraft",
      "Plugin.bindPublisher",
    ]);
    expect(r.state!.outputs).toMatchObject({ publish: true, publisherId, versionAttribution: "formal" });
    const d = (await remote("4.0.0"))!;
    expect(d).toMatchObject({ version_attribution: "formal", version_description: "First cut" });
    expect(d.plugin_execution.steps[0].variables.OFFICIAL_SHELL_SCRIPT_INPUT).toBe("./deploy.sh");
    expect(await boundPublisher()).toBe(publisherId);
    expect((await versions()).filter((x) => x === "4.0.0")).toHaveLength(1);
    expect((await w.engine.preview(T, "direct", { ...p, publisherId })).op).toBe("same");
    await w.engine.destroy(T, "direct");
  });

  test("a draft (publish absent or false) is still made by create-draft", async () => {
    const mark = w.emu.log.mark();
    await w.engine.up(T, "still-draft", { ...v001, version: "4.0.1" });
    expect(ops(mark, "PluginVersion.createDraft")).toBe(1);
    expect(exactly(mark, "PluginVersion.create")).toBe(0);
    expect((await remote("4.0.1"))!.version_attribution).toBe("draft");
    await w.engine.destroy(T, "still-draft");
  });
});

describe("drift", () => {
  test("deleted out of band: refresh reports it gone, the next up re-creates it", async () => {
    const d = { ...v001, version: "3.0.0" };
    await w.engine.up(T, "drifty", d);
    await w.outOfBand.send({
      service: "pipeline",
      method: "DELETE",
      path: `/v1/${D}/agent-plugin/delete-draft`,
      query: { plugin_name: PLUGIN, version: "3.0.0" },
      operation: "Test.delete",
    });
    expect((await w.engine.refresh(T, "drifty")).op).toBe("gone");
    expect((await w.engine.up(T, "drifty", d)).op).toBe("create");
    expect(await remote("3.0.0")).toBeDefined();
  });

  test("published out of band: refresh shows it, and declaring it a draft again is refused", async () => {
    await publishOutOfBand("3.0.0");
    expect((await w.engine.refresh(T, "drifty")).state!.inputs.publish).toBe(true);
    const mark = w.emu.log.mark();
    const r = await w.engine.up(T, "drifty", { ...v001, version: "3.0.0" });
    expect(r.op).toBe("invalid");
    expect(r.failures).toEqual([{ property: "publish", reason: expect.stringMatching(/cannot be false: version 3\.0\.0 .* is published/) }]);
    expect(w.emu.log.since(mark)).toHaveLength(0);
    expect((await w.engine.up(T, "drifty", { ...v001, version: "3.0.0", publish: true })).op).toBe("same");
    await w.engine.destroy(T, "drifty");
  });
});

describe("adoption and get", () => {
  test("adoptId takes an existing draft under management and converges its content", async () => {
    await createDraftOutOfBand("0.9.0", "echo legacy");
    const mark = w.emu.log.mark();
    const r = await measured("adopt a draft", () => w.engine.up(T, "legacy", { ...v001, version: "0.9.0", adoptId: `${PLUGIN}/0.9.0` }));
    expect(r.op).toBe("create");
    expect(r.state!.id).toBe(`${PLUGIN}/0.9.0`);
    expect(ops(mark, "PluginVersion.createDraft")).toBe(0);
    expect((await remote("0.9.0"))!.plugin_execution.steps[0].variables.OFFICIAL_SHELL_SCRIPT_INPUT).toBe("./deploy.sh");
    expect((await w.engine.refresh(T, "legacy")).state!.inputs.adoptId).toBe(`${PLUGIN}/0.9.0`);
    await w.engine.destroy(T, "legacy");
  });

  test("adopting a published version whose content differs fails: it cannot be edited", async () => {
    await createDraftOutOfBand("0.9.1", "echo legacy");
    await publishOutOfBand("0.9.1");
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "frozen", { ...v001, version: "0.9.1", publish: true, adoptId: `${PLUGIN}/0.9.1` })).rejects.toThrow(
      /PluginVersion acme_release\/0\.9\.1 is published and cannot be edited \(.*steps.*\); declare a new version instead/,
    );
    expect(ops(mark, "PluginVersion.editDraft")).toBe(0);
  });

  test("PluginVersion.get reads an existing version by <pluginName>/<version>", async () => {
    const r = await w.engine.get(T, "ro", `${PLUGIN}/0.9.1`);
    expect(r.state!.outputs).toMatchObject({ pluginName: PLUGIN, version: "0.9.1", publish: true, versionAttribution: "formal" });
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const ok = { pluginName: "p", version: "1.0.0", steps: [{ task: "t", name: "n" }] };
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing pluginName", { version: "1.0.0", steps: [] }, "pluginName", /is required/],
    ["empty pluginName", { ...ok, pluginName: "" }, "pluginName", /must not be empty/],
    ["missing version", { pluginName: "p", steps: [] }, "version", /is required/],
    ["version of the wrong type", { ...ok, version: 1 }, "version", /expected string/],
    ["version with a slash", { ...ok, version: "1/0" }, "version", /must not contain "\/"/],
    ["versionDescription of the wrong type", { ...ok, versionDescription: 2 }, "versionDescription", /expected string/],
    ["executionType empty", { ...ok, executionType: "" }, "executionType", /must not be empty/],
    ["missing steps", { pluginName: "p", version: "1.0.0" }, "steps", /is required/],
    ["steps not a list", { ...ok, steps: { task: "t" } }, "steps", /expected array/],
    ["a step without task", { ...ok, steps: [{ name: "n" }] }, "steps[0].task", /is required/],
    ["a step with an empty name", { ...ok, steps: [{ task: "t", name: "" }] }, "steps[0].name", /must not be empty/],
    ["a step variable that is not a string", { ...ok, steps: [{ task: "t", name: "n", variables: { X: 1 } }] }, "steps[0].variables.X", /expected string/],
    ["a misspelt step key", { ...ok, steps: [{ task: "t", name: "n", variable: {} }] }, "steps[0].variable", /is not a property of PluginVersion/],
    ["inputs not a list", { ...ok, inputs: "TARGET" }, "inputs", /expected array/],
    ["an input without name", { ...ok, inputs: [{ type: "input" }] }, "inputs[0].name", /is required/],
    ["an input default of the wrong type", { ...ok, inputs: [{ name: "A", defaultValue: 5 }] }, "inputs[0].defaultValue", /expected string/],
    ["a negative maxLength", { ...ok, inputs: [{ name: "A", validation: { maxLength: -1 } }] }, "inputs[0].validation.maxLength", /must be 0 or more/],
    ["a fractional minLength", { ...ok, inputs: [{ name: "A", validation: { minLength: 1.5 } }] }, "inputs[0].validation.minLength", /must be an integer/],
    ["a misspelt validation key", { ...ok, inputs: [{ name: "A", validation: { max_length: 3 } }] }, "inputs[0].validation.max_length", /is not a property/],
    ["publish of the wrong type", { ...ok, publish: "yes" }, "publish", /expected boolean/],
    ["publisherId of the wrong form", { ...ok, publish: true, publisherId: "acme" }, "publisherId", /32 lower-case hexadecimal/],
    ["publisherId without publish", { ...ok, publisherId: "0123456789abcdef0123456789abcdef" }, "publisherId", /requires publish: true/],
    ["adoptId of another version", { ...ok, adoptId: "p/2.0.0" }, "adoptId", /must be "<pluginName>\/<version>" of this version/],
    ["misspelt property", { ...ok, plugin_name: "p" }, "plugin_name", /is not a property of PluginVersion/],
  ];
  test.each(cases)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));

  describe("changes a published version cannot take", () => {
    const frozen: Record<string, unknown> = { pluginName: PLUGIN, version: "5.0.0", steps: [step("./deploy.sh")], inputs: [target], versionDescription: "Frozen", publish: true };
    beforeAll(async () => {
      frozen.publisherId = publisherId; // known once the outer beforeAll ran
      expect((await measured("create published and bound", () => w.engine.up(T, "frozen5", frozen))).op).toBe("create");
    });
    const refused: Array<[string, () => Record<string, unknown>, string, RegExp]> = [
      ["steps", () => ({ ...frozen, steps: [step("./other.sh")] }), "steps", /published, and a published version cannot change.*Declare a new version/],
      ["inputs", () => ({ ...frozen, inputs: [] }), "inputs", /cannot change/],
      ["versionDescription", () => ({ ...frozen, versionDescription: "Thawed" }), "versionDescription", /cannot change/],
      ["executionType", () => ({ ...frozen, executionType: "SINGLE" }), "executionType", /cannot change/],
      ["back to draft", () => ({ ...frozen, publish: false, publisherId: undefined }), "publish", /cannot be false/],
      ["unbinding the publisher", () => ({ ...frozen, publisherId: undefined }), "publisherId", /no API unbinds a plug-in from its publisher/],
    ];
    test.each(refused)("%s", async (_label, inputs, property, reason) => {
      const mark = w.emu.log.mark();
      const r = await w.engine.up(T, "frozen5", inputs());
      expect(r.op).toBe("invalid");
      expect(r.failures).toEqual(expect.arrayContaining([{ property, reason: expect.stringMatching(reason) }]));
      expect(w.emu.log.since(mark)).toHaveLength(0);
    });
    test("a new version string is not an edit: it replaces", async () => {
      const r = await w.engine.preview(T, "frozen5", { ...frozen, version: "5.0.1" });
      expect(r.op).toBe("replace");
      expect(r.diff!.replaces).toEqual(["version"]);
    });
  });
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("PluginVersion", calls)).toEqual([]);
});
