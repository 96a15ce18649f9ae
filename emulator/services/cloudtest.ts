import { z } from "zod";
import { newHexId } from "../ids";
import type { CallerContext, Reply, Router } from "../router";
import type { Store } from "../store";
import { jsonObject } from "./json";
import { listWindow } from "./listing";
import { registerCloudTestSuites } from "./cloudtestSuites";
import { recordAdded } from "./cloudtestQueries";

/**
 * CloudTest test plans (CloudTest API Reference §4.3). Quirks kept: the list GETs answer **201** (documented), v1
 * `offset` is a page number (1–20000) and v2 `offset` a position (≥0), both lists are bare arrays
 * without a total, the create answer (201) carries `error_code`/`error_msg` beside `plan_id` (the
 * §4.3.2 example), batch-add answers 204, plan names are unique per project (CLOUDTEST.00070009,
 * HTTP 500), and there is no update and no delete. Test cases have no create API here: tests seed
 * them with `seedTestCases` (or POST /__emulator/cloudtest/testcases).
 */
export function registerCloudTest(router: Router): void {
  router.route("POST", "/v1/projects/{project_id}/plans", "TestPlan.create", inProject(createPlan));
  router.route("GET", "/v1/projects/{project_id}/plans", "TestPlan.listV1", inProject(listV1));
  router.route("GET", "/v2/projects/{project_id}/plans", "TestPlan.list", inProject(listV2));
  router.route("POST", "/v1/projects/{project_id}/plans/{plan_id}/testcases/batch-add", "TestPlan.addTestCases", inProject(batchAdd));
  registerCloudTestSuites(router);
}

export const PLANS = "testPlans";
const CASES = "testCases";

export interface PlanRecord {
  plan_id: string;
  name: string;
  project_id: string;
  current_stage: "create" | "design" | "execute" | "report";
  start_date: string | null;
  end_date: string;
  owner_id: string;
  creator: { id: string; nick_name: string; user_name: string };
  service_id_list: number[];
  testcases: Record<string, number>; // testcase id → service id
  created: number;
}

/** Test cases a project has, by id, with the service (test type) they belong to. */
export function seedTestCases(store: Store, projectId: string, serviceId: number, ids: string[]): void {
  const cases = store.collection<{ service_id: number }>(CASES);
  for (const id of ids) cases.put(projectId, id, { service_id: serviceId });
}

/**
 * C3: the form of a new plan id. `hex`: 32 hex digits, as every example shows; `free`: Table 4-21 says
 * only "11 to 34 characters", so any characters of such a length (here mixed case, digits, `-` and `_`).
 */
function newPlanId(ctx: CallerContext): string {
  if (ctx.dialect.is("C3", "hex")) return newHexId();
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const hex = newHexId();
  return `TP_${Array.from({ length: 20 }, (_v, i) => alphabet[parseInt(hex.slice(i, i + 2), 16) % alphabet.length]).join("")}`;
}

/**
 * C2: what CloudTest answers with a *definitive* 500 (§6.2): a handler who is a participant or viewer of
 * the project (CLOUDTEST.00070008), test types the caller may not operate (00013001 on batch-add,
 * 00013002 on create). Tests say who and what with `seedCloudTestPermissions`.
 */
export interface CloudTestPermissions {
  /** user id → project role; "participant" and "viewer" cannot be handlers. */
  roles?: Record<string, string>;
  /** Service (test type) ids the caller has no permission on. */
  deniedServiceIds?: number[];
}
const PERMISSIONS = "cloudTestPermissions";
export function seedCloudTestPermissions(store: Store, projectId: string, p: CloudTestPermissions): void {
  store.collection<CloudTestPermissions>(PERMISSIONS).put(projectId, "permissions", p);
}
const permissions = (ctx: CallerContext): CloudTestPermissions => ctx.store.collection<CloudTestPermissions>(PERMISSIONS).get(ctx.params.project_id, "permissions") ?? {};

/** The CloudTest error body (CloudTest API Reference §6.2 codes). */
export const ctError = (status: number, code: string, msg: string): Reply => ({ status, body: { error_code: code, error_msg: msg } });

export function inProject(h: (ctx: CallerContext) => Reply) {
  return (ctx: CallerContext): Reply => {
    const p = ctx.params.project_id;
    if (p.length !== 32) return ctError(400, "CLOUDTEST.00012002", "The project UUID must contain 32 characters.");
    if (!ctx.caller.account.codeartsProjects.includes(p)) return ctError(400, "CLOUDTEST.43040030", "The project does not exist.");
    return h(ctx);
  };
}

