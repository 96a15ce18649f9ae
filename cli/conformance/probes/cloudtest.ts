import { randomBytes } from "crypto";
import { seg } from "../../../provider/http";
import { describe, found, unknown, type Outcome, type Probe, type ProbeContext, type Unprobeable } from "../probe";

/**
 * Probes of CloudTest test plans (CloudTest API Reference §4.3). No API deletes a plan, so every probe works with the
 * plans the project already has, read-only, and makes a plan (a leftover, listed in the report) only
 * with --allow-leftovers when the project has too few.
 */

type Plan = { plan_id: string; name?: string };

const plansPath = (project: string, v: "v1" | "v2") => `/${v}/projects/${seg(project, "the project id")}/plans`;

/** A list answer's plans (a bare array, 201), or undefined when the answer is not one. */
function plansOf(o: Outcome): Plan[] | undefined {
  if (!o.ok || !Array.isArray(o.res.body)) return undefined;
  return (o.res.body as Array<{ plan_id?: unknown; name?: unknown }>).filter((p) => typeof p?.plan_id === "string") as Plan[];
}

/** §4.3.5 v1 list, page 1 (`offset` a page number 1–20000 in v1, whatever P2 says of v2). */
async function listV1(ctx: ProbeContext, project: string, limit: number): Promise<{ o: Outcome; plans?: Plan[] }> {
  const o = await ctx.attempt({ service: "cloudtest", method: "GET", path: plansPath(project, "v1"), query: { offset: 1, limit }, operation: "Conformance.TestPlan.listV1" });
  return { o, plans: plansOf(o) };
}

async function listV2(ctx: ProbeContext, project: string, offset: number, limit: number): Promise<{ o: Outcome; plans?: Plan[] }> {
  const o = await ctx.attempt({ service: "cloudtest", method: "GET", path: plansPath(project, "v2"), query: { offset, limit }, operation: "Conformance.TestPlan.list" });
  return { o, plans: plansOf(o) };
}

/** A date `days` from now, YYYY-MM-DD. */
const dateIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Makes `n` scratch plans (only with --allow-leftovers): each recorded as a leftover, since no API
 * deletes it. The ids made, or why none could be.
 */
async function scratchPlans(ctx: ProbeContext, project: string, label: string, n: number): Promise<{ ids: string[] } | { why: string }> {
  if (!ctx.allowLeftovers) return { why: "needs a test plan no API can delete; run with --allow-leftovers to allow it" };
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = ctx.name(`${label}${n > 1 ? `_${i + 1}` : ""}`);
    const o = await ctx.attempt({
      service: "cloudtest",
      method: "POST",
      path: plansPath(project, "v1"),
      body: { name, plan_cycle: { end_date: dateIn(30) }, service_id_list: [] },
      operation: "Conformance.TestPlan.create",
      resource: name,
      // The success body (201) carries error_code/error_msg beside plan_id (§4.3.2 example).
      isSuccess: (b) => typeof (b as { plan_id?: unknown })?.plan_id === "string",
    });
    const id = o.ok ? (o.res.body as { plan_id?: unknown }).plan_id : undefined;
    if (typeof id !== "string") return { why: `creating a scratch test plan answered ${describe(o)} without a plan_id` };
    ctx.leftover(`test plan ${name} (${id}) in project ${project}`);
    ids.push(id);
  }
  return { ids };
}

const needsProject = () => unknown("needs a CodeArts project (--project): test plans live in one");

/** A test-case id no project holds: 32 random hex digits (2^-128 to meet a real one). */
const noSuchCase = () => randomBytes(16).toString("hex");

/** The example's test type (§4.3.1: "service_id": 13). */
const SERVICE_ID = 13;

