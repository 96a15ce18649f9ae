import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseProvenReadings } from "../provider/readings";
import { ConfigError } from "../provider/errors";
import { KINDS_UNDER_TEST } from "./harness/kinds";
import { PROVEN_DIALECT, provenConfig } from "./support/provenDialect";
import { stackConfig, startWorld, World } from "./support/world";

// Issue 23 item 1: what `conformance --out` wrote, as a provider setting. Under a proven reading the
// provider drops the calls that only guard against the other readings; a service that contradicts the
// reading at run time is stopped where it can be seen, naming the row, and nothing is lost.

describe("the setting", () => {
  test("takes the JSON conformance --out writes, its file, and --json's readings (unknown rows ignored)", () => {
    expect(parseProvenReadings('{"N1": "unique", "L2": "refuse"}')).toEqual({ N1: "unique", L2: "refuse" });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "proven-")), "dialect.json");
    fs.writeFileSync(file, JSON.stringify({ X1: "single" }, null, 2) + "\n");
    expect(parseProvenReadings(file)).toEqual({ X1: "single" });
    expect(parseProvenReadings(JSON.stringify({ readings: { N1: "unique", P3: "unknown" }, calls: 12 }))).toEqual({ N1: "unique" });
    expect(parseProvenReadings(undefined)).toEqual({});
  });

  test.each([
    ['{"N9": "unique"}', /unknown row "N9"; the rows are G1, .*N1/],
    ['{"N1": "uniq"}', /row N1 has no reading "uniq"; its readings are repeat, unique \(or unknown\)/],
    ["[1]", /must be a JSON object/],
    ["{not json", /must be what `pulumi-codearts conformance --out FILE` wrote/],
    ["/nonexistent/dialect.json", /no file "\/nonexistent\/dialect.json"/],
  ])("refuses %s at configure, naming the setting and the rule", (raw, rule) => {
    let caught: unknown;
    try {
      parseProvenReadings(raw);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toMatch(/huaweicloud:provenReadings \(PULUMI_CODEARTS_PROVEN_READINGS\)/);
    expect((caught as Error).message).toMatch(rule);
  });

  test("a file's content is never echoed in the error", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "proven-")), "dialect.json");
    fs.writeFileSync(file, '{"N1": "s3cr3t-looking-value"}');
    expect(() => parseProvenReadings(file)).toThrow(/row N1 has no reading/);
    fs.writeFileSync(file, "s3cr3t-looking-value");
    expect(() => parseProvenReadings(file)).toThrow(ConfigError);
    try {
      parseProvenReadings(file);
    } catch (e) {
      expect((e as Error).message).not.toContain("s3cr3t");
    }
  });
});

/** The operations the emulator served since `mark`. */
const served = (w: World, mark: number) => w.emu.log.since(mark).map((e) => `${e.method} ${e.operation}`);
const proven = (emu: { url: string }) => ({ ...stackConfig(emu as never), ...provenConfig(PROVEN_DIALECT) });

