import { z } from "zod";
import { Context, Failure, PartialCreateError, ResourceKind } from "../dynamic";
import { hexId, object } from "../answers";
import { ApiError } from "../errors";
import { DEFINITIVE_500_CODES } from "../retry";
import { seg } from "../http";
import { collect, findFirst, probedOffsetPages } from "../paging";
import { hex32, ownId } from "./common";

/**
 * TestPlan — a CloudTest test plan (CloudTest API Reference §4.3). CloudTest can create and list plans, and add test
 * cases to one, nothing more: there is **no update, no delete and no get-by-id**, and plan names are
 * unique per project (CLOUDTEST.00070009). So:
 * - read = list v2 (§4.3.6) filtered by name, paging until the plan id is found;
 * - a change of anything but the name and the test cases is refused at check (the same name cannot be
 *   created again, and the plan cannot be changed); a new name replaces: a new plan is created and the
 *   old one stays in CloudTest;
 * - test cases are added with batch-add (§4.3.1, < 50 per call); removing one is refused at check;
 * - destroy removes the plan from the stack only, and says so.
 * `serviceIdList` and the test cases are not returned by any API: drift on them cannot be seen.
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** C4: the docs show "3/4/2020" and say `XXXX-XX-XX`; only a real calendar date YYYY-MM-DD is accepted (no 2026-02-31). */
const isCalendarDate = (s: string) => {
  const [y, m, d] = s.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};
const date = z
  .string()
  .regex(DATE, "must be a date YYYY-MM-DD (CLOUDTEST.00060010)")
  .refine(isCalendarDate, "must be a real calendar date YYYY-MM-DD (e.g. no February 31st; CLOUDTEST.00060010)");
/** C3: test-case ids are documented as "32 characters" only: any 32 characters but blanks and "/" (every example is hex). */
const testcaseId = z.string().regex(/^[^\s/]{32}$/, "must be a 32-character test case ID (CLOUDTEST.00030001)");
/** C3: plan ids are documented as 11 to 34 characters (Table 4-21), not as hex: any such characters but blanks and "/". */
const planId = z.string().regex(/^[^\s/]{11,34}$/, "must be a test plan ID: 11 to 34 characters (Table 4-21)");

/** C1/C2: the documented 500s that are answers, not transient failures: no retry (retry.ts) and no look-up after a create. */
function definitive(e: unknown): e is ApiError {
  return e instanceof ApiError && DEFINITIVE_500_CODES.has(e.errorCode ?? "");
}

