import { DEFAULT_ACCOUNT, SECOND_ACCOUNT, startEmulator, type Emulator } from "../emulator";
import { RUN_MS, STOP_SETTLE_MS } from "../emulator/services/pipelines";
import { ApiClient, ApiError, loadSettings } from "../provider";

/*
 * The emulated template and pipeline APIs seen from a plain client (CodeArts Pipeline API Reference §4.1, §4.2, §4.3.5):
 * the documented quirks, the mandatory fields, and runs over (emulator) time.
 */
let emu: Emulator;
let client: ApiClient;
let offsetMs = 0; // the emulator's clock runs this far ahead
const D = DEFAULT_ACCOUNT.domainId;
const P = DEFAULT_ACCOUNT.codeartsProjects[0];

type Answer = { status: number; body: any };
/** The answer as it came, errors inside HTTP 200 included. */
async function call(method: "GET" | "POST" | "PUT" | "DELETE", pathAndQuery: string, body?: unknown): Promise<Answer> {
  // A query goes in `query` (what the signature covers); a `?` in a path is refused by the client.
  const [path, search] = pathAndQuery.split("?");
  const query = search ? Object.fromEntries(new URLSearchParams(search)) : undefined;
  try {
    const r = await client.send({ service: "pipeline", method, path, query, body, operation: "Test", isSuccess: () => true });
    return { status: r.status, body: r.body };
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body };
    throw e;
  }
}
const error = (code: string) => expect.objectContaining({ error_code: code, error_msg: expect.any(String) });
const tpl = (id = "") => `/v5/${D}/api/pipeline-templates${id ? `/${id}` : ""}`;
const pl = (path: string) => `/v5/${P}/api/pipelines${path}`;
const templateBody = { name: "T", language: "none", definition: '{"stages":[]}', is_system: false, domain_id: D, is_show_source: true };

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true, clock: () => new Date(Date.now() + offsetMs) });
  client = new ApiClient({
    ...loadSettings(() => undefined, {}),
    region: "cn-north-4",
    accessKey: DEFAULT_ACCOUNT.accessKey,
    secretKey: DEFAULT_ACCOUNT.secretKey,
    domainId: D,
    endpoints: { "*": emu.url },
    maxRetries: 0,
  });
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

