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
