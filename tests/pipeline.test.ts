import { RUN_MS, STOP_SETTLE_MS } from "../emulator/services/pipelines";
import { deleteStoppingRuns } from "../provider/resources/pipeline";
import { UNKNOWN } from "./harness";
import { startWorld, World, expectRefusedAtCheck, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";

// Pipeline through the real dynamic-provider host, against the emulator, in the engine's order.
const T = "Pipeline";
let w: World;
let P: string;
let D: string;
const { calls, measured } = callCounter(() => w);
const groups: Record<"G1" | "G2", { id: string; path: string }> = {} as never;
let templateId: string;

/** The emulator's own record of a pipeline (its truth: group, definition, template). */
type Stored = {
  pipeline_id: string;
  name: string;
  group_id: string | null;
  description: string;
  definition: string | null;
  template_id: string | null;
  sources: unknown[];
  variables: Array<Record<string, unknown>>;
};
const stored = (id: string) => w.emu.store.collection<Stored>("pipelines").get(P, id);
const api = (path: string) => `/v5/${P}/api${path}`;
const send = <B = unknown>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown) =>
  w.outOfBand.send<B>({ service: "pipeline", method, path: api(path), body, operation: "Test" }).then((r) => r.body);

/** Pipeline ids the list answers for a filter, all pages. */
async function listed(filter: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 10) {
    const r = await send<{ total: number; pipelines: Array<{ pipeline_id: string }> }>("POST", "/pipelines/list", { ...filter, offset, limit: 10 });
    ids.push(...r.pipelines.map((p) => p.pipeline_id));
    if (offset + 10 >= r.total) return ids;
  }
}
const inGroup = (g: { path: string }) => listed({ group_path_id: g.path, by_group: true });
const createOutOfBand = async (name: string, extra: Record<string, unknown> = {}) =>
  (await send<{ pipeline_id: string }>("POST", "/pipelines", { name, definition: JSON.stringify({ stages: [] }), ...extra })).pipeline_id;
const runOutOfBand = async (id: string) => (await send<{ pipeline_run_id: string }>("POST", `/pipelines/${id}/run`, {})).pipeline_run_id;