export const testPlanSchema = z
  .strictObject({
    /** The project the plan belongs to (32 characters, CLOUDTEST.00012002). */
    projectId: hex32("project ID"),
    name: z
      .string()
      .min(1, "must not be empty")
      .max(128, "must be at most 128 characters (CLOUDTEST.00070010)")
      .refine((n) => !/[#%&()]/.test(n), "must not contain # % & ( ) (CLOUDTEST.00070010)"),
    /** The handler's user ID (32 characters); the caller when omitted. */
    assignedId: z
      .string()
      .regex(/^[0-9A-Za-z]{32}$/, "must be a 32-character user ID (CLOUDTEST.00017032)")
      .optional(),
    startDate: date.optional(),
    endDate: date,
    /** Case types contained in the plan; fewer than 10 (Table 4-33). */
    serviceIdList: z.array(z.number().int("must be an integer")).max(9, "must hold fewer than 10 service types (CLOUDTEST.00017012)"),
    /** Test cases to add, by test type (service id). They can be added, never removed. */
    testCases: z.array(z.strictObject({ serviceId: z.number().int("must be an integer"), ids: z.array(testcaseId) })).optional(),
    adoptId: planId.optional(),
  })
  .refine((p) => !p.startDate || p.startDate <= p.endDate, { message: "startDate must not be after endDate (CLOUDTEST.00040003)", path: ["startDate"] });
export type TestPlanInputs = z.output<typeof testPlanSchema>;

export interface TestPlanOutputs extends Record<string, unknown> {
  currentStage?: string;
  ownerId?: string;
  creatorId?: string;
  caseCount?: number;
}

interface PlanVo {
  plan_id: string;
  name: string;
  project_id?: string;
  current_stage?: string;
  start_date?: string | null;
  end_date?: string | null;
  owner?: { id?: string | null } | null;
  creator?: { id?: string | null } | null;
  design_stage?: { case_count?: number } | null;
}

const plansPath = (projectId: string, version: "v1" | "v2" = "v1") => `/${version}/projects/${seg(projectId)}/plans`;
const FIXED = ["assignedId", "startDate", "endDate", "serviceIdList"] as const;

/** Plans per page of the v2 list (limit ≤ 200). */
export const PLAN_PAGE = 100;

/** The project's plans (§4.3.6), page by page; `name` is the list's (fuzzy) name filter. */
function listPlans(ctx: Context, projectId: string, name?: string, resource?: string): AsyncGenerator<PlanVo> {
  // What `offset` counts is open (ambiguity P2: a position from 0 or from 1, or a page number from 1):
  // probedOffsetPages works it out from the answers and reads to an empty or short page (no total here).
  return probedOffsetPages(
    async (offset, limit) => {
      const res = await ctx.client.send<PlanVo[]>({
        service: "cloudtest",
        method: "GET",
        path: plansPath(projectId, "v2"),
        query: { offset, limit, name },
        operation: "TestPlan.list",
        answer: z.array(object({ plan_id: z.string(), name: z.string() })),
        resource,
      });
      return { items: Array.isArray(res.body) ? res.body : [] };
    },
    PLAN_PAGE,
    (p) => p.plan_id,
    `TestPlan: listing the plans of project ${projectId}`,
    (e) => e instanceof ApiError && e.errorCode === "CLOUDTEST.00060001",
  );
}

/** Reads a plan by listing: by name first, then the whole project (a plan renamed in the console). */
async function findPlan(ctx: Context, projectId: string, planId: string, name?: string): Promise<PlanVo | undefined> {
  const scan = (filter?: string) => findFirst(listPlans(ctx, projectId, filter, planId), (p) => p.plan_id === planId);
  return (name ? await scan(name) : undefined) ?? (await scan());
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** §4.3.1's 500 (its example's code): the batch's answer when some or all cases fail (C1 partial), never repeated. */
const BATCH_FAILED = "CLOUDTEST.00000001";
const BATCH_ANSWER_CODES: ReadonlySet<string> = new Set([BATCH_FAILED]);

/** §4.3.1: fewer than 50 test cases of one service per call. */
async function addTestCases(ctx: Context, projectId: string, planId: string, add: NonNullable<TestPlanInputs["testCases"]>): Promise<void> {
  for (const group of add) {
    for (const ids of chunks(group.ids, 49)) {
      try {
        await ctx.client.send({
          service: "cloudtest",
          method: "POST",
          path: `${plansPath(projectId)}/${seg(planId)}/testcases/batch-add`,
          body: { service_id: group.serviceId, testcase_id_list: ids },
          idempotent: true,
          answerCodes: BATCH_ANSWER_CODES,
          operation: "TestPlan.addTestCases",
          answer: z.undefined({ error: "must be empty (HTTP 204)" }),
          resource: planId,
        });
      } catch (e) {
        const atomic = e instanceof ApiError && e.errorCode === "CLOUDTEST.00017057";
        const partial = e instanceof ApiError && e.status === 500 && e.errorCode === BATCH_FAILED;
        if (!atomic && !partial) throw e;
        // C1: atomic (400 CLOUDTEST.00017057, nothing added) or partial (the known cases added, then 500
        // CLOUDTEST.00000001 naming the failed ones in error_detail, which is absent when all fail). Either
        // way the state keeps only what was added before this call (nothing assumed, nothing retried);
        // batch-add is idempotent, so the next up adds the rest again once the unknown cases are fixed.
        const detail = (e.body as { error_detail?: { failed?: Array<{ testcase_id?: string }> } } | undefined)?.error_detail?.failed;
        const named = detail?.map((f) => f.testcase_id).filter((id): id is string => !!id) ?? [];
        const which = named.length ? `Test case(s) ${named.join(", ")}` : `Test case(s) among ${ids.join(", ")}`;
        const why = atomic
          ? "(CLOUDTEST.00017057; ambiguity C1: the service may have added the others or none)"
          : named.length
            ? `(HTTP 500 ${BATCH_FAILED} naming them in error_detail; ambiguity C1 partial: the others were added)`
            : `(HTTP 500 ${BATCH_FAILED} naming no case: under ambiguity C1 partial, the answer when all of them fail, nothing added; it may also be a server error)`;
        throw new Error(
          `${e.message}. ${which} of service ${group.serviceId} could not be added to plan ${planId}: do they exist in project ${projectId}? ${why}. The plan's test cases are recorded as before; fix testCases and run up again`,
          { cause: e },
        );
      }
    }
  }
}

/** Test cases in `news` that `olds` does not have. */
function added(olds: TestPlanInputs["testCases"], news: TestPlanInputs["testCases"]): NonNullable<TestPlanInputs["testCases"]> {
  const had = new Set((olds ?? []).flatMap((g) => g.ids.map((id) => `${g.serviceId}/${id}`)));
  return (news ?? []).map((g) => ({ serviceId: g.serviceId, ids: g.ids.filter((id) => !had.has(`${g.serviceId}/${id}`)) })).filter((g) => g.ids.length > 0);
}

function outputs(inputs: TestPlanInputs, p: PlanVo | undefined): TestPlanOutputs {
  const { adoptId: _a, ...declared } = inputs;
  return { ...declared, currentStage: p?.current_stage, ownerId: p?.owner?.id ?? undefined, creatorId: p?.creator?.id ?? undefined, caseCount: p?.design_stage?.case_count };
}

export const testPlan: ResourceKind<typeof testPlanSchema, TestPlanOutputs> = {
  name: "TestPlan",
  importId: ownId,
  schema: testPlanSchema,
  replaceOn: ["projectId", "name"],
  replaceWhy: {
    name: "CloudTest has no update API: a new name creates a new plan, and the old plan stays in CloudTest (there is no delete API)",
    projectId: "a plan cannot move between projects; the old plan stays in CloudTest (there is no delete API)",
  },

  // The plan moves through its stages (create, design, execute, report) as the team tests.
  serviceMaintained: ["currentStage"],

  refuse(olds, news) {
    if (olds.projectId !== news.projectId || olds.name !== news.name) return [];
    const failures: Failure[] = [];
    for (const k of FIXED) {
      if (JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null)) {
        failures.push({
          property: k,
          reason: `cannot change: CloudTest has no API to update a plan, and "${news.name}" cannot be created again while it exists (names are unique, CLOUDTEST.00070009). Keep the old value, or give the plan a new name: a new plan is created and the old one stays in CloudTest, which has no delete API`,
        });
      }
    }
    const now = new Set((news.testCases ?? []).flatMap((g) => g.ids.map((id) => `${g.serviceId}/${id}`)));
    const removed = (olds.testCases ?? []).flatMap((g) => g.ids.filter((id) => !now.has(`${g.serviceId}/${id}`)));
    if (removed.length > 0) {
      failures.push({
        property: "testCases",
        reason: `cannot remove ${removed.join(", ")}: CloudTest has no API to remove a test case from a plan (only batch-add, §4.3.1); declare it again`,
      });
    }
    return failures;
  },

  async create(ctx, inputs) {
    let planId: string | undefined;
    try {
      const res = await ctx.client.send<{ plan_id?: string }>({
        service: "cloudtest",
        method: "POST",
        path: plansPath(inputs.projectId),
        body: { assigned_id: inputs.assignedId, name: inputs.name, plan_cycle: { start_date: inputs.startDate, end_date: inputs.endDate }, service_id_list: inputs.serviceIdList },
        // The success body (201) carries error_code/error_msg beside plan_id (§4.3.2 example).
        isSuccess: (b) => typeof (b as { plan_id?: unknown })?.plan_id === "string",
        operation: "TestPlan.create",
        answer: object({ plan_id: hexId }),
        resource: inputs.name,
      });
      planId = res.body.plan_id!;
    } catch (e) {
      if (e instanceof ApiError && e.errorCode === "CLOUDTEST.00070009") {
        throw new Error(
          `${e.message}. A plan named "${inputs.name}" already exists in project ${inputs.projectId}: take it under management with adoptId, or choose another name`,
          { cause: e },
        );
      }
      // C2: a definitive refusal answered 500 made nothing: not an ambiguous create, so no look-up after it.
      if (definitive(e))
        throw new Error(`${e.message}. CloudTest refused the plan (a definitive answer, though HTTP 500: CloudTest API Reference §6.2); nothing was created`, { cause: e });
      throw e;
    }
    try {
      if (inputs.testCases?.length) await addTestCases(ctx, inputs.projectId, planId, inputs.testCases);
      return { id: planId, outs: outputs(inputs, await findPlan(ctx, inputs.projectId, planId, inputs.name)) };
    } catch (e) {
      throw new PartialCreateError(planId, { ...outputs(inputs, undefined), testCases: [] }, e);
    }
  },

  // Names are unique per project (CLOUDTEST.00070009): the name finds what an ambiguous create made.
  naturalKey: {
    unique: true,
    async find(ctx, inputs) {
      const hit = await findFirst(listPlans(ctx, inputs.projectId, inputs.name), (p) => p.name === inputs.name);
      return hit ? [hit.plan_id] : [];
    },
    // The plan exists; its test cases are added now, as a create would (the read cannot see them).
    async recover(ctx, id, inputs) {
      try {
        if (inputs.testCases?.length) await addTestCases(ctx, inputs.projectId, id, inputs.testCases);
        return outputs(inputs, await findPlan(ctx, inputs.projectId, id, inputs.name));
      } catch (e) {
        throw new PartialCreateError(id, { ...outputs(inputs, undefined), testCases: [] }, e);
      }
    },
  },

  sweep: {
    needsProject: true,
    undeletable: "cannot be deleted: no API (CloudTest has no delete of a test plan)",
    async list(ctx, { prefix, codeartsProjectId }) {
      const projectId = codeartsProjectId!;
      return (await collect(listPlans(ctx, projectId), (p) => p.name.startsWith(prefix))).map((p) => ({ id: p.plan_id, name: p.name, state: { projectId, name: p.name } }));
    },
  },

  async read(ctx, id, state) {
    const slash = id.indexOf("/");
    const projectId = slash > 0 ? id.slice(0, slash) : String(state.projectId ?? "");
    const planId = slash > 0 ? id.slice(slash + 1) : id;
    if (!projectId) throw new Error(`TestPlan ${id}: projectId is unknown; pass "<projectId>/<planId>" as the id`);
    const p = await findPlan(ctx, projectId, planId, typeof state.name === "string" ? state.name : undefined);
    if (!p) return undefined;
    const inputs: TestPlanInputs = {
      projectId,
      name: p.name,
      // Not returned as such: the owner is the assignee; serviceIdList and test cases are not returned at all.
      assignedId: state.assignedId === undefined ? undefined : (p.owner?.id ?? undefined),
      startDate: p.start_date ?? undefined,
      endDate: p.end_date ?? "",
      serviceIdList: Array.isArray(state.serviceIdList) ? (state.serviceIdList as number[]) : [],
      // No API returns them: our recorded ones stand. An object we did not record (adoption: no
      // currentStage yet) gets the declared ones added (batch-add is idempotent) rather than assumed.
      testCases: state.currentStage !== undefined ? (state.testCases as TestPlanInputs["testCases"]) : undefined,
      adoptId: undefined,
    };
    return { inputs, outs: outputs(inputs, p) };
  },

  async update(ctx, id, olds, news) {
    // Only test-case additions reach here: every other change is refused at check or replaces.
    await addTestCases(ctx, news.projectId, id, added(olds.testCases as TestPlanInputs["testCases"], news.testCases));
    return outputs(news, await findPlan(ctx, news.projectId, id, news.name));
  },

  async delete(ctx, id, state) {
    ctx.log(`warning: TestPlan ${id} ("${String(state.name)}"): CloudTest has no API to delete a test plan; it stays in CloudTest and is only removed from the stack`);
  },
};
