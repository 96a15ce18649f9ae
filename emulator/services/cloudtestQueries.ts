import { newHexId } from "../ids";
import type { CallerContext, Reply, Router } from "../router";
import type { Store } from "../store";
import { ctError, inProject, PLANS, type PlanRecord } from "./cloudtest";

/**
 * CloudTest's read-only lists (CloudTest API Reference §4.2.1 environments, §4.3.4 a plan's requirement
 * tree, §4.3.5 a plan's operation history). Quirks kept: `offset` and `limit` are mandatory (offset
 * 0–999, limit 1–200; else CLOUDTEST.00060001), the plan lists answer **201** with a bare array and no
 * total, the environment list 200 with `total_count`. The plan lists' examples send `offset=1` where
 * their tables say a position from 0: the same question as §4.3.6's (P2), asked by other passages of
 * another API version, so its own row (ambiguity P4), which both lists follow.
 * Requirements have no create API in these references: tests seed them (`seedPlanRequirements`); the
 * history records each batch-add of test cases, and tests may seed more (`seedPlanJournals`).
 */
export function registerCloudTestQueries(router: Router): void {
  router.route("GET", "/v1/projects/{project_id}/environments", "TestEnvironment.list", inProject(listEnvironments));
  router.route("GET", "/v1/projects/{project_id}/plans/{plan_id}/issues", "TestPlan.requirements", inProject(inPlan(REQUIREMENTS)));
  router.route("GET", "/v1/projects/{project_id}/plans/{plan_id}/journals", "TestPlan.history", inProject(inPlan(JOURNALS)));
}

const ENVIRONMENTS = "testEnvironments";
const REQUIREMENTS = "testPlanRequirements";
const JOURNALS = "testPlanJournals";

export interface EnvironmentRecord {
  environment_id: string;
  environment_name: string;
  environment_description: string;
  is_default: boolean;
}

/** A project's environments; every project has its default one (the §4.2.1 example). */
export function seedTestEnvironments(store: Store, projectId: string, envs: Omit<EnvironmentRecord, "environment_id">[]): string[] {
  environmentsOf(store, projectId);
  const c = store.collection<EnvironmentRecord>(ENVIRONMENTS);
  return envs.map((e) => {
    const id = newHexId();
    c.put(projectId, id, { environment_id: id, ...e });
    return id;
  });
}

function environmentsOf(store: Store, projectId: string): EnvironmentRecord[] {
  const c = store.collection<EnvironmentRecord>(ENVIRONMENTS);
  if (c.list(projectId).length === 0) {
    const id = newHexId();
    c.put(projectId, id, { environment_id: id, environment_name: "Default environment", environment_description: "Default environment", is_default: true });
  }
  return c.list(projectId);
}

/** Items of a plan's list (§4.3.4 TestPlanIssueDetail, §4.3.5 TestPlanJournalList), in the API's shape. */
type PlanItems = { items: Record<string, unknown>[] };
const items = (store: Store, what: string, projectId: string, planId: string): Record<string, unknown>[] => store.collection<PlanItems>(what).get(projectId, planId)?.items ?? [];
function append(store: Store, what: string, projectId: string, planId: string, more: Record<string, unknown>[]): void {
  store.collection<PlanItems>(what).put(projectId, planId, { items: [...items(store, what, projectId, planId), ...more] });
}

/** Requirements (work items) of a plan; `plan_id` and `project_id` are filled in. */
export function seedPlanRequirements(store: Store, projectId: string, planId: string, reqs: Record<string, unknown>[]): void {
  append(
    store,
    REQUIREMENTS,
    projectId,
    planId,
    reqs.map((r) => ({ plan_id: planId, project_id: projectId, ...r })),
  );
}

/** History records of a plan; `plan_id` and `project_id` are filled in. */
export function seedPlanJournals(store: Store, projectId: string, planId: string, records: Record<string, unknown>[]): void {
  append(
    store,
    JOURNALS,
    projectId,
    planId,
    records.map((r) => ({ plan_id: planId, project_id: projectId, ...r })),
  );
}

/** The history record of a batch-add (§4.3.1) of these test cases. */
export function recordAdded(ctx: CallerContext, planId: string, caseIds: string[]): void {
  if (caseIds.length === 0) return;
  const project = ctx.params.project_id;
  append(ctx.store, JOURNALS, project, planId, [
    {
      detail: [{ added: caseIds.map((id) => ({ id, name: id })), deleted: [], journalized_type: "testcase", type: "resource", updated: [] }],
      operate_time: ctx.now.toISOString().slice(0, 10),
      operator: { id: ctx.caller.user.id, name: ctx.caller.user.name },
      plan_id: planId,
      project_id: project,
    },
  ]);
}

const intParam = (q: URLSearchParams, k: string) => (q.get(k) !== null && /^\d+$/.test(q.get(k)!) ? Number(q.get(k)) : undefined);

/** Tables 4-12, 4-48, 4-58: offset 0–999 and limit 1–200, both mandatory. */
function paging(ctx: CallerContext): { offset: number; limit: number } | Reply {
  const offset = intParam(ctx.query, "offset");
  const limit = intParam(ctx.query, "limit");
  if (offset === undefined || limit === undefined || offset > 999 || limit < 1 || limit > 200)
    return ctError(400, "CLOUDTEST.00060001", "Invalid paging parameter. Only positive integers are allowed.");
  return { offset, limit };
}
const isReply = (p: { offset: number; limit: number } | Reply): p is Reply => "status" in p;

function listEnvironments(ctx: CallerContext): Reply {
  const p = paging(ctx);
  if (isReply(p)) return p;
  const all = environmentsOf(ctx.store, ctx.params.project_id);
  return { status: 200, body: { environments: all.slice(p.offset, p.offset + p.limit), offset: p.offset, limit: p.limit, total_count: all.length } };
}

/** Table 4-47: the plan id is 11 to 34 characters; a plan the project does not have is refused as §4.3.1 refuses it. */
function inPlan(what: string) {
  return (ctx: CallerContext): Reply => {
    const planId = ctx.params.plan_id;
    if (planId.length < 11 || planId.length > 34 || !ctx.store.collection<PlanRecord>(PLANS).get(ctx.params.project_id, planId)) {
      return ctError(400, "CLOUDTEST.00017003", "The plan ID must contain 32 characters and exist.");
    }
    const p = paging(ctx);
    if (isReply(p)) return p;
    const reading = ctx.dialect.of("P4");
    if (reading !== "position0" && p.offset < 1) return ctError(400, "CLOUDTEST.00060001", "Invalid paging parameter. Only positive integers are allowed.");
    const start = reading === "position0" ? p.offset : reading === "position1" ? p.offset - 1 : (p.offset - 1) * p.limit;
    return { status: 201, body: items(ctx.store, what, ctx.params.project_id, planId).slice(start, start + p.limit) };
  };
}