/** Operations the emulator served since `mark`, as "METHOD operation status/error_code". */
const served = (mark: number) => w.emu.log.since(mark).map((e) => `${e.method} ${e.operation}`);
async function hostLogged(text: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (w.host.logs.some((l) => l.includes(text))) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

const definition = { stages: [{ name: "Build", sequence: 0, identifier: "s1", jobs: [{ name: "Compile", identifier: "job-1", sequence: 0, steps: [] }] }] };
const sources = [
  {
    type: "code",
    params: { gitType: "codehub", codehubId: "2111699317", defaultBranch: "master", gitUrl: "https://example.com/team/app.git", repoName: "app", alias: "app_repo" },
  },
];

beforeAll(async () => {
  w = await startWorld();
  P = w.account.codeartsProjects[0];
  D = w.account.domainId;
  for (const name of ["G1", "G2"] as const) {
    const g = await send<{ id: string; path_id: string }>("POST", "/pipeline-group/create", { name, project_id: P, parent_id: "" });
    groups[name] = { id: g.id, path: g.path_id };
  }
  const t = await w.outOfBand.send<{ templateId: string }>({
    service: "pipeline",
    method: "POST",
    path: `/v5/${D}/api/pipeline-templates`,
    operation: "Test",
    body: {
      name: "Service template",
      language: "none",
      definition: JSON.stringify(definition),
      is_system: false,
      domain_id: D,
      is_show_source: true,
      variables: [{ name: "env", value: "dev" }],
    },
  });
  templateId = t.body.templateId;
});
afterAll(async () => {
  // Figures for the issue note: API calls per operation.
  console.log(`Pipeline API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("Pipeline from a definition", () => {
  let declared = {
    name: "app-build",
    description: "Builds the app",
    isPublish: false,
    sources,
    variables: [{ name: "branch", value: "master", isRuntime: true, limits: [{ value: "master" }] }],
    definition,
  };
  let id: string;

  test("create: one pipeline in the project, in the declared group, with the declared definition", async () => {
    const r = await measured("create", () => w.engine.up(T, "p", { projectId: P, ...declared, groupId: groups.G1.id }));
    expect(r.op).toBe("create");
    id = r.state!.id;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.state!.outputs).toMatchObject({ name: "app-build", groupId: groups.G1.id, groupPathId: groups.G1.path });
    const s = stored(id)!;
    expect(s).toMatchObject({ name: "app-build", description: "Builds the app", group_id: groups.G1.id, template_id: null });
    expect(JSON.parse(s.definition!)).toEqual(definition);
    expect(s.sources).toEqual([
      {
        type: "code",
        params: { git_type: "codehub", codehub_id: "2111699317", default_branch: "master", git_url: "https://example.com/team/app.git", repo_name: "app", alias: "app_repo" },
      },
    ]);
    expect(s.variables[0]).toMatchObject({ name: "branch", value: "master", is_runtime: true, limits: [{ value: "master" }] });
    expect(await inGroup(groups.G1)).toEqual([id]);
  });

  test("read: refresh reads the group tree, lists the pipeline (exact id) and confirms its group (L1: no sub-group holds it)", async () => {
    const r = await measured("read", () => w.engine.refresh(T, "p"));
    expect(r.op).toBe("refresh");
    expect(r.state!.id).toBe(id);
    expect(r.state!.inputs).toMatchObject({ projectId: P, name: "app-build", isPublish: false, groupId: groups.G1.id, description: "Builds the app" });
    expect(calls.read).toBe(2); // the tree, then the group's filtered list (L1: sub-groups would be checked too)
  });

  test("no-op: the same inputs, and the definition reformatted, make no change and no API call", async () => {
    const r = await measured("no-op", () => w.engine.up(T, "p", { projectId: P, ...declared, groupId: groups.G1.id }));
    expect(r.op).toBe("same");
    const text = JSON.stringify({ stages: [{ jobs: definition.stages[0].jobs, identifier: "s1", sequence: 0, name: "Build" }] }, null, 2);
    const mark = w.emu.log.mark();
    expect((await w.engine.up(T, "p", { projectId: P, ...declared, definition: text, groupId: groups.G1.id })).op).toBe("same");
    expect(w.callsSince(mark)).toBe(0);
  });

  test("a new groupId moves the pipeline in place (§4.3.5): same id, read back through the group filter", async () => {
    const preview = await w.engine.preview(T, "p", { projectId: P, ...declared, groupId: groups.G2.id });
    expect(preview).toMatchObject({ op: "update", diff: { replaces: [] } });
    const r = await measured("move", () => w.engine.up(T, "p", { projectId: P, ...declared, groupId: groups.G2.id }));
    expect(r.op).toBe("update");
    expect(r.state!.id).toBe(id);
    expect(stored(id)!.group_id).toBe(groups.G2.id);
    expect(await inGroup(groups.G2)).toEqual([id]);
    expect(await inGroup(groups.G1)).toEqual([]);
  });

  test("drift: moved to another group out of band shows on refresh and is moved back by up", async () => {
    const moved = await send<Array<{ code: string }>>("POST", "/pipeline-group/pipeline/move", {
      group_id: groups.G1.id,
      pipelines: [{ pipeline_id: id, pipeline_name: "app-build" }],
    });
    expect(moved).toEqual([expect.objectContaining({ code: "success" })]);
    const r = await measured("read after a move out of band", () => w.engine.refresh(T, "p"));
    expect(r.state!.inputs.groupId).toBe(groups.G1.id);
    expect((await w.engine.up(T, "p", { projectId: P, ...declared, groupId: groups.G2.id })).op).toBe("update");
    expect(stored(id)!.group_id).toBe(groups.G2.id);
  });

  test("a change with the same name replaces, deleting first (the name stays unique); the preview says why", async () => {
    declared = { ...declared, description: "Builds and tests the app" };
    const next = { projectId: P, ...declared, groupId: groups.G2.id };
    const preview = await w.engine.preview(T, "p", next);
    expect(preview.op).toBe("replace");
    expect(preview.diff).toMatchObject({ replaces: ["description"], deleteBeforeReplace: true });
    expect(await hostLogged("replacing because the Pipeline API has no update")).toBe(true);
    const mark = w.emu.log.mark();
    const r = await measured("replace", () => w.engine.up(T, "p", next));
    expect(r.op).toBe("replace");
    // The name is listed first: after an ambiguous create, only a pipeline not listed before is ours.
    expect(served(mark)).toEqual(["DELETE Pipeline.delete", "POST Pipeline.list", "GET PipelineGroup.tree", "POST Pipeline.create"]);
    expect(stored(id)).toBeUndefined();
    id = r.state!.id;
    expect(stored(id)).toMatchObject({ name: "app-build", description: "Builds and tests the app", group_id: groups.G2.id });
  });

  test("a rename replaces too, creating the new pipeline first", async () => {
    const next = { projectId: P, ...declared, name: "app-ci", groupId: groups.G2.id };
    expect((await w.engine.preview(T, "p", next)).diff).toMatchObject({ replaces: ["name"], deleteBeforeReplace: false });
    const mark = w.emu.log.mark();
    const r = await w.engine.up(T, "p", next);
    expect(served(mark)).toEqual(["POST Pipeline.list", "GET PipelineGroup.tree", "POST Pipeline.create", "DELETE Pipeline.delete"]);
    expect(stored(id)).toBeUndefined();
    id = r.state!.id;
    expect(stored(id)!.name).toBe("app-ci");
  });

  test("read matches the id exactly, never the first result of the fuzzy name search", async () => {
    await w.engine.up(T, "svc", { projectId: P, name: "svc" });
    const mine = w.engine.state.get(w.engine.urn(T, "svc"))!.id;
    const lookalikes = [await createOutOfBand("svc-1"), await createOutOfBand("my svc")];
    const [first] = await listed({ name: "svc" });
    expect(lookalikes).toContain(first); // the newest come first
    const r = await w.engine.refresh(T, "svc");
    expect(r.state).toMatchObject({ id: mine, inputs: { name: "svc" } });
    await w.engine.destroy(T, "svc");
    expect(stored(mine)).toBeUndefined();
    for (const other of lookalikes) expect(stored(other)).toBeDefined();
  });

  test("a pipeline renamed in the console is found by paging the whole list, and up replaces it to restore the name", async () => {
    for (let i = 0; i < 12; i++) await createOutOfBand(`filler-${i}`);
    // No API renames a pipeline: change the service's record, as the console would.
    const records = w.emu.store.collection<Stored>("pipelines");
    records.put(P, id, { ...records.get(P, id)!, name: "renamed in console" });
    const mark = w.emu.log.mark();
    const r = await w.engine.refresh(T, "p");
    expect(r.state!.id).toBe(id);
    expect(r.state!.inputs.name).toBe("renamed in console");
    // One miss by name, then more than one page of the unfiltered list.
    expect(w.emu.log.since(mark).filter((e) => e.operation === "Pipeline.list").length).toBeGreaterThan(2);
    const up = await w.engine.up(T, "p", { projectId: P, ...declared, name: "app-ci", groupId: groups.G2.id });
    expect(up.op).toBe("replace");
    expect(stored(id)).toBeUndefined();
    id = up.state!.id;
    expect(stored(id)!.name).toBe("app-ci");
  });

  test("deleted out of band: refresh reports it gone, the next up re-creates it", async () => {
    await send("DELETE", `/pipelines/${id}`);
    const r = await measured("read after a delete out of band", () => w.engine.refresh(T, "p"));
    expect(r.op).toBe("gone");
    const again = await w.engine.up(T, "p", { projectId: P, ...declared, name: "app-ci", groupId: groups.G2.id });
    expect(again.op).toBe("create");
    id = again.state!.id;
  });

  test("delete of a running pipeline stops its run, then deletes it", async () => {
    const runId = await runOutOfBand(id);
    const state = [...w.engine.state.values()].find((s) => s.name === "p")!;
    const mark = w.emu.log.mark();
    const t0 = Date.now();
    await measured("delete a running pipeline", () => w.engine.destroy(T, "p"));
    const ops = served(mark);
    expect(ops.slice(0, 3)).toEqual(["DELETE Pipeline.delete", "POST Pipeline.runs", "POST Pipeline.stop"]);
    expect(ops[ops.length - 1]).toBe("DELETE Pipeline.delete");
    expect(w.emu.log.since(mark).filter((e) => e.operation === "Pipeline.stop")).toHaveLength(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(STOP_SETTLE_MS - 100);
    expect(stored(id)).toBeUndefined();
    expect(w.emu.store.collection<{ id: string }>("pipelineRuns").get(P, runId)).toBeUndefined();
    expect(await hostLogged(`stopping run ${runId}`)).toBe(true);
    // Deleting what is already gone succeeds.
    await expect(w.host.delete(state.id, state.urn, state.outputs)).resolves.toBeUndefined();
  });

  test("delete of an idle pipeline is one call", async () => {
    await w.engine.up(T, "idle", { projectId: P, name: "idle" });
    await measured("delete", () => w.engine.destroy(T, "idle"));
    expect(calls.delete).toBe(1);
  });
});

describe("Pipeline from a template", () => {
  const declared = () => ({ projectId: P, name: "svc-from-template", templateId, isPublish: true, sources, groupId: groups.G1.id });
  let id: string;

  test("create: §4.2.8 then a move into the group; the definition is the template's", async () => {
    const mark = w.emu.log.mark();
    const r = await measured("create from a template", () => w.engine.up(T, "fromTemplate", declared()));
    expect(r.op).toBe("create");
    expect(served(mark)).toEqual(["POST Pipeline.list", "GET PipelineGroup.tree", "POST Pipeline.createFromTemplate", "POST PipelineGroup.movePipelines"]);
    id = r.state!.id;
    const s = stored(id)!;
    expect(s).toMatchObject({ name: "svc-from-template", template_id: templateId, group_id: groups.G1.id });
    expect(JSON.parse(s.definition!)).toEqual(definition);
    expect(s.variables).toEqual([expect.objectContaining({ name: "env", value: "dev" })]);
    expect(await inGroup(groups.G1)).toContain(id);
  });

  test("read and no-op", async () => {
    expect((await w.engine.refresh(T, "fromTemplate")).state!.inputs).toMatchObject({ templateId, groupId: groups.G1.id, isPublish: true });
    const mark = w.emu.log.mark();
    expect((await w.engine.up(T, "fromTemplate", declared())).op).toBe("same");
    expect(w.callsSince(mark)).toBe(0);
  });

  test("groupId removed from the program: no API call, the pipeline stays in its group, the log says why", async () => {
    const { groupId: _g, ...ungrouped } = declared();
    const mark = w.emu.log.mark();
    const r = await w.engine.up(T, "fromTemplate", ungrouped);
    expect(r.op).toBe("update");
    expect(w.callsSince(mark)).toBe(0);
    expect(stored(id)!.group_id).toBe(groups.G1.id);
    expect(await hostLogged("the API cannot take a pipeline out of a group")).toBe(true);
    expect((await w.engine.refresh(T, "fromTemplate")).state!.inputs.groupId).toBeUndefined();
    expect((await w.engine.up(T, "fromTemplate", declared())).op).toBe("update");
  });

  test("a move whose per-item result is 'failed' (inside HTTP 200) is an error with the request id", async () => {
    const other = await createOutOfBand("gone soon");
    await w.engine.up(T, "failing", { projectId: P, name: "gone soon", adoptId: other });
    await send("DELETE", `/pipelines/${other}`); // the race: the pipeline goes between refresh and up
    const e: Error = await w.engine.up(T, "failing", { projectId: P, name: "gone soon", adoptId: other, groupId: groups.G2.id }).catch((x) => x);
    expect(e.message).toMatch(
      /Pipeline\.moveToGroup for [0-9a-f]{32} failed: HTTP 200: the move of pipeline [0-9a-f]{32} into group [0-9a-f]{32} came back "failed" \(request id [0-9a-f]{32}\)/,
    );
    await w.engine.destroy(T, "failing");
  });

  test("a new templateId replaces the pipeline", async () => {
    const preview = await w.engine.preview(T, "fromTemplate", { ...declared(), templateId: "8ea4d170ba0d45d9b1b647a9780ebcf8" });
    expect(preview).toMatchObject({ op: "replace", diff: { replaces: ["templateId"], deleteBeforeReplace: true } });
    expect(await hostLogged("a template is only used at creation")).toBe(true);
    const r = await w.engine.up(T, "fromTemplate", { ...declared(), templateId: "8ea4d170ba0d45d9b1b647a9780ebcf8" });
    expect(r.op).toBe("replace");
    expect(stored(id)).toBeUndefined();
    expect(stored(r.state!.id)).toMatchObject({ template_id: "8ea4d170ba0d45d9b1b647a9780ebcf8", group_id: groups.G1.id });
    await w.engine.destroy(T, "fromTemplate");
  });
});

describe("adoption and get", () => {
  test("adoptId takes an existing pipeline under management and moves it into the declared group", async () => {
    const existing = await createOutOfBand("legacy");
    const mark = w.emu.log.mark();
    const r = await measured("adopt", () => w.engine.up(T, "adopted", { projectId: P, name: "legacy", groupId: groups.G1.id, adoptId: existing }));
    expect(r.op).toBe("create");
    expect(r.state!.id).toBe(existing);
    expect(w.emu.log.since(mark).filter((e) => e.operation === "Pipeline.create")).toHaveLength(0);
    expect(stored(existing)!.group_id).toBe(groups.G1.id);
    expect((await w.engine.refresh(T, "adopted")).state!.inputs).toMatchObject({ adoptId: existing, groupId: groups.G1.id });
    await w.engine.destroy(T, "adopted");
    expect(stored(existing)).toBeUndefined();
  });

  test("adoption is refused, changing nothing, when a field that cannot change differs", async () => {
    const existing = await createOutOfBand("legacy-2");
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "adopt2", { projectId: P, name: "other name", adoptId: existing })).rejects.toThrow(
      /cannot adopt .*name is "legacy-2" there, declared "other name"/,
    );
    expect(w.emu.log.since(mark).filter((e) => e.method !== "POST" || e.operation !== "Pipeline.list")).toHaveLength(0);
    expect(stored(existing)!.name).toBe("legacy-2");
  });

  test("adoptId of a pipeline that does not exist fails without creating anything", async () => {
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "ghost", { projectId: P, name: "ghost", adoptId: "0".repeat(32) })).rejects.toThrow(/adoptId "0{32}" names no existing object/);
    expect(w.emu.log.since(mark).filter((e) => e.operation !== "Pipeline.list")).toHaveLength(0);
  });

  test("Pipeline.get reads an existing pipeline by <projectId>/<pipelineId>", async () => {
    const existing = await createOutOfBand("read-only");
    expect((await w.engine.get(T, "ro", `${P}/${existing}`)).state!.outputs).toMatchObject({ name: "read-only", projectId: P });
    expect((await w.engine.get(T, "ro2", `${P}/${"0".repeat(32)}`)).op).toBe("gone");
  });
});

describe("delete of a running pipeline, when the runs do not stop", () => {
  test("a stop that keeps failing: delete fails saying so, and the pipeline stays in the state and the service", async () => {
    await w.engine.up(T, "stuck", { projectId: P, name: "stuck" });
    const id = w.engine.state.get(w.engine.urn(T, "stuck"))!.id;
    await runOutOfBand(id);
    w.emu.faults.inject({ method: "POST", path: `/v5/${P}/api/pipelines/${id}/pipeline-runs/*/stop`, fault: { type: "status", status: 503 }, times: 10 });
    const e: Error = await w.engine.destroy(T, "stuck").catch((x) => x);
    w.emu.faults.clear();
    expect(e.message).toMatch(/Pipeline [0-9a-f]{32} was not deleted: it is running \(DEVPIPE\.0011408\) and stopping its run [0-9a-f]{32} failed: .*HTTP 503 APIG\.0202/);
    expect(stored(id)).toBeDefined();
    expect(w.engine.state.has(w.engine.urn(T, "stuck"))).toBe(true);
    await w.engine.destroy(T, "stuck");
    expect(stored(id)).toBeUndefined();
  });

  test("runs still running when the bounded wait ends: delete fails saying so", async () => {
    const id = await createOutOfBand("slow to stop");
    await runOutOfBand(id);
    const ctx = { client: w.outOfBand, settings: w.outOfBand.settings, log: () => undefined };
    await expect(deleteStoppingRuns(ctx, P, id, 300)).rejects.toThrow(
      /was not deleted: it is still running 0.3 s later although its runs [0-9a-f]{32} were asked to stop.*DEVPIPE\.0011408/,
    );
    expect(stored(id)).toBeDefined();
    await deleteStoppingRuns(ctx, P, id); // once the stop has landed
    expect(stored(id)).toBeUndefined();
    expect(RUN_MS).toBeGreaterThan(60_000); // a run outlasts any test: only a stop ends it
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const ok = { projectId: "0123456789abcdef0123456789abcdef", name: "x" };
  const omit = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
  const tpl = { ...ok, templateId: "0123456789abcdef0123456789abcdef", isPublish: false, sources: [] };
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing projectId", { name: "x" }, "projectId", /is required/],
    ["projectId of the wrong form", { ...ok, projectId: "proj" }, "projectId", /32 lower-case hexadecimal/],
    ["missing name", { projectId: ok.projectId }, "name", /is required/],
    ["blank name", { ...ok, name: " " }, "name", /must not be empty or blank/],
    ["name of the wrong type", { ...ok, name: 1 }, "name", /expected string/],
    ["description of the wrong type", { ...ok, description: 1 }, "description", /expected string/],
    ["isPublish of the wrong type", { ...ok, isPublish: "false" }, "isPublish", /expected boolean/],
    ["componentId of the wrong type", { ...ok, componentId: 5 }, "componentId", /expected string/],
    ["templateId of the wrong form", { ...tpl, templateId: "tpl-1" }, "templateId", /32 lower-case hexadecimal/],
    ["groupId of the wrong form", { ...ok, groupId: "G1" }, "groupId", /32 lower-case hexadecimal/],
    ["adoptId of the wrong form", { ...ok, adoptId: "abc" }, "adoptId", /32 lower-case hexadecimal/],
    ["sources not an array", { ...ok, sources: { type: "code" } }, "sources", /expected array/],
    ["source alias over 128 characters", { ...ok, sources: [{ params: { alias: "a".repeat(129) } }] }, "sources[0].params.alias", /at most 128 characters/],
    ["source alias with a hyphen", { ...ok, sources: [{ params: { alias: "my-repo" } }] }, "sources[0].params.alias", /only letters, digits and underscores/],
    ["misspelt source field", { ...ok, sources: [{ params: { git_url: "x" } }] }, "sources[0].params.git_url", /is not a property of Pipeline/],
    ["source type of the wrong type", { ...ok, sources: [{ type: 1 }] }, "sources[0].type", /expected string/],
    ["variable sequence not an integer", { ...ok, variables: [{ sequence: 0.5 }] }, "variables[0].sequence", /must be an integer/],
    ["variable limits of strings without templateId", { ...ok, variables: [{ limits: ["a"] }] }, "variables[0].limits[0]", /must be an object \(Table 4-92/],
    ["variable limits of objects with templateId", { ...tpl, variables: [{ limits: [{ a: 1 }] }] }, "variables[0].limits[0]", /must be a string with templateId/],
    ["variable pipelineId with templateId", { ...tpl, variables: [{ pipelineId: "p" }] }, "variables[0].pipelineId", /cannot be set with templateId/],
    ["variable runtimeValue with templateId", { ...tpl, variables: [{ runtimeValue: "v" }] }, "variables[0].runtimeValue", /cannot be set with templateId/],
    ["schedule enable of the wrong type", { ...ok, schedules: [{ enable: true }] }, "schedules[0].enable", /expected string/],
    ["schedule daysOfWeek not integers", { ...ok, schedules: [{ daysOfWeek: ["MON"] }] }, "schedules[0].daysOfWeek[0]", /expected number/],
    ["trigger isAutoCommit of the wrong type", { ...ok, triggers: [{ isAutoCommit: "yes" }] }, "triggers[0].isAutoCommit", /expected boolean/],
    ["trigger event enable of the wrong type", { ...ok, triggers: [{ events: [{ type: "push", enable: 1 }] }] }, "triggers[0].events[0].enable", /expected boolean/],
    ["manifestVersion of the wrong type", { ...ok, manifestVersion: 3 }, "manifestVersion", /expected string/],
    ["definition of the wrong type", { ...ok, definition: 3 }, "definition", /a JSON object, or a string holding one/],
    ["definition string that is not JSON", { ...ok, definition: "stages:" }, "definition", /does not hold a JSON object/],
    ["templateId without isPublish", omit(tpl, "isPublish"), "isPublish", /is required when templateId is set/],
    ["templateId without sources", omit(tpl, "sources"), "sources", /is required when templateId is set/],
    ["templateId with a definition", { ...tpl, definition: { stages: [] } }, "definition", /cannot be set with templateId/],
    ["templateId with schedules", { ...tpl, schedules: [] }, "schedules", /cannot be set with templateId/],
    ["templateId with triggers", { ...tpl, triggers: [] }, "triggers", /cannot be set with templateId/],
    ["templateId with manifestVersion", { ...tpl, manifestVersion: "3.0" }, "manifestVersion", /cannot be set with templateId/],
    ["templateId with projectName", { ...tpl, projectName: "demo" }, "projectName", /cannot be set with templateId/],
    ["misspelt property", { ...ok, group_id: "x" }, "group_id", /is not a property of Pipeline/],
  ];
  test("cases per kind", () => console.log(`Pipeline bad-input cases: ${cases.length}`));
  test.each(cases)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));

  test("an unknown groupId during preview is not a failure and plans a create", async () => {
    const r = await w.engine.preview(T, "later", { projectId: P, name: "later", groupId: UNKNOWN });
    expect(r.failures ?? []).toEqual([]);
    expect(r.op).toBe("create");
  });
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("Pipeline", calls)).toEqual([]);
});