describe("under proven readings (the emulator speaks them, the provider is told)", () => {
  let w: World;
  let P: string;
  beforeAll(async () => {
    w = await startWorld({ dialect: { ...PROVEN_DIALECT }, config: proven });
    P = w.account.codeartsProjects[0];
  });
  afterAll(async () => w?.close());

  test("N1 unique, L2 refuse: a group is created and deleted with one call each", async () => {
    let mark = w.emu.log.mark();
    const r = await w.engine.up("PipelineGroup", "g", { projectId: P, name: "Proven" });
    expect(served(w, mark)).toEqual(["POST PipelineGroup.create"]);
    expect(r.state!.outputs).toMatchObject({ name: "Proven", pathId: r.state!.id });
    mark = w.emu.log.mark();
    await w.engine.destroy("PipelineGroup", "g");
    expect(served(w, mark)).toEqual(["DELETE PipelineGroup.delete"]);
  });

  test("L2 refuse: a group that is not empty is refused by the service itself, and nothing is lost", async () => {
    const parent = await w.engine.up("PipelineGroup", "parent", { projectId: P, name: "Holder" });
    const child = await w.engine.up("PipelineGroup", "child", { projectId: P, name: "Held", parentId: parent.state!.id });
    await expect(w.engine.destroy("PipelineGroup", "parent")).rejects.toThrow(/.+/);
    const held = Object.keys(w.emu.store.snapshot().pipelineGroups?.[P] ?? {});
    expect(held).toEqual(expect.arrayContaining([parent.state!.id, child.state!.id]));
    expect(w.engine.state.has(w.engine.urn("PipelineGroup", "parent"))).toBe(true);
    await w.engine.destroy("PipelineGroup", "child");
    await w.engine.destroy("PipelineGroup", "parent");
  });

  test("N1 unique: a template and a rule are created without the listing before", async () => {
    const kind = (t: string) => KINDS_UNDER_TEST.find((k) => k.type === t)!;
    for (const t of ["PipelineTemplate", "Rule"] as const) {
      const mark = w.emu.log.mark();
      await w.engine.up(t, `n1-${t}`, kind(t).inputs({}, 901));
      expect({ t, ops: served(w, mark).filter((o) => /\.(list|query)$/.test(o)) }).toEqual({ t, ops: [] });
      expect(served(w, mark)).toHaveLength(2);
      await w.engine.destroy(t, `n1-${t}`);
    }
  });

  test("X1 single: a released version is deleted with one call, and no probe plug-in is made", async () => {
    await w.engine.up("Plugin", "x1-plugin", { pluginName: "x1_plugin", displayName: "X1", businessType: "Deploy", pluginCompositionType: "multi" });
    const publisher = (await w.engine.up("Publisher", "x1-publisher", { name: "X1 publisher", enName: "xonepub", supportUrl: "support@acme.example" })).state!.id;
    const steps = [{ task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "./deploy.sh" } }];
    await w.engine.up("PluginVersion", "x1-version", { pluginName: "x1_plugin", version: "0.0.1", steps, publish: true, publisherId: publisher });
    const plugins = () => Object.keys(w.emu.store.snapshot().plugins ?? {}).length;
    const before = plugins();
    const mark = w.emu.log.mark();
    await w.engine.destroy("PluginVersion", "x1-version");
    // One §4.9.28 delete (the emulator names the route Plugin.delete), with type=single and the version.
    expect(w.emu.log.since(mark).map((e) => `${e.method} ${e.path.replace(/^\/v3\/[0-9a-f]+/, "")}`)).toEqual(["DELETE /extension/info/delete"]);
    expect(plugins()).toBe(before);
    const versions = Object.values(w.emu.store.snapshot().pluginVersions ?? {}).flatMap((byKey) => Object.values(byKey as Record<string, { plugin_name?: string }>));
    expect(versions.filter((v) => v.plugin_name === "x1_plugin")).toEqual([]);
  });
});

// ---- X11: delete-draft of a released version ----

const X11_STEPS = [{ task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "./deploy.sh" } }];
/** The versions the service holds of plug-in `name`, `version:attribution`, sorted. */
const versionsOf = (w: World, name: string) =>
  Object.values(w.emu.store.snapshot().pluginVersions ?? {})
    .flatMap((byKey) => Object.values(byKey as Record<string, { plugin_name: string; version: string; version_attribution: string }>))
    .filter((v) => v.plugin_name === name)
    .map((v) => `${v.version}:${v.version_attribution}`)
    .sort();
const pluginHeld = (w: World, name: string) => Object.values(w.emu.store.snapshot().plugins ?? {}).some((byName) => name in (byName as object));

/** A plug-in `name` with a draft version 1.0.0 (resource `${name}-draft`) and a released 2.0.0 (`${name}-kept`), through the engine. */
async function draftAndKept(w: World, name: string): Promise<void> {
  await w.engine.up("Plugin", `${name}-plugin`, { pluginName: name, displayName: name, businessType: "Deploy", pluginCompositionType: "multi" });
  await w.engine.up("PluginVersion", `${name}-draft`, { pluginName: name, version: "1.0.0", steps: X11_STEPS });
  await w.engine.up("PluginVersion", `${name}-kept`, { pluginName: name, version: "2.0.0", steps: X11_STEPS, publish: true });
  expect(versionsOf(w, name)).toEqual(["1.0.0:draft", "2.0.0:formal"]);
}

