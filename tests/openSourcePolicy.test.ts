import { expectRefusedAtCheck, startWorld, World, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";
import { listProjectOpenSourcePolicies, getProjectOpenSourcePolicy } from "../provider/lookups/policies";
import { clientSettings } from "../emulator";

// OpenSourcePolicy (tenant-level open-source governance, CodeArts Pipeline API Reference §4.7) through the real host.
const T = "OpenSourcePolicy";
let w: World;
let D: string;
const { calls, measured } = callCounter(() => w);
// The §4.7.1 example, camelCased, including its `cve.values: [""]`.
const content = {
  versionSet: { enable: true, rules: [{ ecosystem: "Maven", packageName: "sboot", predicate: "eq", packageVersion: "1.1", description: "", enable: true }] },
  security: { enable: true, rules: { severity: { enable: false, values: [] }, cve: { enable: false, values: [""] } } },
  license: { enable: true, rules: [{ values: [], predicate: "contain" }] },
};

const base = () => `/v2/${D}/tenant/open-source/rule-sets`;
const remote = async (id: string): Promise<Record<string, any> | undefined> =>
  (await w.outOfBand.send<Record<string, any>>({ service: "pipeline", method: "GET", path: `${base()}/${id}/detail`, operation: "Test.get" }).catch(() => undefined))?.body;

beforeAll(async () => {
  w = await startWorld();
  D = w.account.domainId;
});
afterAll(async () => {
  console.log(`OpenSourcePolicy API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("OpenSourcePolicy lifecycle", () => {
  let id: string;
  test("create: the service's disabled default is switched on (isValid defaults to true)", async () => {
    const r = await measured("create", () => w.engine.up(T, "oss", { name: "Maven governance", content }));
    expect(r.op).toBe("create");
    id = r.state!.id;
    const p = (await remote(id))!;
    expect(p.is_valid).toBe(true);
    expect(p.content.version_set.rules[0]).toMatchObject({ ecosystem: "Maven", package_name: "sboot" });
    expect(r.state!.outputs.content.security.rules.cve.values).toEqual([]); // [""] normalised
  });
  test('read and no-op: the documents\' odd [""] does not read as a change', async () => {
    await measured("read", () => w.engine.refresh(T, "oss"));
    const same = await measured("no-op", () => w.engine.up(T, "oss", { name: "Maven governance", content }));
    expect(same.op).toBe("same");
  });
  test("full-body update in place", async () => {
    const changed = { ...content, security: { enable: true, rules: { severity: { enable: true, values: ["Critical", "High"] }, cve: { enable: false, values: [] } } } };
    const r = await measured("update", () => w.engine.up(T, "oss", { name: "Maven governance", content: changed }));
    expect(r.op).toBe("update");
    expect((await remote(id))!.content.security.rules.severity.values).toEqual(["Critical", "High"]);
  });
  test("disable through the switch API (PUT, as the URI says)", async () => {
    const mark = w.emu.log.mark();
    await w.engine.up(T, "oss", { name: "Maven governance", content: (await w.engine.refresh(T, "oss")).state!.inputs.content, isValid: false });
    expect(
      w.emu.log
        .since(mark)
        .filter((e) => e.operation === "OpenSourcePolicy.switch")
        .map((e) => e.method),
    ).toEqual(["PUT"]);
    expect((await remote(id))!.is_valid).toBe(false);
  });
  test("drift: enabled and renamed out of band, seen on refresh", async () => {
    await w.outOfBand.send({ service: "pipeline", method: "PUT", path: `${base()}/${id}/switch`, body: { is_valid: true }, operation: "Test.switch" });
    await w.outOfBand.send({ service: "pipeline", method: "PUT", path: `${base()}/${id}/update`, body: { name: "Renamed in console", content: {} }, operation: "Test.update" });
    const r = await w.engine.refresh(T, "oss");
    expect(r.state!.inputs).toMatchObject({ name: "Renamed in console", isValid: true, content: {} });
  });
  test("project-level lookups see the tenant's policy", async () => {
    const P = w.account.codeartsProjects[0];
    expect((await listProjectOpenSourcePolicies(P, { settings: clientSettings(w.emu) })).map((p) => p.id)).toContain(id);
    expect(await getProjectOpenSourcePolicy(P, id, { settings: clientSettings(w.emu) })).toMatchObject({ id, name: "Renamed in console" });
  });
  test("deleted out of band: gone; delete of a gone policy succeeds; delete", async () => {
    const state = [...w.engine.state.values()].find((s) => s.name === "oss")!;
    await w.outOfBand.send({ service: "pipeline", method: "DELETE", path: `${base()}/${id}/delete`, operation: "Test.delete" });
    expect((await w.engine.refresh(T, "oss")).op).toBe("gone");
    await expect(w.host.delete(state.id, state.urn, state.outputs)).resolves.toBeUndefined();
    const again = await w.engine.up(T, "oss", { name: "Maven governance", content });
    await measured("delete", () => w.engine.destroy(T, "oss"));
    expect(await remote(again.state!.id)).toBeUndefined();
  });
});

describe("adoption", () => {
  test("adoptId takes an existing policy under management and converges it", async () => {
    const made = await w.outOfBand.send<{ rule_set_id: string }>({
      service: "pipeline",
      method: "POST",
      path: `${base()}/create`,
      body: { name: "Legacy", content: {} },
      operation: "Test.create",
    });
    const r = await measured("adopt", () => w.engine.up(T, "legacy", { name: "Legacy", content, adoptId: made.body.rule_set_id }));
    expect(r.state!.id).toBe(made.body.rule_set_id);
    const p = (await remote(made.body.rule_set_id))!;
    expect([p.is_valid, p.content.license.rules[0].predicate]).toEqual([true, "contain"]);
    await w.engine.destroy(T, "legacy");
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing name", { content }, "name", /is required/],
    ["blank name", { name: " ", content }, "name", /must not be empty/],
    ["missing content", { name: "x" }, "content", /is required/],
    [
      "security.rules as an array (SecurityProperty.rules is one SecurityRule object, §4.7.1)",
      { name: "x", content: { security: { rules: [] } } },
      "content.security.rules",
      /expected object/,
    ],
    ["severity values not strings", { name: "x", content: { security: { rules: { severity: { values: [1] } } } } }, "content.security.rules.severity.values[0]", /expected string/],
    ["license rules not an array", { name: "x", content: { license: { rules: {} } } }, "content.license.rules", /expected array/],
    ["enable not a boolean", { name: "x", content: { versionSet: { enable: "yes" } } }, "content.versionSet.enable", /expected boolean/],
    ["snake_case key inside content", { name: "x", content: { version_set: {} } }, "content.version_set", /is not a property of OpenSourcePolicy/],
    ["parentId of the wrong form", { name: "x", content, parentId: "p" }, "parentId", /32 lower-case hexadecimal/],
    ["isValid not a boolean", { name: "x", content, isValid: "true" }, "isValid", /expected boolean/],
  ];
  test("cases per kind", () => console.log(`OpenSourcePolicy bad-input cases: ${cases.length}`));
  test.each(cases)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("OpenSourcePolicy", calls)).toEqual([]);
});
