import { ApiClient } from "../provider/client";
import { ApiError } from "../provider/errors";
import { startEmulator, Emulator, DEFAULT_ACCOUNT, clientSettings, seedTestCases } from "../emulator";
import { request } from "undici";

// The emulator's CloudTest, COC and admin-seeding behaviour as the API references document it.
let emu: Emulator;
let c: ApiClient;
const P = DEFAULT_ACCOUNT.codeartsProjects[0];
const fails = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: ApiError) => [e.status, e.errorCode],
  );
const plans = (v: "v1" | "v2", query: Record<string, string | number>) =>
  c.send<any[]>({ service: "cloudtest", method: "GET", path: `/${v}/projects/${P}/plans`, query, operation: "Test.list" });

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  c = new ApiClient({ ...clientSettings(emu), maxRetries: 0 });
  for (let i = 0; i < 5; i++) {
    await c.send({
      service: "cloudtest",
      method: "POST",
      path: `/v1/projects/${P}/plans`,
      body: { name: `plan ${i}`, plan_cycle: { end_date: "2026-12-31" }, service_id_list: [1] },
      isSuccess: () => true,
      operation: "Test.create",
    });
  }
});
afterAll(async () => {
  await c.close();
  await emu.close();
});

test("CloudTest lists answer 201; v1 offset is a page number from 1, v2 offset a position from 0", async () => {
  const v1 = await plans("v1", { offset: 2, limit: 2 });
  const v2 = await plans("v2", { offset: 2, limit: 2 });
  expect([v1.status, v2.status]).toEqual([201, 201]);
  expect(v1.body.map((p) => p.name)).toEqual(v2.body.map((p) => p.name)); // page 2 of 2 = items 2..3
  expect(await fails(plans("v1", { offset: 0, limit: 2 }))).toEqual([400, "CLOUDTEST.00060001"]);
  expect(await fails(plans("v2", { limit: 2 }))).toEqual([400, "CLOUDTEST.00060001"]);
});

test("CloudTest create: success body carries error fields (201); a duplicate name is CLOUDTEST.00070009 with HTTP 500", async () => {
  const res = await request(`${emu.url}/v1/projects/${P}/plans`, { method: "POST" }).catch(() => undefined);
  expect(res?.statusCode).toBe(401); // unsigned: refused by the gateway
  const err = await fails(
    c.send({
      service: "cloudtest",
      method: "POST",
      path: `/v1/projects/${P}/plans`,
      body: { name: "plan 0", plan_cycle: { end_date: "2026-12-31" }, service_id_list: [1] },
      operation: "Test.create",
    }),
  );
  expect(err).toEqual([500, "CLOUDTEST.00070009"]);
});

