import { z } from "zod";
import { object } from "../answers";
import type { Context } from "../dynamic";
import { ApiError } from "../errors";
import { seg } from "../http";
import { collect, offsetPages, probedOffsetPages } from "../paging";
import { hex32 } from "../resources/common";
import type { Lookup, TypedLookup } from "./lookup";

/**
 * CloudTest's read-only lists (CloudTest API Reference §4.2.1, §4.3.4, §4.3.5): a project's test
 * environments, and a plan's requirement tree and operation history. Answers keep the API's fields,
 * camelCased, every page read.
 */

/** snake_case keys → camelCase, at every depth (the answers nest `NameAndId` and change records). */
export function camelDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelDeep);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null && x !== undefined)
        .map(([k, x]) => [k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()), camelDeep(x)]),
    );
  }
  return v;
}

const projectId = hex32("CloudTest (CodeArts) project ID").describe("The CodeArts project (32 hex).");
/** Table 4-47: "a string of 11 to 34 characters". */
const planId = z.string().min(11, "must be 11 to 34 characters (CloudTest API Reference Table 4-47)").max(34, "must be 11 to 34 characters (CloudTest API Reference Table 4-47)");

const nameAndId = z.object({ id: z.string().optional(), name: z.string().optional() });

/** Table 4-15, camelCased. */
const environment = z.object({
  environmentId: z.string().describe("Environment id (32 characters)."),
  environmentName: z.string().optional().describe("Environment name."),
  environmentDescription: z.string().optional().describe("Environment description."),
  isDefault: z.boolean().optional().describe("Whether the environment is the default."),
});

/** Table 4-51, camelCased. */
const requirement = z.object({
  workitemId: z.string().optional().describe("Work item id."),
  name: z.string().optional().describe("Work item name."),
  parentIssue: z.string().optional().describe("The parent work item's id: the tree's edges."),
  planId: z.string().optional(),
  projectId: z.string().optional(),
  regionId: z.string().optional(),
  startDate: z.string().optional(),
  endDate: z.string().optional().describe("Deadline."),
  iteration: nameAndId.optional(),
  module: nameAndId.optional(),
  owner: nameAndId.optional(),
  severity: nameAndId.optional(),
  status: nameAndId.optional(),
  tracker: nameAndId.optional(),
});

/** Tables 4-61, 4-62 and 4-64, camelCased. */
const journal = z.object({
  operateTime: z.string().optional().describe("When the change was made."),
  operator: nameAndId.optional().describe("Who made it."),
  planId: z.string().optional(),
  projectId: z.string().optional(),
  detail: z
    .array(
      z.object({
        type: z.string().optional().describe("Whether the basic information or a resource changed."),
        journalizedType: z.string().optional().describe("What changed, e.g. a test case or an issue."),
        added: z.array(nameAndId).optional().describe("Work items or test cases added."),
        deleted: z.array(nameAndId).optional().describe("Work items or test cases removed."),
        updated: z
          .array(z.object({ attributeType: z.string().optional(), oldValue: z.string().optional(), newValue: z.string().optional() }))
          .optional()
          .describe("Basic information changed: the attribute, its old and new value."),
      }),
    )
    .optional(),
});

export type TestEnvironment = z.output<typeof environment>;
export type TestPlanRequirement = z.output<typeof requirement>;
export type TestPlanJournal = z.output<typeof journal>;
type TestEnvironmentsResult = { environments: TestEnvironment[] };
type TestPlanRequirementsResult = { requirements: TestPlanRequirement[] };
type TestPlanHistoryResult = { history: TestPlanJournal[] };
const planArgs = z.strictObject({ projectId, planId: planId.describe("The test plan's id (a TestPlan resource's id).") });
/** The arguments' type from their schema, the answer's as declared by the outputs schema. */
const typed =
  <Out>() =>
  <A extends z.ZodType<Record<string, unknown>>>(l: Lookup<A>) =>
    l as unknown as TypedLookup<z.input<A>, Out>;

/** Offsets and limits of §4.2.1, §4.3.4, §4.3.5: offset 0–999 (a position, Table 4-12), limit 1–200. */
const PAGE = 200;
const MAX_OFFSET = 999;

const environmentsPage = object({ environments: z.array(object({ environment_id: z.string() })).nullish(), total_count: z.number().optional() });