/** Someone releases version 1.0.0 of `name` in the console (§4.9.5): the state still says draft. */
async function releaseOutOfBand(w: World, name: string): Promise<void> {
  await w.outOfBand.send({
    service: "pipeline",
    method: "POST",
    path: `/v1/${w.account.domainId}/agent-plugin/publish-draft`,
    body: { plugin_name: name, display_name: name, version: "1.0.0", plugin_attribution: "custom" },
    operation: "Test.publish",
  });
  expect(versionsOf(w, name)).toEqual(["1.0.0:formal", "2.0.0:formal"]);
}

describe("X11 (delete-draft of a released version), proven", () => {
  test("refuse (with X1 single): a draft is deleted with one call; one released out of band is refused, read, and deleted as released, nothing else lost", async () => {
    const w = await startWorld({ dialect: { ...PROVEN_DIALECT }, config: proven });
    try {
      await draftAndKept(w, "x11_refuse");
      let mark = w.emu.log.mark();
      await w.engine.destroy("PluginVersion", "x11_refuse-draft");
      expect(served(w, mark)).toEqual(["DELETE PluginVersion.deleteDraft"]);
      expect(versionsOf(w, "x11_refuse")).toEqual(["2.0.0:formal"]);

      await w.engine.up("PluginVersion", "x11_refuse-draft", { pluginName: "x11_refuse", version: "1.0.0", steps: X11_STEPS });
      await releaseOutOfBand(w, "x11_refuse");
      mark = w.emu.log.mark();
      await w.engine.destroy("PluginVersion", "x11_refuse-draft");
      // The refusal, the detail (released), then §4.9.28 type=single (X1 single proven: the emulator names it Plugin.delete).
      expect(served(w, mark)).toEqual(["DELETE PluginVersion.deleteDraft", "GET PluginVersion.detail", "DELETE Plugin.delete"]);
      expect(versionsOf(w, "x11_refuse")).toEqual(["2.0.0:formal"]);
      expect(pluginHeld(w, "x11_refuse")).toBe(true);
      expect(w.engine.state.has(w.engine.urn("PluginVersion", "x11_refuse-draft"))).toBe(false);
    } finally {
      await w.close();
    }
  });

  test("refuse, X1 not proven and the service deletes whole plug-ins: the version released out of band is left in place with a warning, nothing lost", async () => {
    const w = await startWorld({ dialect: { X11: "refuse", X1: "whole" }, config: (emu) => ({ ...stackConfig(emu), ...provenConfig({ X11: "refuse" }) }) });
    try {
      await draftAndKept(w, "x11_whole");
      await releaseOutOfBand(w, "x11_whole");
      const mark = w.emu.log.mark();
      await w.engine.destroy("PluginVersion", "x11_whole-draft");
      expect(served(w, mark).slice(0, 2)).toEqual(["DELETE PluginVersion.deleteDraft", "GET PluginVersion.detail"]);
      // The provider's own X1 probe (on a plug-in of its own) found `whole`: nothing of this plug-in was deleted.
      expect(versionsOf(w, "x11_whole")).toEqual(["1.0.0:formal", "2.0.0:formal"]);
      expect(pluginHeld(w, "x11_whole")).toBe(true);
      expect(w.host.logs.some((l) => /warning: PluginVersion x11_whole\/1\.0\.0 is published.*ambiguity X1, reading `whole`/.test(l))).toBe(true);
      expect(w.engine.state.has(w.engine.urn("PluginVersion", "x11_whole-draft"))).toBe(false);
    } finally {
      await w.close();
    }
  });

  test("delete: a draft, and a draft released out of band, are each deleted with one call; the other version stays", async () => {
    const w = await startWorld({
      dialect: { ...PROVEN_DIALECT, X11: "delete" },
      config: (emu) => ({ ...stackConfig(emu), ...provenConfig({ ...PROVEN_DIALECT, X11: "delete" }) }),
    });
    try {
      await draftAndKept(w, "x11_delete");
      let mark = w.emu.log.mark();
      await w.engine.destroy("PluginVersion", "x11_delete-draft");
      expect(served(w, mark)).toEqual(["DELETE PluginVersion.deleteDraft"]);
      await w.engine.up("PluginVersion", "x11_delete-draft", { pluginName: "x11_delete", version: "1.0.0", steps: X11_STEPS });
      await releaseOutOfBand(w, "x11_delete");
      mark = w.emu.log.mark();
      await w.engine.destroy("PluginVersion", "x11_delete-draft");
      expect(served(w, mark)).toEqual(["DELETE PluginVersion.deleteDraft"]);
      expect(versionsOf(w, "x11_delete")).toEqual(["2.0.0:formal"]);
      expect(pluginHeld(w, "x11_delete")).toBe(true);
    } finally {
      await w.close();
    }
  });

  test.each([
    ["noop", { X11: "noop" }],
    ["not proven", {}],
  ])("%s: the detail is read first, as without the setting; a version released out of band is deleted as released", async (_label, readings) => {
    const w = await startWorld({ dialect: { X1: "single", X11: "noop" }, config: (emu) => ({ ...stackConfig(emu), ...provenConfig({ X1: "single", ...readings }) }) });
    try {
      await draftAndKept(w, "x11_noop");
      let mark = w.emu.log.mark();
      await w.engine.destroy("PluginVersion", "x11_noop-draft");
      expect(served(w, mark)).toEqual(["GET PluginVersion.detail", "DELETE PluginVersion.deleteDraft"]);
      await w.engine.up("PluginVersion", "x11_noop-draft", { pluginName: "x11_noop", version: "1.0.0", steps: X11_STEPS });
      await releaseOutOfBand(w, "x11_noop");
      mark = w.emu.log.mark();
      await w.engine.destroy("PluginVersion", "x11_noop-draft");
      // A delete-draft would have answered `true` and left the released version behind: it is never sent.
      expect(served(w, mark)).toEqual(["GET PluginVersion.detail", "DELETE Plugin.delete"]);
      expect(versionsOf(w, "x11_noop")).toEqual(["2.0.0:formal"]);
    } finally {
      await w.close();
    }
  });

  test("refuse: a draft the service refuses to delete (pipelines use it) is read once and the refusal is the error; nothing lost", async () => {
    const w = await startWorld({ dialect: { ...PROVEN_DIALECT }, config: proven });
    try {
      await draftAndKept(w, "x11_used");
      const D = w.account.domainId;
      const key = JSON.stringify(["x11_used", "1.0.0"]);
      const record = (w.emu.store.snapshot().pluginVersions as Record<string, Record<string, object>>)[D][key];
      w.emu.store.collection("pluginVersions").put(D, key, { ...record, refer_count: 2 });
      const mark = w.emu.log.mark();
      await expect(w.engine.destroy("PluginVersion", "x11_used-draft")).rejects.toThrow(/used by 2 pipelines/);
      expect(served(w, mark)).toEqual(["DELETE PluginVersion.deleteDraft", "GET PluginVersion.detail"]);
      expect(versionsOf(w, "x11_used")).toEqual(["1.0.0:draft", "2.0.0:formal"]);
      expect(w.engine.state.has(w.engine.urn("PluginVersion", "x11_used-draft"))).toBe(true);
    } finally {
      await w.close();
    }
  });
});

