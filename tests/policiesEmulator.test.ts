import { ApiClient } from "../provider/client";
import { ApiError } from "../provider/errors";
import { startEmulator, Emulator, DEFAULT_ACCOUNT, clientSettings } from "../emulator";

// The emulator's policy APIs as the reference documents them (CodeArts Pipeline API Reference §4.4–§4.8): required query
// parameters, paging, the switch verb, and project-level views inheriting the tenant's policies.
let emu: Emulator;
let c: ApiClient;
const D = DEFAULT_ACCOUNT.domainId;
const P = DEFAULT_ACCOUNT.codeartsProjects[0];
const get = (path: string, query?: Record<string, string | number | boolean>) => c.send<any>({ service: "pipeline", method: "GET", path, query, operation: "Test.get" });
const fails = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: ApiError) => [e.status, e.errorCode],
  );

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  c = new ApiClient({ ...clientSettings(emu), maxRetries: 0 });
  for (let i = 0; i < 5; i++) {
    await c.send({
      service: "pipeline",
      method: "POST",
      path: `/v2/${D}/rules/create`,
      body: { type: "Gate", name: `rule ${i}`, layout_content: "", content: [] },
      operation: "Test.create",
    });
  }
});
afterAll(async () => {
  await c.close();
  await emu.close();
});

test("rule and rule-set lists require offset and limit; rule-set lists include_tenant_rule_set", async () => {
  expect(await fails(get(`/v2/${D}/rules/query`))).toEqual([200, "DEVCP.00014004"]);
  expect(await fails(get(`/v2/${D}/tenant/rule-sets/query`, { offset: 0, limit: 10 }))).toEqual([200, "DEVCP.00014004"]);
  expect(await fails(get(`/v2/${P}/rule-sets/query`, { offset: 0, limit: 10 }))).toEqual([200, "DEVCP.00014004"]);
  expect((await get(`/v2/${D}/tenant/rule-sets/query`, { offset: 0, limit: 10, include_tenant_rule_set: true })).body).toEqual({ data: [], total: 0 });
});

test("paging: offset and limit slice the list, total counts all", async () => {
  const page = (await get(`/v2/${D}/rules/query`, { offset: 2, limit: 2 })).body;
  expect(page.total).toBe(5);
  expect(page.data).toHaveLength(2);
  const all = (await get(`/v2/${D}/rules/query`, { offset: 0, limit: 10 })).body.data.map((r: any) => r.id);
  expect(page.data.map((r: any) => r.id)).toEqual(all.slice(2, 4));
});

test("open-source lists default to offset 0 and limit 15 (§4.7.4)", async () => {
  for (let i = 0; i < 17; i++) {
    await c.send({ service: "pipeline", method: "POST", path: `/v2/${D}/tenant/open-source/rule-sets/create`, body: { name: `p${i}`, content: {} }, operation: "Test.create" });
  }
  const body = (await get(`/v2/${D}/tenant/open-source/rule-sets/query`)).body;
  expect([body.total, body.data.length]).toEqual([17, 15]);
});

test("the open-source switch is served as its URI says (PUT); the example's POST is not an API", async () => {
  const id = (await get(`/v2/${D}/tenant/open-source/rule-sets/query`)).body.data[0].id;
  const post = await fails(
    c.send({ service: "pipeline", method: "POST", path: `/v2/${D}/tenant/open-source/rule-sets/${id}/switch`, body: { is_valid: true }, operation: "Test.switch" }),
  );
  expect(post?.[0]).toBe(404);
  await c.send({ service: "pipeline", method: "PUT", path: `/v2/${D}/tenant/open-source/rule-sets/${id}/switch`, body: { is_valid: true }, operation: "Test.switch" });
  expect((await get(`/v2/${D}/tenant/open-source/rule-sets/${id}/detail`)).body.is_valid).toBe(true);
});

test("a project sees its tenant's policies only with include_tenant_rule_set=true", async () => {
  expect((await get(`/v2/${P}/open-source/rule-sets/query`, { include_tenant_rule_set: true })).body.total).toBe(17);
  expect((await get(`/v2/${P}/open-source/rule-sets/query`, { include_tenant_rule_set: false })).body.total).toBe(0);
  expect(await fails(get(`/v2/${P}/open-source/rule-sets/query`))).toEqual([200, "DEVCP.00014004"]);
});

test("a rule set must reference existing rules; a missing record is DEVCP.00012002 in HTTP 200", async () => {
  const bad = await fails(
    c.send({ service: "pipeline", method: "POST", path: `/v2/${D}/tenant/rule-sets/create`, body: { name: "x", rules: [{ id: "f".repeat(32) }] }, operation: "Test.create" }),
  );
  expect(bad).toEqual([200, "DEVCP.00014004"]);
  expect(await fails(get(`/v2/${D}/rules/${"f".repeat(32)}/detail`))).toEqual([200, "DEVCP.00012002"]);
});
