import { stackConfig, startWorld, World } from "./support/world";

// Edge cases of safe creates (provider/dynamic.ts createSafely) that the fault matrix does not reach:
// a concurrent creator of the same name, a create that fails every time, and no retries allowed.
const T = "PipelineGroup";
const groupsNamed = (w: World, name: string) =>
  Object.values(w.emu.store.snapshot().pipelineGroups ?? {})
    .flatMap((byId) => Object.values(byId))
    .filter((g) => (g as { name: string }).name === name);

describe("with a 1 s request timeout and 3 retries", () => {
  let w: World;
  let P: string;
  beforeAll(async () => {
    w = await startWorld({ config: (emu) => ({ ...stackConfig(emu), "huaweicloud:requestTimeout": "1" }) });
    P = w.account.codeartsProjects[0];
  });
  afterAll(async () => {
    await w.close();
  });

  test("someone else creates the same name while our create hangs: refused, both listed, nothing recorded", async () => {
    w.emu.faults.inject({ method: "POST", path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "hang-after-commit" } });
    const mark = w.emu.log.mark();
    const up = w.engine.up(T, "contested", { projectId: P, name: "Contested" }).catch((e: Error) => e);
    while (!w.emu.log.since(mark).some((e) => e.operation === "PipelineGroup.create")) await new Promise((r) => setTimeout(r, 10));
    await w.outOfBand.send({
      service: "pipeline",
      method: "POST",
      path: `/v5/${P}/api/pipeline-group/create`,
      body: { name: "Contested", project_id: P, parent_id: "" },
      operation: "Test.create",
    });
    const e = await up;
    expect(e).toBeInstanceOf(Error);
    const ids = groupsNamed(w, "Contested").map((g) => (g as { id: string }).id);
    expect(ids).toHaveLength(2);
    expect((e as Error).message).toMatch(/2 matching objects appeared meanwhile/);
    for (const id of ids) expect((e as Error).message).toContain(id);
    expect((e as Error).message).toMatch(/adoptId/);
    expect(w.engine.state.has(w.engine.urn(T, "contested"))).toBe(false);
  });

  test("the create is applied but its answer and the look-up both fail: the error says the object may exist unrecorded", async () => {
    w.emu.faults.inject({ method: "POST", path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "commit-then-fail" } });
    // The listing before the create is served (rules fire in order: a no-op rule takes the first tree read), every later one fails.
    const tree = "/v5/{project_id}/api/pipeline-group/tree";
    w.emu.faults.inject({ method: "GET", path: tree, fault: { type: "latency", ms: 0 } });
    w.emu.faults.inject({ method: "GET", path: tree, fault: { type: "status", status: 503 }, times: 10 });
    const e = await w.engine.up(T, "unknowable", { projectId: P, name: "Unknowable" }).catch((x: Error) => x);
    w.emu.faults.clear();
    expect((e as Error).message).toMatch(/the create failed .*HTTP 500.* and so did the look-up .*HTTP 503.*may exist without being recorded.*adoptId/s);
    expect(w.engine.state.has(w.engine.urn(T, "unknowable"))).toBe(false);
    expect(groupsNamed(w, "Unknowable")).toHaveLength(1); // it does exist: the message is right to warn
  });

  test("a create that fails before the change every time: sent 1 + maxRetries times, each after a look-up; nothing left behind", async () => {
    w.emu.faults.inject({ method: "POST", path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "status", status: 503 }, times: 10 });
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "doomed", { projectId: P, name: "Doomed" })).rejects.toThrow(/HTTP 503/);
    w.emu.faults.clear();
    const ops = w.emu.log.since(mark).map((e) => e.operation);
    expect(ops.filter((o) => o === "PipelineGroup.create")).toHaveLength(4);
    expect(ops.filter((o) => o === "PipelineGroup.tree")).toHaveLength(5); // before, then after each failure
    expect(groupsNamed(w, "Doomed")).toEqual([]);
    expect(w.engine.state.has(w.engine.urn(T, "doomed"))).toBe(false);
  });
});

describe("with retries switched off (maxRetries 0)", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ config: (emu) => ({ ...stackConfig(emu), "huaweicloud:maxRetries": "0" }) });
  });
  afterAll(async () => {
    await w.close();
  });

  test("what a failed create made is still looked up and recorded, never orphaned", async () => {
    const P = w.account.codeartsProjects[0];
    w.emu.faults.inject({ method: "POST", path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "commit-then-fail" } });
    const r = await w.engine.up(T, "kept", { projectId: P, name: "Kept" });
    expect(r.op).toBe("create");
    expect(groupsNamed(w, "Kept").map((g) => (g as { id: string }).id)).toEqual([r.state!.id]);
  });

  test("and a create that made nothing is not sent again: the step fails, nothing recorded", async () => {
    const P = w.account.codeartsProjects[0];
    w.emu.faults.inject({ method: "POST", path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "reset" } });
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "once", { projectId: P, name: "Once" })).rejects.toThrow();
    expect(w.emu.log.since(mark).filter((e) => e.operation === "PipelineGroup.create")).toHaveLength(1);
    expect(groupsNamed(w, "Once")).toEqual([]);
  });
});