describe("a service that contradicts the file", () => {
  test("N1 said unique, the service repeats names: an ambiguous create that finds two stops, naming N1, and loses nothing", async () => {
    const w = await startWorld({ dialect: { N1: "repeat" }, config: proven });
    try {
      const P = w.account.codeartsProjects[0];
      const theirs = await w.outOfBand.send<{ id: string }>({
        service: "pipeline",
        method: "POST",
        path: `/v5/${P}/api/pipeline-group/create`,
        body: { name: "Shared name", project_id: P, parent_id: "" },
        operation: "Test.create",
      });
      w.emu.faults.inject({ method: "POST", path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "commit-then-fail" }, times: 1 });
      const e: Error = await w.engine.up("PipelineGroup", "g", { projectId: P, name: "Shared name" }).catch((x) => x);
      expect(e.message).toMatch(/2 objects with its key exist .*adopt the right one with adoptId.*contradicts N1=unique.*Run `pulumi-codearts conformance --out FILE` again/s);
      // Nothing deleted, nothing recorded: theirs and the one the failed create made are both there.
      const names = Object.values(w.emu.store.snapshot().pipelineGroups?.[P] ?? {}).map((g) => (g as { name: string }).name);
      expect(names.filter((n) => n === "Shared name")).toHaveLength(2);
      expect(Object.keys(w.emu.store.snapshot().pipelineGroups?.[P] ?? {})).toContain(theirs.body.id);
      expect(w.engine.state.has(w.engine.urn("PipelineGroup", "g"))).toBe(false);
    } finally {
      await w.close();
    }
  });
});