test("admin seeding: CloudTest test cases and VPCEP records have no create API", async () => {
  const seed = (path: string, body: unknown) => request(`${emu.url}/__emulator/${path}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.statusCode);
  expect(await seed("cloudtest/testcases", { projectId: P, serviceId: 13, ids: ["a".repeat(32)] })).toBe(200);
  expect(await seed("vpceps", { domainId: DEFAULT_ACCOUNT.domainId, region: "ap-southeast-3", vpcepIds: ["vpcep-x"] })).toBe(200);
  const revoked = await c.send<any>({
    service: "devuc",
    method: "DELETE",
    path: "/devuc-accessmgmt/v2/vpceps",
    headers: { region: "ap-southeast-3" },
    body: { vpceps: [{ vpcep_id: "vpcep-x" }] },
    operation: "Test.revoke",
  });
  expect(revoked.body).toEqual({ status: "ok", total: 1 });
  expect(
    await fails(c.send({ service: "devuc", method: "DELETE", path: "/devuc-accessmgmt/v2/vpceps", body: { vpceps: [{ vpcep_id: "vpcep-x" }] }, operation: "Test.revoke" })),
  ).toEqual([400, "UC.00011002"]);
  seedTestCases(emu.store, P, 14, ["b".repeat(32)]);
});

test("COC: reviewers put a script in PENDING_APPROVE; execute (POST on the script's path) answers an SCT id", async () => {
  const made = await c.send<any>({
    service: "coc",
    method: "POST",
    path: "/v1/job/scripts",
    body: {
      name: "reviewed",
      description: "d",
      type: "SHELL",
      content: "true",
      properties: { risk_level: "HIGH", version: "1", reviewers: [{ reviewer_name: "lead", reviewer_id: "1" }] },
    },
    operation: "Test.create",
  });
  const uuid = made.body.data;
  expect((await c.send<any>({ service: "coc", method: "GET", path: `/v1/job/scripts/${uuid}`, operation: "Test.get" })).body.data.status).toBe("PENDING_APPROVE");
  const run = await c.send<any>({
    service: "coc",
    method: "POST",
    path: `/v1/job/scripts/${uuid}`,
    operation: "Test.execute",
    body: {
      execute_param: { resourceful: false, timeout: 300, success_rate: 100, execute_user: "root" },
      execute_batches: [{ batch_index: 1, target_instances: [{ resource_id: "i-1", agent_sn: "sn-1", project_id: "p1", region_id: "cn-north-4" }], rotation_strategy: "CONTINUE" }],
    },
  });
  expect(run.body.data).toMatch(/^SCT\d{14}/);
  expect(await fails(c.send({ service: "coc", method: "GET", path: "/v1/job/scripts", operation: "Test.list" }))).toEqual([400, "COC.00040701"]);
});

test("C1 and S2 answers as the API references document them: partial's 500 CLOUDTEST.00000001 (error_detail only when some cases succeed), pattern's 400 COC.00040601 'The paramValue is invalid.'", async () => {
  const strict = await startEmulator({ port: 0, quiet: true, dialect: { C1: "partial", S2: "pattern" } });
  const s = new ApiClient({ ...clientSettings(strict), maxRetries: 0 });
  const body = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: ApiError) => [e.status, e.body],
    );
  try {
    const known = "c".repeat(32);
    const unknown = "d".repeat(32);
    seedTestCases(strict.store, P, 13, [known]);
    const made = await s.send<any>({
      service: "cloudtest",
      method: "POST",
      path: `/v1/projects/${P}/plans`,
      body: { name: "c1", plan_cycle: { end_date: "2026-12-31" }, service_id_list: [13] },
      isSuccess: () => true,
      operation: "Test.create",
    });
    const add = (ids: string[], client = s, plan = made.body.plan_id) =>
      client.send({
        service: "cloudtest",
        method: "POST",
        path: `/v1/projects/${P}/plans/${plan}/testcases/batch-add`,
        body: { service_id: 13, testcase_id_list: ids },
        operation: "Test.batchAdd",
      });
    const msg = "Error message displayed after an API fails to be called";
    expect(await body(add([unknown]))).toEqual([500, { error_code: "CLOUDTEST.00000001", error_msg: msg }]);
    expect(await body(add([known, unknown]))).toEqual([
      500,
      {
        error_code: "CLOUDTEST.00000001",
        error_msg: msg,
        error_detail: { failed: [{ error_code: "CLOUDTEST.00000001", error_msg: "Error message returned", testcase_id: unknown }] },
      },
    ]);
    const [listed] = (
      await s.send<any[]>({ service: "cloudtest", method: "GET", path: `/v1/projects/${P}/plans`, query: { name: "c1", offset: 1, limit: 10 }, operation: "Test.list" })
    ).body;
    expect(listed.design_stage.case_count).toBe(1);
    // atomic (the default emulator): 400, nothing added.
    const plan0 = (await plans("v1", { name: "plan 0", offset: 1, limit: 10 })).body[0].plan_id;
    expect(await fails(add([unknown], c, plan0))).toEqual([400, "CLOUDTEST.00017057"]);

    const script = (value: string) => ({
      name: "s2_wire",
      description: "d",
      type: "SHELL",
      content: "true",
      properties: { risk_level: "LOW", version: "1" },
      script_params: [{ param_name: "p", param_value: value, param_description: "", param_order: 1, sensitive: false }],
    });
    const refused = [400, { error_code: "COC.00040601", error_msg: "The paramValue is invalid." }];
    expect(await body(s.send({ service: "coc", method: "POST", path: "/v1/job/scripts", body: script("a#b"), operation: "Test.create" }))).toEqual(refused);
    const uuid = (await s.send<any>({ service: "coc", method: "POST", path: "/v1/job/scripts", body: script("ab"), operation: "Test.create" })).body.data;
    expect(await body(s.send({ service: "coc", method: "PUT", path: `/v1/job/scripts/${uuid}`, body: script("a{{b"), operation: "Test.update" }))).toEqual(refused);
  } finally {
    await s.close();
    await strict.close();
  }
});