/** §4.2.1: the project's environments; the total (at most 100, Table 4-14) says when to stop. */
async function environments(ctx: Context, project: string): Promise<unknown[]> {
  return collect(
    offsetPages(async (offset, limit) => {
      const res = await ctx.client.send<{ environments?: unknown[] | null; total_count?: number }>({
        service: "cloudtest",
        method: "GET",
        path: `/v1/projects/${seg(project)}/environments`,
        query: { offset, limit },
        operation: "TestEnvironment.list",
        answer: environmentsPage,
        resource: `project ${project}`,
      });
      return { items: res.body?.environments ?? [], total: res.body?.total_count };
    }, PAGE),
  );
}

/**
 * §4.3.4 / §4.3.5: a plan's bare-array list (answered 201, no total). Tables 4-48 and 4-58 say `offset`
 * is a position from 0; the examples send `offset=1`. The same question as the v2 plan list's (§4.3.6,
 * P2), but other passages of the v1 API, whose answer may differ: ambiguity P4. probedOffsetPages works
 * the rule out from the answers (offset 0 refused, then a position or a page from 1), and reads to an
 * empty or short page.
 */
function planList(ctx: Context, project: string, plan: string, rest: "issues" | "journals", operation: string, key: (x: Record<string, unknown>) => string) {
  return probedOffsetPages<Record<string, unknown>>(
    async (offset, limit) => {
      // Past Table 4-48's maximum the service refuses the request: say so rather than send it.
      if (offset > MAX_OFFSET) throw new Error(`${operation}: the plan's list goes beyond offset ${MAX_OFFSET}, the most the API reads (CloudTest API Reference Table 4-48)`);
      const res = await ctx.client.send<Record<string, unknown>[]>({
        service: "cloudtest",
        method: "GET",
        path: `/v1/projects/${seg(project)}/plans/${seg(plan, "a test plan id")}/${rest}`,
        query: { offset, limit },
        operation,
        answer: z.array(object({})),
        resource: plan,
      });
      return { items: res.body };
    },
    PAGE,
    key,
    `${operation} of plan ${plan}`,
    (e) => e instanceof ApiError && e.errorCode === "CLOUDTEST.00060001",
  );
}

/** By function name (each `name` is its key). */
export const CLOUDTEST_LOOKUPS = {
  getTestEnvironments: typed<TestEnvironmentsResult>()({
    name: "getTestEnvironments",
    description: "Lists a project's CloudTest environment parameters (CloudTest API Reference §4.2.1, Obtaining the Environment Parameter List of CloudTest).",
    args: z.strictObject({ projectId }),
    returns: { outputs: z.object({ environments: z.array(environment).describe("Every environment of the project.") }) },
    async run(ctx, a) {
      return { environments: camelDeep(await environments(ctx, a.projectId as string)) };
    },
  }),
  getTestPlanRequirements: typed<TestPlanRequirementsResult>()({
    name: "getTestPlanRequirements",
    description:
      "Lists the requirements (work items) of a CloudTest test plan, its requirement tree: each names its parent in `parentIssue` (CloudTest API Reference §4.3.4, Querying the Requirement Tree of a Test Plan).",
    args: planArgs,
    returns: { outputs: z.object({ requirements: z.array(requirement).describe("Every requirement of the plan, as the service lists them.") }) },
    async run(ctx, a) {
      const items = await collect(planList(ctx, a.projectId as string, a.planId as string, "issues", "TestPlan.requirements", (x) => String(x.workitem_id ?? JSON.stringify(x))));
      return { requirements: camelDeep(items) };
    },
  }),
  getTestPlanHistory: typed<TestPlanHistoryResult>()({
    name: "getTestPlanHistory",
    description: "Lists the operation history of a CloudTest test plan (CloudTest API Reference §4.3.5, Querying the Operation History of a Test Plan).",
    args: planArgs,
    returns: { outputs: z.object({ history: z.array(journal).describe("Every change record of the plan, as the service lists them.") }) },
    async run(ctx, a) {
      // Records have no id: a record's whole text is its identity across pages.
      const items = await collect(planList(ctx, a.projectId as string, a.planId as string, "journals", "TestPlan.history", (x) => JSON.stringify(x)));
      return { history: camelDeep(items) };
    },
  }),
};