describe("templates (§4.1)", () => {
  test("create answers camelCase templateId, update too; delete answers templatelId", async () => {
    const made = await call("POST", tpl(), templateBody);
    expect(made).toEqual({ status: 200, body: { templateId: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const id = made.body.templateId;
    expect((await call("PUT", tpl(id), { ...templateBody, name: "T2" })).body).toEqual({ templateId: id });
    expect((await call("GET", tpl(id))).body).toMatchObject({ id, name: "T2", is_collect: null, variables: null, domain_id: D }); // L5 null: unset fields read back null
    expect((await call("DELETE", tpl(id))).body).toEqual({ templatelId: id });
  });

  test("a missing template is HTTP 400 DEVCP.00021006 (§5.2), for GET, PUT and DELETE", async () => {
    const none = "0".repeat(32);
    for (const [method, body] of [["GET"], ["PUT", templateBody], ["DELETE"]] as const) {
      expect(await call(method, tpl(none), body)).toEqual({ status: 400, body: error("DEVCP.00021006") });
    }
  });

  test.each(["name", "language", "definition", "is_system", "domain_id", "is_show_source"])("create without mandatory %s is DEVCP.00014004 in HTTP 200", async (field) => {
    const body = Object.fromEntries(Object.entries(templateBody).filter(([k]) => k !== field));
    expect(await call("POST", tpl(), body)).toEqual({ status: 200, body: error("DEVCP.00014004") });
  });

  test.each([
    ["a definition that is not JSON", { definition: "{'stages': []}" }],
    ["a definition without stages", { definition: '{"jobs": []}' }],
    ["another tenant's domain_id", { domain_id: SECOND_ACCOUNT.domainId }],
    ["is_system as a string", { is_system: "false" }],
    ["a variable sequence that is not an integer", { variables: [{ sequence: 1.5 }] }],
    ["variable limits of strings", { variables: [{ limits: ["a"] }] }],
  ])("create with %s is DEVCP.00014004", async (_label, change) => {
    expect((await call("POST", tpl(), { ...templateBody, ...change })).body).toEqual(error("DEVCP.00014004"));
  });

  test("another tenant in the path is DEVPIPE.0011301 in HTTP 200", async () => {
    expect(await call("POST", `/v5/${SECOND_ACCOUNT.domainId}/api/pipeline-templates`, templateBody)).toEqual({ status: 200, body: error("DEVPIPE.0011301") });
  });

  test("the list takes paging in the body, accepts the §4.1.1 example, and includes system templates", async () => {
    for (const name of ["page-a", "page-b", "page-c"]) await call("POST", tpl(), { ...templateBody, name });
    const example = await call("POST", tpl("list"), { is_system: "", offset: 0, limit: 3, name: "" });
    expect(example.body).toMatchObject({ offset: 0, limit: 3, total: 6, templates: expect.any(Array) });
    expect(example.body.templates).toHaveLength(3);
    const own = await call("POST", tpl("list"), { is_system: false, name: "page-", sort_key: "name", sort_dir: "asc", offset: 1, limit: 5 });
    expect(own.body.templates.map((t: { name: string }) => t.name)).toEqual(["page-b", "page-c"]);
    expect(own.body.total).toBe(3);
    const system = await call("POST", tpl("list"), { is_system: true });
    expect(system.body.templates).toEqual(expect.arrayContaining([expect.objectContaining({ domain_id: "system", region: "system", is_system: true })]));
    expect((await call("POST", tpl("list"), { sort_key: "size" })).body).toEqual(error("DEVCP.00014004"));
  });

  test("system templates can be read and used, not changed", async () => {
    const id = "8ea4d170ba0d45d9b1b647a9780ebcf8";
    expect((await call("GET", tpl(id))).body).toMatchObject({ name: "Get Started", is_system: true });
    expect((await call("PUT", tpl(id), templateBody)).body).toEqual(error("DEVPIPE.0011301"));
    expect((await call("DELETE", tpl(id))).body).toEqual(error("DEVPIPE.0011301"));
  });

  test("the definition comes back as sent (L4 verbatim) or rewritten by the service (L4 normalised)", async () => {
    const definition = '{"stages":[{"sequence":"0","name":"Phase _1","jobs":[],"post":null}]}';
    const id = (await call("POST", tpl(), { ...templateBody, definition })).body.templateId;
    expect((await call("GET", tpl(id))).body.definition).toBe(definition);
    emu.dialect.set({ L4: "normalised" });
    try {
      const id2 = (await call("POST", tpl(), { ...templateBody, definition })).body.templateId;
      expect((await call("GET", tpl(id2))).body.definition).toBe('{"stages": [{"jobs": [], "name": "Phase _1", "sequence": 0}]}');
    } finally {
      emu.dialect.reset();
    }
  });
});

describe("pipelines (§4.2) and moves (§4.3.5)", () => {
  const definition = JSON.stringify({
    stages: [{ name: "S", sequence: 0, jobs: [{ name: "J", identifier: "job-1", steps: [{ name: "shell", task: "official_shell_plugin" }] }] }],
  });
  const create = async (body: Record<string, unknown> = {}) => (await call("POST", pl(""), { definition, ...body })).body;

  test("create (§4.2.9) needs nothing; an unnamed pipeline gets the service's name; types are checked", async () => {
    const made = await create({ definition: undefined });
    expect(made).toEqual({ pipeline_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const list = await call("POST", pl("/list"), { offset: 0, limit: 100, name: "New Pipeline-" });
    expect(list.body.pipelines.map((p: { pipeline_id: string }) => p.pipeline_id)).toContain(made.pipeline_id);
    expect(await create({ is_publish: "no" })).toEqual(error("DEVCP.00014004"));
    expect(await create({ definition: "not json" })).toEqual(error("DEVCP.00014004"));
    expect(await create({ sources: [{ params: { alias: "bad-alias" } }] })).toEqual(error("DEVCP.00014004"));
    expect(await create({ group_id: "0".repeat(32) })).toEqual(error("DEVPIPE.00014007"));
  });

  test("create from a template (§4.2.8): name, is_publish and sources are mandatory; a missing template is HTTP 400", async () => {
    const t = (await call("POST", tpl(), { ...templateBody, definition })).body.templateId;
    const path = `/v5/${P}/api/pipeline-templates/${t}/create-pipeline`;
    const body = { name: "from T", is_publish: false, sources: [] };
    for (const field of Object.keys(body)) {
      expect((await call("POST", path, Object.fromEntries(Object.entries(body).filter(([k]) => k !== field)))).body).toEqual(error("DEVCP.00014004"));
    }
    expect((await call("POST", path, { ...body, variables: [{ limits: [{ a: 1 }] }] })).body).toEqual(error("DEVCP.00014004"));
    expect((await call("POST", path, body)).body).toEqual({ pipeline_id: expect.any(String) });
    expect(await call("POST", `/v5/${P}/api/pipeline-templates/${"0".repeat(32)}/create-pipeline`, body)).toEqual({ status: 400, body: error("DEVCP.00021006") });
  });

  test("the list pages with offset and limit in the body, and filters by group path", async () => {
    const g = (await call("POST", `/v5/${P}/api/pipeline-group/create`, { name: "G", project_id: P, parent_id: "" })).body;
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await create({ name: `paged-${i}`, group_id: g.id })).pipeline_id);
    const p1 = await call("POST", pl("/list"), { name: "paged-", offset: 0, limit: 2 });
    const p2 = await call("POST", pl("/list"), { name: "paged-", offset: 2, limit: 2 });
    expect(p1.body).toMatchObject({ offset: 0, limit: 2, total: 3 });
    expect([...p1.body.pipelines, ...p2.body.pipelines].map((p: { pipeline_id: string }) => p.pipeline_id).sort()).toEqual([...ids].sort());
    const grouped = await call("POST", pl("/list"), { group_path_id: g.path_id, by_group: true, limit: 10 });
    expect(grouped.body.pipelines.map((p: { pipeline_id: string }) => p.pipeline_id).sort()).toEqual([...ids].sort());
    const ungrouped = await call("POST", pl("/list"), { by_group: true, limit: 100 });
    expect(ungrouped.body.pipelines.map((p: { pipeline_id: string }) => p.pipeline_id)).not.toContain(ids[0]);
    expect((await call("POST", pl("/list"), { offset: -1 })).body).toEqual(error("DEVCP.00014004"));
  });

  test("move (§4.3.5) answers per item inside HTTP 200", async () => {
    const g = (await call("POST", `/v5/${P}/api/pipeline-group/create`, { name: "M", project_id: P, parent_id: "" })).body;
    const id = (await create({ name: "movable" })).pipeline_id;
    const r = await call("POST", `/v5/${P}/api/pipeline-group/pipeline/move`, {
      group_id: g.id,
      pipelines: [
        { pipeline_id: id, pipeline_name: "movable" },
        { pipeline_id: "0".repeat(32), pipeline_name: "ghost" },
      ],
    });
    expect(r).toEqual({
      status: 200,
      body: [
        { code: "success", pipeline_id: id, pipeline_name: "movable" },
        { code: "failed", pipeline_id: "0".repeat(32), pipeline_name: "ghost" },
      ],
    });
  });

  test("a run keeps the pipeline RUNNING; delete is DEVPIPE.0011408 in HTTP 200 until a stop lands", async () => {
    const id = (await create({ name: "runner" })).pipeline_id;
    const run = (await call("POST", pl(`/${id}/run`), {})).body.pipeline_run_id;
    expect(run).toMatch(/^[0-9a-f]{32}$/);
    expect(await call("POST", pl("/status"), [id])).toEqual({
      status: 200,
      body: [expect.objectContaining({ pipeline_id: id, pipeline_run_id: run, status: "RUNNING", run_number: 1 })],
    });
    expect(await call("DELETE", pl(`/${id}`))).toEqual({ status: 200, body: error("DEVPIPE.0011408") });
    expect((await call("POST", pl(`/${id}/pipeline-runs/${run}/stop`))).body).toEqual({ success: true });
    expect((await call("DELETE", pl(`/${id}`))).body).toEqual(error("DEVPIPE.0011408")); // the stop has not landed yet
    offsetMs += STOP_SETTLE_MS;
    const runs = await call("POST", pl(`/${id}/pipeline-runs/list`), {
      offset: 0,
      limit: 10,
      status: ["COMPLETED", "RUNNING", "FAILED", "CANCELED"],
      sort_key: "start_time",
      sort_dir: "DESC",
      start_time: 1677513600000,
      end_time: Date.now() + offsetMs,
    }); // the §4.2.7 example's body: times as numbers, "DESC"
    expect(runs.body).toMatchObject({ total: 1, pipeline_runs: [{ pipeline_run_id: run, status: "CANCELED", end_time: expect.any(Number) }] });
    expect((await call("PUT", pl(`/${id}/pipeline-runs/${run}/retry`))).body).toEqual({ success: true });
    expect((await call("GET", pl(`/${id}/pipeline-runs/detail?pipeline_run_id=${run}`))).body).toMatchObject({ id: run, status: "RUNNING" });
    offsetMs += RUN_MS;
    expect((await call("GET", pl(`/${id}/pipeline-runs/detail`))).body).toMatchObject({ id: run, status: "COMPLETED", stages: [{ name: "S", jobs: [{ name: "J" }] }] });
    expect((await call("DELETE", pl(`/${id}`))).body).toEqual({ pipeline_id: id });
    expect((await call("DELETE", pl(`/${id}`))).body).toEqual(error("DEVPIPE.0011401"));
  });

  test("run options: choose_jobs empty or unknown; manual review pass and refuse; step logs", async () => {
    const id = (await create({ name: "reviewed" })).pipeline_id;
    expect((await call("POST", pl(`/${id}/run`), { choose_jobs: [] })).body).toEqual(error("DEVPIPE.0011129"));
    expect((await call("POST", pl(`/${id}/run`), { choose_jobs: ["nope"] })).body).toEqual(error("DEVPIPE.0011132"));
    expect((await call("POST", pl(`/${id}/run`), { sources: [{ type: "code", params: { git_type: "codehub" } }] })).body).toEqual(error("DEVCP.00014004"));
    const run = (await call("POST", pl(`/${id}/run`), { choose_jobs: ["job-1"], variables: [{ name: "k", value: "v" }] })).body.pipeline_run_id;
    const detail = (await call("GET", pl(`/${id}/pipeline-runs/detail?pipeline_run_id=${run}`))).body;
    const job = detail.stages[0].jobs[0];
    const stepPath = pl(`/${id}/pipeline-runs/${run}/jobs/${job.id}/steps/${job.steps[0].id}`);
    expect((await call("POST", `${stepPath}/logs`, { limit: 500 })).body).toEqual(error("DEVCP.00014004")); // sort is mandatory
    expect((await call("POST", `${stepPath}/logs`, { limit: 500, sort: "asc" })).body).toMatchObject({
      has_more: false,
      step_run_id: job.steps[0].id,
      log: expect.stringContaining("shell"),
    });
    expect((await call("POST", `${stepPath}/pass`)).body).toEqual({ success: true });
    expect((await call("POST", pl(`/${id}/pipeline-runs/${run}/jobs/${job.id}/steps/${"0".repeat(32)}/pass`))).body).toEqual(error("DEVPIPE.0011132"));
    expect((await call("POST", `${stepPath}/refuse`)).body).toEqual({ success: true });
    expect((await call("GET", pl(`/${id}/pipeline-runs/detail?pipeline_run_id=${run}`))).body.status).toBe("FAILED");
    expect((await call("DELETE", pl(`/${id}`))).body).toEqual({ pipeline_id: id }); // a failed run does not block
  });
});