const date = /^\d{4}-\d{2}-\d{2}$/;
const createBody = z.object({
  assigned_id: z.string().nullish(),
  name: z.string(),
  plan_cycle: z.object({ start_date: z.string().nullish(), end_date: z.string().nullish() }),
  service_id_list: z.array(z.number().int()),
});

function createPlan(ctx: CallerContext): Reply {
  const parsed = createBody.safeParse(jsonObject(ctx.rawBody));
  if (!parsed.success) return ctError(400, "CLOUDTEST.00070003", "The plan information is invalid.");
  const b = parsed.data;
  if (b.name === "" || b.name.length > 128 || /[#%&()]/.test(b.name)) return ctError(400, "CLOUDTEST.00070010", "The plan name exceeds 128 characters or contains # % & ().");
  if (b.service_id_list.length >= 10) return ctError(400, "CLOUDTEST.00017012", "The service type list contains more than 10 items.");
  if (b.assigned_id && b.assigned_id.length !== 32) return ctError(400, "CLOUDTEST.00017032", "The handler ID must contain 32 characters.");
  const { start_date, end_date } = b.plan_cycle;
  if (!end_date) return ctError(400, "CLOUDTEST.00040008", "The end time cannot be empty.");
  if (start_date && !date.test(start_date)) return ctError(400, "CLOUDTEST.00060010", "The plan start time format must be XXXX-XX-XX.");
  if (!date.test(end_date)) return ctError(400, "CLOUDTEST.00060011", "The plan end time format must be XXXX-XX-XX.");
  if (start_date && start_date > end_date) return ctError(500, "CLOUDTEST.00040003", "The start time is later than the end time.");
  const plans = ctx.store.collection<PlanRecord>(PLANS);
  const project = ctx.params.project_id;
  if (plans.list(project).some((p) => p.name === b.name)) return ctError(500, "CLOUDTEST.00070009", "The test plan name already exists.");
  const perm = permissions(ctx);
  if (b.assigned_id && ["participant", "viewer"].includes(perm.roles?.[b.assigned_id] ?? "")) {
    return ctError(500, "CLOUDTEST.00070008", "The selected person is a participant or a viewer and cannot be set as a handler.");
  }
  if (b.service_id_list.some((id) => perm.deniedServiceIds?.includes(id))) {
    return ctError(500, "CLOUDTEST.00013002", "The plan contains test service types that do not have permission to perform operations.");
  }
  const user = ctx.caller.user;
  const plan: PlanRecord = {
    plan_id: newPlanId(ctx),
    name: b.name,
    project_id: project,
    current_stage: "create",
    start_date: start_date ?? null,
    end_date,
    owner_id: b.assigned_id || user.id,
    creator: { id: user.id, nick_name: user.name, user_name: user.name },
    service_id_list: b.service_id_list,
    testcases: {},
    created: ctx.now.getTime(),
  };
  plans.put(project, plan.plan_id, plan);
  // As the §4.3.2 example answers: error fields beside the id, in a 201.
  return { status: 201, body: { plan_id: plan.plan_id, error_code: "CLOUDTEST.00000001", error_msg: "Error message displayed after an API fails to be called" } };
}

/** TestPlanDetail (Table 4-40): no service_id_list, the assignee only as `owner`. */
function detail(p: PlanRecord) {
  return {
    creator: p.creator,
    current_stage: p.current_stage,
    design_stage: { case_count: Object.keys(p.testcases).length, issue_count: 0, issue_covered_count: "0" },
    end_date: p.end_date,
    execute_stage: { case_pass_rate: "0.00%", completed_defect_count: 0, defect_count: 0, executed_case_count: 0 },
    expire_day: "0",
    finish_date: null,
    iteration: null,
    name: p.name,
    owner: { id: p.owner_id, name: null, nick_name: null, user_name: null },
    plan_id: p.plan_id,
    project_id: p.project_id,
    report_stage: { case_complete_rate: "0.00%" },
    start_date: p.start_date,
  };
}

function filtered(ctx: CallerContext): PlanRecord[] {
  const name = (ctx.query.get("name") ?? "").toLowerCase();
  const stage = ctx.query.get("current_stage");
  return ctx.store
    .collection<PlanRecord>(PLANS)
    .list(ctx.params.project_id)
    .filter((p) => p.name.toLowerCase().includes(name) && (!stage || p.current_stage === stage))
    .sort((a, b) => b.created - a.created || a.plan_id.localeCompare(b.plan_id));
}

const intParam = (q: URLSearchParams, k: string) => (q.get(k) !== null && /^\d+$/.test(q.get(k)!) ? Number(q.get(k)) : undefined);
const badPaging = () => ctError(400, "CLOUDTEST.00060001", "The paging parameters are invalid.");

/** v1: offset is a page number 1–20000 (Table 4-36); limit 1–200; both mandatory. */
function listV1(ctx: CallerContext): Reply {
  const page = intParam(ctx.query, "offset");
  const limit = intParam(ctx.query, "limit");
  if (page === undefined || limit === undefined || page < 1 || page > 20000 || limit < 1 || limit > 200) return badPaging();
  return { status: 201, body: listWindow(ctx, filtered(ctx), (page - 1) * limit, limit).data.map(detail) };
}

/**
 * v2: Table 4-54 says `offset` is a position ≥ 0; the example sends `offset=1` and the error table
 * says "only positive integers" (ambiguity P2): `position0` (default), `position1` a position from 1
 * (0 refused with CLOUDTEST.00060001), `page1` a page number from 1 as in v1. limit ≤ 200; both mandatory.
 */
function listV2(ctx: CallerContext): Reply {
  const offset = intParam(ctx.query, "offset");
  const limit = intParam(ctx.query, "limit");
  if (offset === undefined || limit === undefined || limit < 1 || limit > 200) return badPaging();
  const reading = ctx.dialect.of("P2");
  if (reading !== "position0" && offset < 1) return ctError(400, "CLOUDTEST.00060001", "Invalid paging parameter. Only positive integers are allowed.");
  const start = reading === "position0" ? offset : reading === "position1" ? offset - 1 : (offset - 1) * limit;
  return { status: 201, body: listWindow(ctx, filtered(ctx), start, limit).data.map(detail) };
}

const batchBody = z.object({ service_id: z.number().int(), testcase_id_list: z.array(z.string()) });

function batchAdd(ctx: CallerContext): Reply {
  const plans = ctx.store.collection<PlanRecord>(PLANS);
  const project = ctx.params.project_id;
  const plan = plans.get(project, ctx.params.plan_id);
  if (!plan) return ctError(400, "CLOUDTEST.00017003", "The plan ID must contain 32 characters and exist.");
  const parsed = batchBody.safeParse(jsonObject(ctx.rawBody));
  // "The array length is less than 50" (Table 4-30); CLOUDTEST.00030001 also checks 32-character ids.
  if (!parsed.success || parsed.data.testcase_id_list.length >= 50 || parsed.data.testcase_id_list.some((id) => id.length !== 32)) {
    return ctError(400, "CLOUDTEST.00030001", "Failed to verify the test case ID list.");
  }
  if (permissions(ctx).deniedServiceIds?.includes(parsed.data.service_id)) {
    return ctError(500, "CLOUDTEST.00013001", "The current user does not have the permission to operate the test type.");
  }
  const cases = ctx.store.collection<{ service_id: number }>(CASES);
  const failed = parsed.data.testcase_id_list.filter((id) => cases.get(project, id)?.service_id !== parsed.data.service_id);
  // C1: a case unknown in the project. `atomic`: 400 CLOUDTEST.00017057 (§6.2), nothing added.
  // `partial`: the known cases are added, then the documented 500 (§4.3.1 example: CLOUDTEST.00000001)
  // with error_detail.failed naming each failed case, which Table 4-24 says "is unavailable when all
  // operations fail": then a bare 500 CLOUDTEST.00000001, like any server error.
  if (failed.length > 0 && ctx.dialect.is("C1", "atomic")) {
    return ctError(400, "CLOUDTEST.00017057", "The case does not exist under the project or plan.");
  }
  for (const id of parsed.data.testcase_id_list.filter((id) => !failed.includes(id))) plan.testcases[id] = parsed.data.service_id;
  plans.put(project, plan.plan_id, plan);
  recordAdded(
    ctx,
    plan.plan_id,
    parsed.data.testcase_id_list.filter((id) => !failed.includes(id)),
  );
  if (failed.length > 0) {
    const bare = ctError(500, "CLOUDTEST.00000001", "Error message displayed after an API fails to be called");
    if (failed.length === parsed.data.testcase_id_list.length) return bare;
    const detail = { failed: failed.map((id) => ({ error_code: "CLOUDTEST.00000001", error_msg: "Error message returned", testcase_id: id })) };
    return { status: 500, body: { ...(bare.body as object), error_detail: detail } };
  }
  plans.put(project, plan.plan_id, plan);
  return { status: 204 };
}

/** For tests: the test cases a plan holds (no API lists them). */
export function planTestCases(store: Store, projectId: string, planId: string): string[] {
  return Object.keys(store.collection<PlanRecord>(PLANS).get(projectId, planId)?.testcases ?? {});
}