/** --test-case: `ID`, or `SERVICE_ID:ID` when its test type is not the example's. */
function knownCase(ctx: ProbeContext): { serviceId: number; id: string } | undefined {
  const m = /^(?:(\d+):)?(.+)$/.exec(ctx.testCaseId ?? "");
  return m ? { serviceId: m[1] !== undefined ? Number(m[1]) : SERVICE_ID, id: m[2] } : undefined;
}

async function batchAdd(ctx: ProbeContext, project: string, planId: string, serviceId: number, ids: string[]): Promise<Outcome> {
  return ctx.attempt({
    service: "cloudtest",
    method: "POST",
    path: `${plansPath(project, "v1")}/${seg(planId)}/testcases/batch-add`,
    body: { service_id: serviceId, testcase_id_list: ids },
    idempotent: false,
    operation: "Conformance.TestPlan.addTestCases",
    resource: planId,
  });
}

/** The test cases named in a §4.3.1 500's error_detail.failed (Table 4-24: absent when all fail). */
function namedFailed(o: Outcome): string[] {
  if (o.ok) return [];
  const failed = (o.error.body as { error_detail?: { failed?: Array<{ testcase_id?: unknown }> } } | undefined)?.error_detail?.failed;
  return Array.isArray(failed) ? failed.map((f) => f?.testcase_id).filter((id): id is string => typeof id === "string") : [];
}

/** A plan's case count (Table 4-38 design_stage.case_count), read from the v1 list filtered by its name; or why not. */
async function caseCount(ctx: ProbeContext, project: string, planId: string, name: string): Promise<number | string> {
  const o = await ctx.attempt({
    service: "cloudtest",
    method: "GET",
    path: plansPath(project, "v1"),
    query: { name, offset: 1, limit: 200 },
    operation: "Conformance.TestPlan.listV1",
  });
  const plan =
    o.ok && Array.isArray(o.res.body) ? (o.res.body as Array<{ plan_id?: unknown; design_stage?: { case_count?: unknown } }>).find((p) => p?.plan_id === planId) : undefined;
  const count = plan?.design_stage?.case_count;
  return typeof count === "number" ? count : `the v1 plan list by name answered ${describe(o)}${o.ok ? ` without design_stage.case_count of plan ${planId}` : ""}`;
}

const TELL_PARTIAL = "give --test-case (a test case of the project) with --allow-leftovers: it is then added with an unknown one to a scratch plan, never to one of yours";

/**
 * C1. Read-only first: a batch of only an unknown case to the project's first plan adds nothing under
 * either reading; 400 CLOUDTEST.00017057 proves atomic. Partial answers that batch with a bare 500
 * (CLOUDTEST.00000001, no error_detail "when all operations fail"), which any server error could give:
 * telling partial needs a case that is added, so with --test-case and --allow-leftovers the known case
 * and an unknown one go to a scratch plan, whose case count (design_stage.case_count) shows what was added.
 */
