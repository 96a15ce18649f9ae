import { expectRefusedAtCheck, startWorld, World, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";
import { listProjectRuleSets, getProjectRuleSet } from "../provider/lookups/policies";
import { clientSettings } from "../emulator";

// RuleSet (tenant-level policy, CodeArts Pipeline API Reference §4.5) through the real host, with Rules from the same program.
const T = "RuleSet";
let w: World;
let D: string;
const { calls, measured } = callCounter(() => w);
const ruleInputs = (name: string, type = "Gate") => ({
  name,
  type,
  layoutContent: "l",
  content: [{ groupName: "g", properties: [{ key: "k", name: "n", type: "judge", operator: ">=", valueType: "float", value: "0.5" }] }],
});

const remote = async (id: string): Promise<any> =>
  (
    await w.outOfBand
      .send<Record<string, any>>({ service: "pipeline", method: "GET", path: `/v2/${D}/tenant/rule-sets/${id}/detail`, operation: "Test.get" })
      .catch(() => undefined)
  )?.body;

let ruleA: string, ruleB: string, ruleC: string;
beforeAll(async () => {
  w = await startWorld();
  D = w.account.domainId;
  ruleA = (await w.engine.up("Rule", "a", ruleInputs("API pass rate"))).state!.id;
  ruleB = (await w.engine.up("Rule", "b", ruleInputs("Unit coverage", "Build"))).state!.id;
  ruleC = (await w.engine.up("Rule", "c", ruleInputs("Code check", "Gate"))).state!.id;
});
afterAll(async () => {
  console.log(`RuleSet API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("RuleSet lifecycle", () => {
  let id: string;
  test("create from rules of the same program: instances of those rules, enabled by default", async () => {
    const r = await measured("create", () => w.engine.up(T, "gate", { name: "Release gate", rules: [{ id: ruleA }, { id: ruleB, isValid: false }] }));
    expect(r.op).toBe("create");
    id = r.state!.id;
    expect(r.state!.outputs).toMatchObject({
      rules: [
        { id: ruleA, isValid: true },
        { id: ruleB, isValid: false },
      ],
      isValid: true,
      ruleInstanceIds: [expect.any(String), expect.any(String)],
    });
    expect(r.state!.outputs.ruleInstanceIds).not.toContain(ruleA); // instances have ids of their own
    const s = await remote(id);
    expect(s.rule_instances.map((i: any) => [i.name, i.is_valid])).toEqual([
      ["API pass rate", true],
      ["Unit coverage", false],
    ]);
  });
  test("read maps instances back to the declared rule ids; a no-op makes no call", async () => {
    const r = await measured("read", () => w.engine.refresh(T, "gate"));
    expect(r.state!.inputs.rules).toEqual([
      { id: ruleA, isValid: true },
      { id: ruleB, isValid: false },
    ]);
    const same = await measured("no-op", () => w.engine.up(T, "gate", { name: "Release gate", rules: [{ id: ruleA }, { id: ruleB, isValid: false }] }));
    expect(same.op).toBe("same");
  });
  test("update: rename and swap a rule in place", async () => {
    const r = await measured("update", () => w.engine.up(T, "gate", { name: "Release gate v2", rules: [{ id: ruleA }, { id: ruleC }] }));
    expect(r.op).toBe("update");
    const s = await remote(id);
    expect(s.name).toBe("Release gate v2");
    expect(s.rule_instances.map((i: any) => i.name)).toEqual(["API pass rate", "Code check"]);
  });
  test("disable and enable through the switch API", async () => {
    const off = await measured("disable", () => w.engine.up(T, "gate", { name: "Release gate v2", rules: [{ id: ruleA }, { id: ruleC }], isValid: false }));
    expect(off.op).toBe("update");
    expect((await remote(id)).is_valid).toBe(false);
    expect(w.emu.log.entries.filter((e) => e.operation === "RuleSet.switch")).toHaveLength(1);
    await w.engine.up(T, "gate", { name: "Release gate v2", rules: [{ id: ruleA }, { id: ruleC }], isValid: true });
    expect((await remote(id)).is_valid).toBe(true);
  });
  test("drift in the rule list and the enabled state shows on refresh", async () => {
    await w.outOfBand.send({
      service: "pipeline",
      method: "PUT",
      path: `/v2/${D}/tenant/rule-sets/${id}/update`,
      body: { rules: [{ id: ruleB, is_valid: true }] },
      operation: "Test.update",
    });
    await w.outOfBand.send({ service: "pipeline", method: "PUT", path: `/v2/${D}/tenant/rule-sets/${id}/switch`, body: { is_valid: false }, operation: "Test.switch" });
    const r = await w.engine.refresh(T, "gate");
    expect(r.state!.inputs).toMatchObject({ rules: [{ id: ruleB, isValid: true }], isValid: false });
    const up = await w.engine.up(T, "gate", { name: "Release gate v2", rules: [{ id: ruleA }, { id: ruleC }] });
    expect(up.op).toBe("update");
    const s = await remote(id);
    expect([s.is_valid, s.rule_instances.map((i: any) => i.name)]).toEqual([true, ["API pass rate", "Code check"]]);
  });
  test("project-level lookups see the tenant's rule set", async () => {
    const P = w.account.codeartsProjects[0];
    const list = await listProjectRuleSets(P, { settings: clientSettings(w.emu) });
    expect(list.find((s) => s.id === id)).toMatchObject({ name: "Release gate v2", level: "tenant", isValid: true });
    expect(await listProjectRuleSets(P, { settings: clientSettings(w.emu), includeTenant: false })).toEqual([]);
    expect(await getProjectRuleSet(P, id, { settings: clientSettings(w.emu) })).toMatchObject({ id, name: "Release gate v2" });
  });
  test("deleted out of band: gone on refresh; delete of a gone set succeeds", async () => {
    const state = [...w.engine.state.values()].find((s) => s.name === "gate")!;
    await w.outOfBand.send({ service: "pipeline", method: "DELETE", path: `/v2/${D}/tenant/rule-sets/${id}/delete`, operation: "Test.delete" });
    expect((await w.engine.refresh(T, "gate")).op).toBe("gone");
    await expect(w.host.delete(state.id, state.urn, state.outputs)).resolves.toBeUndefined();
  });
  test("created disabled: one switch after create; delete", async () => {
    const r = await measured("create disabled", () => w.engine.up(T, "off", { name: "Dormant", rules: [{ id: ruleA }], isValid: false }));
    expect((await remote(r.state!.id)).is_valid).toBe(false);
    await measured("delete", () => w.engine.destroy(T, "off"));
    expect(await remote(r.state!.id)).toBeUndefined();
  });
});

describe("adoption", () => {
  test("adoptId takes an existing rule set under management", async () => {
    const made = await w.outOfBand.send<{ rule_set_id: string }>({
      service: "pipeline",
      method: "POST",
      path: `/v2/${D}/tenant/rule-sets/create`,
      body: { name: "Legacy", rules: [{ id: ruleA, is_valid: true }] },
      operation: "Test.create",
    });
    const r = await measured("adopt", () => w.engine.up(T, "legacy", { name: "Legacy (managed)", rules: [{ id: ruleA }], adoptId: made.body.rule_set_id }));
    expect(r.state!.id).toBe(made.body.rule_set_id);
    expect((await remote(made.body.rule_set_id)).name).toBe("Legacy (managed)");
    await w.engine.destroy(T, "legacy");
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const ok = { name: "x", rules: [{ id: "0123456789abcdef0123456789abcdef" }] };
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing name", { rules: [] }, "name", /is required/],
    ["blank name", { ...ok, name: "" }, "name", /must not be empty/],
    ["missing rules", { name: "x" }, "rules", /is required/],
    ["rules not an array", { ...ok, rules: "a" }, "rules", /expected array/],
    ["rule id of the wrong form", { ...ok, rules: [{ id: "rule-1" }] }, "rules[0].id", /32 lower-case hexadecimal/],
    ["rule without id", { ...ok, rules: [{ isValid: true }] }, "rules[0].id", /is required/],
    ["rule isValid not a boolean", { ...ok, rules: [{ id: ok.rules[0].id, isValid: "yes" }] }, "rules[0].isValid", /expected boolean/],
    ["isValid not a boolean", { ...ok, isValid: 1 }, "isValid", /expected boolean/],
    ["misspelt property", { ...ok, is_valid: true }, "is_valid", /is not a property of RuleSet/],
  ];
  test("cases per kind", () => console.log(`RuleSet bad-input cases: ${cases.length}`));
  test.each(cases)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("RuleSet", calls)).toEqual([]);
});
