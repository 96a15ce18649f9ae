import { SECOND_ACCOUNT } from "../emulator";
import { InitFailedError, UNKNOWN } from "./harness";
import { startWorld, World, expectRefusedAtCheck, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";

// PipelineTemplate through the real dynamic-provider host, against the emulator, in the engine's order.
const T = "PipelineTemplate";
let w: World;
let D: string; // the tenant: the account's domain id
const { calls, measured } = callCounter(() => w);

type TemplateVo = {
  id: string;
  name: string;
  description: string;
  language: string;
  definition: string;
  is_show_source: boolean;
  variables: Array<Record<string, unknown>>;
  domain_id: string;
};
const templatePath = (id = "") => `/v5/${D}/api/pipeline-templates${id ? `/${id}` : ""}`;
async function remote(id: string): Promise<TemplateVo | undefined> {
  return w.outOfBand.send<TemplateVo>({ service: "pipeline", method: "GET", path: templatePath(id), operation: "Test.get" }).then(
    (r) => r.body,
    (e) => (/DEVCP\.00021006/.test(e.message) ? undefined : Promise.reject(e)),
  );
}
/** Templates of the tenant with this name, as the service lists them (paging in the body). */
async function remoteByName(name: string): Promise<Array<{ id: string; name: string }>> {
  const r = await w.outOfBand.send<{ templates: Array<{ id: string; name: string }> }>({
    service: "pipeline",
    method: "POST",
    path: templatePath("list"),
    body: { name, is_system: false, offset: 0, limit: 100 },
    operation: "Test.list",
  });
  return r.body.templates.filter((t) => t.name === name).map(({ id, name }) => ({ id, name }));
}
/** Whether the provider host printed `text` (its stderr arrives shortly after the RPC answer). */
async function hostLogged(text: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (w.host.logs.some((l) => l.includes(text))) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

const stages = [
  {
    name: "Build",
    sequence: 0,
    jobs: [{ name: "Compile", identifier: "job-1", sequence: 0, steps: [{ name: "mvn", task: "official_devcloud_cloudBuild_template", sequence: 0 }] }],
  },
];
const base = {
  name: "Java service",
  language: "Java",
  isShowSource: true,
  definition: { stages },
  variables: [{ name: "branch", type: "string", value: "master", sequence: 0, isRuntime: true, limits: [{ value: "master" }] }],
};

beforeAll(async () => {
  w = await startWorld();
  D = w.account.domainId;
});
afterAll(async () => {
  // Figures for the issue note: API calls per operation.
  console.log(`PipelineTemplate API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("PipelineTemplate lifecycle", () => {
  let id: string;

  test("create: the template exists in the tenant with the declared fields; the tenant comes from the configuration", async () => {
    const r = await measured("create", () => w.engine.up(T, "t", base));
    expect(r.op).toBe("create");
    id = r.state!.id;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.state!.inputs.tenantId).toBe(D);
    expect(r.state!.outputs).toMatchObject({ name: "Java service", domainId: D, isSystem: false, manifestVersion: "3.0", creatorId: w.account.users[0].id });
    const t = (await remote(id))!;
    expect(t).toMatchObject({ name: "Java service", language: "Java", is_show_source: true, domain_id: D, description: "" });
    expect(JSON.parse(t.definition)).toEqual({ stages });
    expect(t.variables).toEqual([
      expect.objectContaining({ name: "branch", type: "string", value: "master", sequence: 0, is_runtime: true, limits: [{ value: "master" }], is_secret: null }),
    ]);
  });

  test("state keeps the canonical text; the service's means the same (L4: tests/dialects.policies.test.ts)", async () => {
    const t = (await remote(id))!;
    const state = [...w.engine.state.values()].find((s) => s.name === "t")!;
    expect(JSON.parse(t.definition)).toEqual(JSON.parse(state.outputs.definition));
  });

  test("read: refresh returns what the service has, with inputs, and no change", async () => {
    const r = await measured("read", () => w.engine.refresh(T, "t"));
    expect(r.op).toBe("refresh");
    expect(r.state!.inputs).toMatchObject({ tenantId: D, name: "Java service", language: "Java", isShowSource: true, variables: base.variables });
    expect(JSON.parse(r.state!.inputs.definition)).toEqual({ stages });
  });

  test("no-op: the same inputs, and a reformatted definition string, diff to no change and make no API call", async () => {
    const r = await measured("no-op", () => w.engine.up(T, "t", base));
    expect(r.op).toBe("same");
    expect(r.diff!.changes).toBe("DIFF_NONE");
    const reformatted = `{\n  "stages": ${JSON.stringify(
      stages.map(({ sequence, jobs, name }) => ({ sequence, jobs, name })),
      null,
      4,
    )}\n}`;
    const mark = w.emu.log.mark();
    const again = await w.engine.up(T, "t", { ...base, definition: reformatted, tenantId: D });
    expect(again.op).toBe("same");
    expect(w.callsSince(mark)).toBe(0);
  });

  test("preview with an unknown definition plans an in-place update", async () => {
    const r = await w.engine.preview(T, "t", { ...base, definition: UNKNOWN });
    expect(r.failures ?? []).toEqual([]);
    expect(r.diff).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  });

  test("update: name, description, variables and definition change in place with one full-body PUT", async () => {
    const next = {
      ...base,
      name: "Java service v2",
      description: "Build and check",
      variables: [],
      definition: JSON.stringify({ stages: [...stages, { name: "Check", sequence: 1, jobs: [] }] }),
    };
    const mark = w.emu.log.mark();
    const r = await measured("update", () => w.engine.up(T, "t", next));
    expect(r.op).toBe("update");
    expect(r.state!.id).toBe(id);
    expect(w.emu.log.since(mark).map((e) => `${e.method} ${e.operation}`)).toEqual(["PUT PipelineTemplate.update", "GET PipelineTemplate.get"]);
    const t = (await remote(id))!;
    expect(t).toMatchObject({ name: "Java service v2", description: "Build and check", language: "Java", is_show_source: true, variables: [] });
    expect(JSON.parse(t.definition).stages).toHaveLength(2);
    expect(r.state!.outputs.variables).toBeUndefined();
    expect((await w.engine.up(T, "t", next)).op).toBe("same");
  });

  test("drift: a change behind the provider's back shows on refresh and is undone by up", async () => {
    const t = (await remote(id))!;
    await w.outOfBand.send({
      service: "pipeline",
      method: "PUT",
      path: templatePath(id),
      operation: "Test.update",
      body: { name: "Edited in console", language: "none", description: "", definition: '{"stages": []}', is_system: false, domain_id: D, is_show_source: false, variables: [] },
    });
    const r = await w.engine.refresh(T, "t");
    expect(r.state!.inputs).toMatchObject({ name: "Edited in console", language: "none", isShowSource: false, definition: '{"stages":[]}' });
    expect(r.state!.inputs.description).toBeUndefined();
    const up = await w.engine.up(T, "t", { ...base, name: t.name, description: t.description, variables: [], definition: t.definition });
    expect(up.op).toBe("update");
    expect(await remote(id)).toMatchObject({ name: "Java service v2", language: "Java", is_show_source: true, description: "Build and check" });
  });

  test("a tenant change replaces the template, and the preview names tenantId", async () => {
    const r = await w.engine.preview(T, "t", { ...base, tenantId: SECOND_ACCOUNT.domainId });
    expect(r.op).toBe("replace");
    expect(r.diff!.replaces).toEqual(["tenantId"]);
    // The reason reaches the user through the provider's log.
    expect(await hostLogged("replacing because a template belongs to one tenant")).toBe(true);
  });

  test("deleted out of band: refresh reports it gone, the next up re-creates it", async () => {
    await w.outOfBand.send({ service: "pipeline", method: "DELETE", path: templatePath(id), operation: "Test.delete" });
    const r = await w.engine.refresh(T, "t");
    expect(r.op).toBe("gone");
    const again = await w.engine.up(T, "t", base);
    expect(again.op).toBe("create");
    expect(again.state!.id).not.toBe(id);
    id = again.state!.id;
  });

  test("delete, and delete again when already gone (HTTP 400 DEVCP.00021006), both succeed", async () => {
    const state = [...w.engine.state.values()].find((s) => s.name === "t")!;
    await measured("delete", () => w.engine.destroy(T, "t"));
    expect(await remote(id)).toBeUndefined();
    const mark = w.emu.log.mark();
    await expect(w.host.delete(state.id, state.urn, state.outputs)).resolves.toBeUndefined();
    expect(w.emu.log.since(mark)).toEqual([expect.objectContaining({ method: "DELETE", status: 400 })]);
  });
});

describe("adoption, get, errors", () => {
  const made = async (name: string) =>
    (
      await w.outOfBand.send<{ templateId: string }>({
        service: "pipeline",
        method: "POST",
        path: templatePath(),
        operation: "Test.create",
        body: { name, language: "none", definition: JSON.stringify({ stages }), is_system: false, domain_id: D, is_show_source: true },
      })
    ).body.templateId;

  test("adoptId takes an existing template under management and converges it with one PUT", async () => {
    const existing = await made("Legacy template");
    const mark = w.emu.log.mark();
    const r = await measured("adopt", () => w.engine.up(T, "adopted", { ...base, name: "Legacy template (managed)", adoptId: existing }));
    expect(r.op).toBe("create");
    expect(r.state!.id).toBe(existing);
    expect(w.emu.log.since(mark).filter((e) => e.operation === "PipelineTemplate.create")).toHaveLength(0);
    expect(await remote(existing)).toMatchObject({ name: "Legacy template (managed)", language: "Java" });
    expect((await w.engine.refresh(T, "adopted")).state!.inputs.adoptId).toBe(existing);
    expect((await w.engine.up(T, "adopted", { ...base, name: "Legacy template (managed)", adoptId: existing })).op).toBe("same");
    await w.engine.destroy(T, "adopted");
    expect(await remote(existing)).toBeUndefined();
  });

  test("adoptId of a template that does not exist fails without creating anything", async () => {
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "ghost", { ...base, adoptId: "0".repeat(32) })).rejects.toThrow(/adoptId "0{32}" names no existing object/);
    expect(w.emu.log.since(mark).filter((e) => e.method !== "GET")).toHaveLength(0);
  });

  test("PipelineTemplate.get reads a template by id or <tenantId>/<templateId>", async () => {
    const existing = await made("Read only template");
    expect((await w.engine.get(T, "ro1", existing)).state!.outputs).toMatchObject({ name: "Read only template", domainId: D });
    expect((await w.engine.get(T, "ro2", `${D}/${existing}`)).state!.outputs).toMatchObject({ name: "Read only template" });
    expect((await w.engine.get(T, "ro3", "0".repeat(32))).op).toBe("gone");
  });

  test.each(["", ".", "..", "<tenant>/"])("read and delete of the id %j are refused before any request (an empty id is not the collection's path)", async (form) => {
    const kept = (await w.engine.up(T, "kept", { ...base, name: "Kept" })).state!;
    const id = form.replace("<tenant>", D);
    const mark = w.emu.log.mark();
    await expect(w.host.read(id, kept.urn, kept.outputs)).rejects.toThrow(/cannot be used as a pipeline template id in a request path/);
    await expect(w.host.delete(id, kept.urn, kept.outputs)).rejects.toThrow(/cannot be used as a pipeline template id in a request path/);
    expect(w.emu.log.since(mark)).toEqual([]);
    expect(await remote(kept.id)).toMatchObject({ name: "Kept" });
  });

  test("an API error surfaces with HTTP status, error_code, error_msg and request id", async () => {
    // Another account's tenant: the service answers DEVPIPE.0011301 inside HTTP 200.
    const e: Error = await w.engine.up(T, "foreign", { ...base, tenantId: SECOND_ACCOUNT.domainId }).catch((x) => x);
    // The first call to the foreign tenant is the listing of same-named templates (see naturalKey).
    expect(e.message).toMatch(/PipelineTemplate\.list for Java service failed: HTTP 200 DEVPIPE\.0011301: No permission\. \(request id [0-9a-f]{32}\)/);
    expect(w.engine.state.has(w.engine.urn(T, "foreign"))).toBe(false);
  });

  test("a create whose follow-up read fails keeps the template in state (nothing orphaned) and the next up finishes it", async () => {
    w.emu.faults.inject({ method: "GET", path: `/v5/${D}/api/pipeline-templates/*`, fault: { type: "status", status: 503 }, times: 10 });
    const e = await w.engine.up(T, "partial", { ...base, name: "Partial" }).catch((x) => x);
    w.emu.faults.clear();
    expect(e).toBeInstanceOf(InitFailedError);
    const st = w.engine.state.get(w.engine.urn(T, "partial"))!;
    expect(st.initErrors?.[0]).toMatch(/HTTP 503/);
    expect(await remoteByName("Partial")).toEqual([{ id: st.id, name: "Partial" }]);
    const r = await w.engine.up(T, "partial", { ...base, name: "Partial" });
    expect(r.op).toBe("update");
    expect(r.state!.id).toBe(st.id);
    expect(r.state!.outputs.createTime).toEqual(expect.any(Number));
    expect(await remoteByName("Partial")).toHaveLength(1);
    await w.engine.destroy(T, "partial");
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const ok = { name: "x", language: "none", isShowSource: true, definition: { stages: [] } };
  const without = (k: keyof typeof ok) => Object.fromEntries(Object.entries(ok).filter(([key]) => key !== k));
  const variable = (v: Record<string, unknown>) => ({ ...ok, variables: [v] });
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing name", without("name"), "name", /is required/],
    ["empty name", { ...ok, name: "" }, "name", /must not be empty/],
    ["blank name", { ...ok, name: "   " }, "name", /must not be empty or blank/],
    ["name of the wrong type", { ...ok, name: 7 }, "name", /expected string/],
    ["missing language", without("language"), "language", /is required/],
    ["empty language", { ...ok, language: "" }, "language", /must not be empty/],
    ["language of the wrong type", { ...ok, language: ["Java"] }, "language", /expected string/],
    ["missing isShowSource", without("isShowSource"), "isShowSource", /is required/],
    ["isShowSource of the wrong type", { ...ok, isShowSource: "yes" }, "isShowSource", /expected boolean/],
    ["missing definition", without("definition"), "definition", /is required/],
    ["definition of the wrong type", { ...ok, definition: 42 }, "definition", /a JSON object, or a string holding one/],
    ["definition string that is not JSON", { ...ok, definition: "{'stages': []}" }, "definition", /does not hold a JSON object/],
    ["definition string holding an array", { ...ok, definition: "[]" }, "definition", /does not hold a JSON object/],
    ["definition without stages", { ...ok, definition: { jobs: [] } }, "definition", /must include stages/],
    ["definition whose stages is not an array", { ...ok, definition: '{"stages": {}}' }, "definition", /must include stages, an array/],
    ["description of the wrong type", { ...ok, description: false }, "description", /expected string/],
    ["tenantId of the wrong form", { ...ok, tenantId: "my-account" }, "tenantId", /32 lower-case hexadecimal/],
    ["adoptId of the wrong form", { ...ok, adoptId: "T-1" }, "adoptId", /32 lower-case hexadecimal/],
    ["variables not an array", { ...ok, variables: { name: "a" } }, "variables", /expected array/],
    ["variable sequence not an integer", variable({ sequence: 1.5 }), "variables[0].sequence", /must be an integer/],
    ["variable sequence beyond 32 bits", variable({ sequence: 2 ** 31 }), "variables[0].sequence", /32-bit integer/],
    ["variable value of the wrong type", variable({ value: 3 }), "variables[0].value", /expected string/],
    ["variable isSecret of the wrong type", variable({ isSecret: "true" }), "variables[0].isSecret", /expected boolean/],
    ["variable limits item not an object", variable({ limits: ["a"] }), "variables[0].limits[0]", /must be an object/],
    ["misspelt variable field", variable({ is_secret: true }), "variables[0].is_secret", /is not a property of PipelineTemplate/],
    ["misspelt property", { ...ok, is_show_source: true }, "is_show_source", /is not a property of PipelineTemplate/],
  ];
  test("cases per kind", () => console.log(`PipelineTemplate bad-input cases: ${cases.length}`));
  test.each(cases)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("PipelineTemplate", calls)).toEqual([]);
});