const c1: Probe = {
  row: "C1",
  method:
    "batch-adds one test-case id no project holds (32 random hex digits) to the project's first plan: 400 CLOUDTEST.00017057 → atomic; with --test-case and --allow-leftovers (or no plan), batch-adds that case and an unknown one to a scratch plan and reads its case count: 400 and 0 cases → atomic, 500 and 1 case → partial",
  cost: "leftover",
  readOnlyFirst: true,
  async run(ctx) {
    const project = ctx.codeartsProjectId;
    if (!project) return needsProject();
    const known = knownCase(ctx);
    const serviceId = known?.serviceId ?? SERVICE_ID;
    const list = await listV1(ctx, project, 1);
    if (!list.plans) return unknown(`the v1 plan list answered ${describe(list.o)}, not a list`);
    const first = list.plans[0]?.plan_id;
    let before = "";
    if (first || !known) {
      // Only an unknown case: nothing can be added under either reading, so a user's plan is safe.
      let planId = first;
      let whose = "the project's plan";
      if (!planId) {
        const made = await scratchPlans(ctx, project, "c1_plan", 1);
        if ("why" in made) return unknown(`the project has no test plan to add an unknown case to; ${made.why}`);
        planId = made.ids[0];
        whose = "a scratch plan";
      }
      const caseId = noSuchCase();
      const o = await batchAdd(ctx, project, planId, serviceId, [caseId]);
      const seen = `${describe(o)} from a batch-add of only the unknown case ${caseId} to ${whose} ${planId}`;
      if (o.ok) return unknown(`${seen}: an unknown case was accepted`);
      const e = o.error;
      if (e.status === 400 && e.errorCode === "CLOUDTEST.00017057") return found("atomic", `${seen} (partial answers 500)`);
      if (e.status === 500 && (e.errorCode === "CLOUDTEST.00017057" || namedFailed(o).includes(caseId))) {
        return found("partial", `${seen}, about the case (${e.errorCode === "CLOUDTEST.00017057" ? "its code" : "named in error_detail.failed"}), where atomic answers 400`);
      }
      if (e.status !== 500) return unknown(`${seen}: neither 400 CLOUDTEST.00017057 nor a 500`);
      if (e.errorCode !== "CLOUDTEST.00000001") return unknown(`${seen}: a 500 of another kind (e.g. no permission on test type ${serviceId}), not the §4.3.1 answer`);
      before = `${seen}: a 500 naming no case, partial's answer when all operations fail, but a server error looks the same`;
      if (!known || !ctx.allowLeftovers) return unknown(`${before}; ${TELL_PARTIAL}`);
    }
    if (!known) return unknown(`no test case given; ${TELL_PARTIAL}`);
    // A scratch plan (a leftover) gets the known case and an unknown one.
    const made = await scratchPlans(ctx, project, "c1_plan", 1);
    if ("why" in made) return unknown(`${before ? `${before}; ` : ""}telling partial needs a scratch plan for --test-case ${known.id}; ${made.why}`);
    const planId = made.ids[0];
    const name = ctx.name("c1_plan");
    const unknownId = noSuchCase();
    const o = await batchAdd(ctx, project, planId, known.serviceId, [known.id, unknownId]);
    const count = await caseCount(ctx, project, planId, name);
    const seen = `${describe(o)} from a batch-add of the known case ${known.id} (test type ${known.serviceId}) and the unknown ${unknownId} to a scratch plan ${planId}, which then held ${typeof count === "number" ? `${count} case(s)` : `? cases (${count})`}`;
    if (typeof count !== "number") return unknown(seen);
    if (o.ok) return unknown(`${seen}: an unknown case was accepted`);
    const e = o.error;
    if (e.status === 400 && e.errorCode === "CLOUDTEST.00017057" && count === 0) return found("atomic", `${seen}: refused whole`);
    if (e.status === 500 && count === 1) {
      const named = namedFailed(o);
      return found("partial", `${seen}: the known case added, then a 500${named.includes(unknownId) ? " naming the unknown case in error_detail.failed" : ""}`);
    }
    if (e.status === 500 && count === 0)
      return unknown(`${seen}: the known case was not added either (is ${known.id} a test case of test type ${known.serviceId} in project ${project}?)`);
    return unknown(`${seen}: neither atomic's 400 with nothing added nor partial's 500 with the known case added`);
  },
};

const HEX = /^[0-9a-f]{32}$/;

