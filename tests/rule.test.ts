import { expectRefusedAtCheck, startWorld, World, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";

// Rule through the real dynamic-provider host, against the emulator (CodeArts Pipeline API Reference §4.4).
const T = "Rule";
let w: World;
let D: string;
const { calls, measured } = callCounter(() => w);
const content = [{ groupName: "MavenUnitTest", properties: [{ key: "build.PassRatio", name: "PassRatio", type: "judge", operator: "=", valueType: "float", value: "0.1" }] }];
const declared = {
  name: "Unit test gate",
  type: "Build",
  layoutContent: "layout_content",
  pluginId: "official_devcloud_cloudBuild",
  pluginName: "official_devcloud_cloudBuild",
  pluginVersion: "0.0.15",
  content,
};

const remote = async (id: string): Promise<any> =>
  (await w.outOfBand.send<Record<string, any>>({ service: "pipeline", method: "GET", path: `/v2/${D}/rules/${id}/detail`, operation: "Test.get" }).catch(() => undefined))?.body;

beforeAll(async () => {
  w = await startWorld();
  D = w.account.domainId;
});
afterAll(async () => {
  console.log(`Rule API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("Rule lifecycle", () => {
  let id: string;
  test("create: the rule exists with the declared content; its version is an output", async () => {
    const r = await measured("create", () => w.engine.up(T, "gate", declared));
    expect(r.op).toBe("create");
    id = r.state!.id;
    expect(r.state!.outputs).toMatchObject({ name: "Unit test gate", domainId: D, layoutContent: "layout_content", version: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect((await remote(id)).content[0].properties[0]).toMatchObject({ key: "build.PassRatio", value: "0.1", value_type: "float" });
  });
  test("read keeps layoutContent, which the detail API does not return; a no-op makes no call", async () => {
    const r = await measured("read", () => w.engine.refresh(T, "gate"));
    expect(r.state!.inputs.layoutContent).toBe("layout_content");
    const same = await measured("no-op", () => w.engine.up(T, "gate", declared));
    expect(same.op).toBe("same");
    expect(calls["no-op"]).toBe(0);
  });
  test("update in place: full body, the version changes", async () => {
    const before = (await remote(id)).version;
    const changed = { ...declared, name: "Unit test gate v2", content: [{ ...content[0], properties: [{ ...content[0].properties[0], value: "0.8" }] }] };
    const r = await measured("update", () => w.engine.up(T, "gate", changed));
    expect(r.op).toBe("update");
    const now = await remote(id);
    expect(now.name).toBe("Unit test gate v2");
    expect(now.content[0].properties[0].value).toBe("0.8");
    expect(now.version).not.toBe(before);
  });
  test("drift: a change out of band shows on refresh; up restores the declared rule", async () => {
    await w.outOfBand.send({
      service: "pipeline",
      method: "PUT",
      path: `/v2/${D}/rules/${id}/update`,
      body: { type: "Build", name: "Edited in console", layout_content: "x", content: [] },
      operation: "Test.update",
    });
    const r = await w.engine.refresh(T, "gate");
    expect(r.state!.inputs).toMatchObject({ name: "Edited in console", content: [] });
    const up = await w.engine.up(T, "gate", declared);
    expect(up.op).toBe("update");
    expect((await remote(id)).name).toBe("Unit test gate");
  });
  test("deleted out of band: refresh reports it gone; delete of a gone rule succeeds", async () => {
    const state = [...w.engine.state.values()].find((s) => s.name === "gate")!;
    await w.outOfBand.send({ service: "pipeline", method: "DELETE", path: `/v2/${D}/rules/${id}/delete`, operation: "Test.delete" });
    expect((await w.engine.refresh(T, "gate")).op).toBe("gone");
    await expect(w.host.delete(state.id, state.urn, state.outputs)).resolves.toBeUndefined();
  });
  test("delete", async () => {
    const r = await w.engine.up(T, "gate2", declared);
    await measured("delete", () => w.engine.destroy(T, "gate2"));
    expect(await remote(r.state!.id)).toBeUndefined();
  });
});

describe("adoption and get", () => {
  test("adoptId takes an existing rule under management and converges it", async () => {
    const made = await w.outOfBand.send<{ rule_id: string }>({
      service: "pipeline",
      method: "POST",
      path: `/v2/${D}/rules/create`,
      body: { type: "Build", name: "Legacy", layout_content: "l", content: [] },
      operation: "Test.create",
    });
    const r = await measured("adopt", () => w.engine.up(T, "legacy", { ...declared, adoptId: made.body.rule_id }));
    expect(r.state!.id).toBe(made.body.rule_id);
    expect((await remote(made.body.rule_id)).name).toBe("Unit test gate");
    const got = await w.engine.get(T, "ro", `${D}/${made.body.rule_id}`);
    expect(got.state!.outputs.name).toBe("Unit test gate");
    await w.engine.destroy(T, "legacy");
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing name", { ...declared, name: undefined }, "name", /is required/],
    ["blank name", { ...declared, name: "  " }, "name", /must not be empty or blank/],
    ["missing type", { ...declared, type: undefined }, "type", /is required/],
    ["type outside the enum", { ...declared, type: "Lint" }, "type", /must be one of Build, Gate, Deploy, Test, Normal/],
    ["missing layoutContent", { ...declared, layoutContent: undefined }, "layoutContent", /is required/],
    ["missing content", { ...declared, content: undefined }, "content", /is required/],
    ["content not an array", { ...declared, content: {} }, "content", /expected array/],
    ["group without groupName", { ...declared, content: [{ properties: [] }] }, "content[0].groupName", /is required/],
    [
      "property without key",
      { ...declared, content: [{ groupName: "g", properties: [{ name: "n", type: "judge", value: "1", valueType: "float" }] }] },
      "content[0].properties[0].key",
      /is required/,
    ],
    [
      "numeric value (the API wants a String)",
      { ...declared, content: [{ groupName: "g", properties: [{ key: "k", name: "n", type: "judge", value: 0.1, valueType: "float" }] }] },
      "content[0].properties[0].value",
      /expected string/,
    ],
    [
      "canModifyWhenInherit not a boolean",
      { ...declared, content: [{ groupName: "g", canModifyWhenInherit: "yes", properties: [] }] },
      "content[0].canModifyWhenInherit",
      /expected boolean/,
    ],
    ["tenantId of the wrong form", { ...declared, tenantId: "acme" }, "tenantId", /32 lower-case hexadecimal/],
    ["misspelt property", { ...declared, layout_content: "x" }, "layout_content", /is not a property of Rule/],
  ];
  test("cases per kind", () => console.log(`Rule bad-input cases: ${cases.length}`));
  test.each(cases)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("Rule", calls)).toEqual([]);
});