const c3: Probe = {
  row: "C3",
  method:
    "lists up to 50 of the project's plans (v1, page 1) and looks at their plan_id (with --allow-leftovers and no plan, the id of a scratch plan): one id not 32 lower-case hex digits → free; ids all hex → hex, an inference from the ids seen (test-case ids are listed by no API)",
  cost: "leftover",
  readOnlyFirst: true,
  async run(ctx) {
    const project = ctx.codeartsProjectId;
    if (!project) return needsProject();
    const list = await listV1(ctx, project, 50);
    if (!list.plans) return unknown(`the v1 plan list answered ${describe(list.o)}, not a list`);
    let ids = list.plans.map((p) => p.plan_id);
    let whose = "of the project's plans";
    if (ids.length === 0) {
      const made = await scratchPlans(ctx, project, "c3_plan", 1);
      if ("why" in made) return unknown(`the project has no test plan whose id could be seen; ${made.why}`);
      ids = made.ids;
      whose = "of a scratch plan";
    }
    const other = ids.find((id) => !HEX.test(id));
    if (other !== undefined) return found("free", `plan id ${JSON.stringify(other)} ${whose} is not 32 lower-case hex digits`);
    return found(
      "hex",
      `${ids.length} plan id(s) ${whose}, all 32 lower-case hex digits (e.g. ${ids[0]}): inferred from the ids seen, a single other id would prove free; test-case ids are listed by no API and were not seen`,
    );
  },
};

/**
 * P2. Each reading is told by where a page starts, compared with pages that start at the front (which
 * no reading shifts). A list may also shift by one between two requests (P3: another writer inserted a
 * plan at the front), so the pages are chosen for the readings' starts to differ by two or more, and a
 * start one item earlier than the reading's is taken as that reading.
 */
const p2: Probe = {
  row: "P2",
  method:
    "lists the project's plans with the v2 list (§4.3.6) at offset=0&limit=2: accepted, offset=1&limit=3 must start at the 2nd plan (position0; the 1st if the list shifted, P3); refused with CLOUDTEST.00060001, offset=1&limit=4 then offset=2&limit=3 starts at the 2nd plan (position1) or the 4th (page1), a plan earlier if shifted; needs 2 or 4 plans: the project's, else scratch ones with --allow-leftovers",
  cost: "leftover",
  readOnlyFirst: true,
  async run(ctx) {
    const project = ctx.codeartsProjectId;
    if (!project) return needsProject();
    let zero = await listV2(ctx, project, 0, 2);
    if (zero.plans) {
      if (zero.plans.length < 2) {
        const made = await scratchPlans(ctx, project, "p2_plan", 2 - zero.plans.length);
        if ("why" in made) {
          return found(
            "position0",
            `offset=0 accepted (${describe(zero.o)}; position1 and page1 refuse it with CLOUDTEST.00060001); what offset counts was not checked: the project has ${zero.plans.length} plan(s), 2 are needed (${made.why})`,
          );
        }
        zero = await listV2(ctx, project, 0, 2);
        if (!zero.plans || zero.plans.length < 2) return unknown(`after making plans, offset=0&limit=2 answered ${describe(zero.o)} with ${zero.plans?.length ?? "no"} plan(s)`);
      }
      const [a, b] = zero.plans;
      // limit 3: a page number from 0 (no reading, but possible) would start at the 3rd or 4th plan.
      const one = await listV2(ctx, project, 1, 3);
      const got = one.plans?.[0]?.plan_id;
      const shown = `offset=0 accepted; offset=0&limit=2 → [${a.plan_id}, ${b.plan_id}], offset=1&limit=3 starts at ${got ?? "nothing"}`;
      if (got === b.plan_id) return found("position0", `${shown}: the 2nd plan, a position from 0`);
      if (got === a.plan_id) return found("position0", `${shown}: the 1st plan, a position from 0 in a list that shifted by one between the requests (P3)`);
      return unknown(`${shown} (${describe(one.o)}): neither the 2nd plan nor, shifted, the 1st`);
    }
    if (zero.o.ok || zero.o.error.errorCode !== "CLOUDTEST.00060001") return unknown(`offset=0&limit=2 answered ${describe(zero.o)}: neither a list nor CLOUDTEST.00060001`);
    const refused = describe(zero.o);
    let ref = await listV2(ctx, project, 1, 4);
    if (!ref.plans) return unknown(`offset=0 refused (${refused}), and offset=1&limit=4 answered ${describe(ref.o)}, not a list`);
    if (ref.plans.length < 4) {
      const made = await scratchPlans(ctx, project, "p2_plan", 4 - ref.plans.length);
      if ("why" in made) return unknown(`offset=0 refused (${refused}): position1 or page1; telling them apart needs 4 plans, the project has ${ref.plans.length}; ${made.why}`);
      ref = await listV2(ctx, project, 1, 4);
      if (!ref.plans || ref.plans.length < 4) return unknown(`after making plans, offset=1&limit=4 answered ${describe(ref.o)} with ${ref.plans?.length ?? "no"} plan(s)`);
    }
    const ids = ref.plans.map((p) => p.plan_id);
    const two = await listV2(ctx, project, 2, 3);
    const first = two.plans?.[0]?.plan_id;
    const at = first === undefined ? -1 : ids.indexOf(first);
    const shown = `offset=0 refused (${refused}); offset=1&limit=4 → [${ids.join(", ")}], offset=2&limit=3 starts at ${first ?? "nothing"}`;
    if (at === 1 || at === 0)
      return found("position1", `${shown}: the ${at === 1 ? "2nd plan" : "1st plan (shifted by one between the requests, P3)"}, a position from 1 (page1 starts at the 4th)`);
    if (at === 3 || at === 2)
      return found("page1", `${shown}: the ${at === 3 ? "4th plan" : "3rd plan (shifted by one between the requests, P3)"}, page 2 of 3 (position1 starts at the 2nd)`);
    return unknown(`${shown} (${describe(two.o)}): none of the first 4 plans`);
  },
};

/**
 * T2. A suite generated from a 30-character repository id that cannot name a file: `strict` refuses the id
 * (CLOUDTEST.43400334); `loose` takes it and goes on to the repository and the file, which it cannot find. No
 * suite can be made either way (the path names no file), so nothing is left.
 */
const t2: Probe = {
  row: "T2",
  method:
    "asks §4.1.1 to generate a suite from a 30-character repository id (the example's form) and a path that names no file: 400 CLOUDTEST.43400334 → strict; another 400 (the file or repository not found) → loose; nothing is generated",
  cost: "read-only",
  async run(ctx) {
    const project = ctx.codeartsProjectId;
    if (!project) return needsProject();
    const o = await ctx.attempt({
      service: "cloudtest",
      method: "POST",
      path: `/v1/projects/${seg(project, "the project id")}/repository/testsuites`,
      body: { testsuite_name: ctx.name("t2_suite"), repository_id: randomBytes(15).toString("hex"), repository_branch: "master", file_path: `${ctx.name("t2")}_missing.yaml` },
      operation: "Conformance.ApiTestSuite.create",
    });
    if (o.ok) return unknown(`a 30-character repository id and a path naming no file answered ${describe(o)}: a suite may have been generated (no API deletes it)`);
    if (o.error.status === 400 && o.error.errorCode === "CLOUDTEST.43400334") return found("strict", `a 30-character repository id: ${describe(o)}`);
    if (o.error.status === 400 && o.error.errorCode?.startsWith("CLOUDTEST."))
      return found("loose", `a 30-character repository id passed its check: ${describe(o)}, about the file or repository`);
    return unknown(`a 30-character repository id answered ${describe(o)}: neither CLOUDTEST.43400334 nor another CloudTest 400`);
  },
};

export const PROBES: Probe[] = [c1, c3, p2, t2];
export const UNPROBEABLE: Unprobeable[] = [
  {
    row: "P4",
    why: "no probe yet: telling the readings apart needs a plan with 4 or more requirements or history records; requirements have no create API in these references, and history records come from batch-adds of test cases (--test-case); the look-ups read under every reading",
  },
  {
    row: "T1",
    why: "seeing the key needs a suite generated from a Swagger 2.0 file of one of the account's repositories, which no API deletes; the provider takes either key",
  },
];
