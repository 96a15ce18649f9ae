import { clientSettings, DEFAULT_ACCOUNT, planTestCases, seedCloudTestPermissions, seedTestCases, startEmulator, type Emulator } from "../emulator";
import { LEAST_CONVENIENT, type DialectId } from "../emulator/dialects";
import type { PlanRecord } from "../emulator/services/cloudtest";
import type { RuleRecord, RuleSetRecord } from "../emulator/services/policies";
import { runConformance, type ConformanceReport } from "../cli/conformance";
import { difference, holdings, probeEmulator, proveRows, renderProof } from "./support/conformance";

/**
 * The conformance probes of the Policy family (R1–R5), CloudTest (C1, C3, P2) and VPCEP (V1, V2):
 * every reading proven, all at once under the least convenient and the default dialects, the
 * read-only ways (objects the account already has) taken when they exist, and `unknown` rather than
 * a guess when the probe cannot tell.
 */
jest.setTimeout(300_000);

const POLICY: DialectId[] = ["R1", "R2", "R3", "R4", "R5"];
const CLOUDTEST: DialectId[] = ["C1", "C3", "P2"];
const VPCEP: DialectId[] = ["V1", "V2"];
const MINE = [...POLICY, ...CLOUDTEST, ...VPCEP];
const PROJECT = DEFAULT_ACCOUNT.codeartsProjects[0];

const row = (report: ConformanceReport, id: string) => report.rows.find((r) => r.row === id)!;

/** Runs `rows` against an emulator prepared by `seed`, with the options given; the report and what changed. */
async function probeSeeded(
  dialect: Record<string, string>,
  rows: DialectId[],
  seed: (emu: Emulator) => void,
  opts: { project?: string; allowLeftovers?: boolean; testCaseId?: string } = {},
): Promise<{ report: ConformanceReport; changed: string[]; emu: Emulator; plansAfter: string[] }> {
  const emu = await startEmulator({ port: 0, quiet: true, dialect });
  try {
    seed(emu);
    const before = holdings(emu);
    const plansBefore = emu.store
      .collection<PlanRecord>("testPlans")
      .list(PROJECT)
      .map((p) => p.plan_id);
    const report = await runConformance({
      settings: clientSettings(emu, DEFAULT_ACCOUNT),
      codeartsProjectId: opts.project,
      rows,
      allowLeftovers: opts.allowLeftovers ?? false,
      testCaseId: opts.testCaseId,
    });
    const plansAfter = emu.store
      .collection<PlanRecord>("testPlans")
      .list(PROJECT)
      .map((p) => p.plan_id);
    return { report, changed: [...difference(before, holdings(emu)), ...difference(plansBefore, plansAfter)], emu, plansAfter };
  } finally {
    await emu.close();
  }
}

/** Plans the project already has (as the console would have made them), hex ids unless given. */
function seedPlans(emu: Emulator, n: number, ids?: string[]): string[] {
  const plans = emu.store.collection<PlanRecord>("testPlans");
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = ids?.[i] ?? `${"e".repeat(30)}${String(i).padStart(2, "0")}`;
    plans.put(PROJECT, id, {
      plan_id: id,
      name: `someone's plan ${i}`,
      project_id: PROJECT,
      current_stage: "design",
      start_date: null,
      end_date: "2030-01-01",
      owner_id: DEFAULT_ACCOUNT.users[0].id,
      creator: { id: DEFAULT_ACCOUNT.users[0].id, nick_name: "u", user_name: "u" },
      service_id_list: [13],
      testcases: {},
      created: 1_700_000_000_000 + i,
    });
    out.push(id);
  }
  return out;
}

test("each reading of R1–R5, C1, C3, P2, V1, V2: the probe reports it and leaves the service as it was (test plans excepted)", async () => {
  const cells = await proveRows(MINE);
  console.log(`policy / cloudtest / vpcep proof, ${cells.filter((c) => c.ok).length}/${cells.length} cells\n${renderProof(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
  expect(cells.length).toBe(2 + 2 + 2 + 2 + 2 + 2 + 2 + 3 + 2 + 2);
});

test.each([
  ["least convenient", LEAST_CONVENIENT as Record<string, string>],
  ["default", {} as Record<string, string>],
])("all of these rows at once under the %s dialect: each reading found, nothing left", async (_name, dialect) => {
  const { report, changed } = await probeEmulator(dialect, MINE);
  const expected = (id: DialectId) =>
    (dialect as Record<string, string>)[id] ??
    { R1: "rule-ids", R2: "disabled", R3: "verbatim", R4: "omitted", R5: "tenant-only", C1: "atomic", C3: "hex", P2: "position0", V1: "en", V2: "any" }[id as string];
  console.log(report.rows.map((r) => `${r.row} ${r.reading} (${r.calls} calls) ${r.detail}`).join("\n"));
  expect(Object.fromEntries(report.rows.map((r) => [r.row, r.reading]))).toEqual(Object.fromEntries(MINE.map((id) => [id, expected(id)])));
  expect(changed).toEqual([]);
  expect(report.leftovers.every((l) => /test plan .*no API deletes it/.test(l))).toBe(true);
});

describe("unknown rather than a guess", () => {
  test("no --project: R5 and the CloudTest probes say what they need, with no call to CloudTest", async () => {
    const { report } = await probeSeeded({}, ["R5", ...CLOUDTEST], () => undefined, { allowLeftovers: true });
    for (const id of ["R5", ...CLOUDTEST]) {
      expect(row(report, id).reading).toBe("unknown");
      expect(row(report, id).detail).toMatch(/--project/);
    }
    expect(report.leftovers).toEqual([]);
  });

  test("an empty project without --allow-leftovers: C1 and C3 unknown, and P2 under position1 too (0 refused, but 4 plans needed to tell page1); nothing made", async () => {
    const { report, plansAfter } = await probeSeeded({ P2: "position1" }, CLOUDTEST, () => undefined, { project: PROJECT });
    for (const id of CLOUDTEST) {
      expect(row(report, id).reading).toBe("unknown");
      expect(row(report, id).detail).toMatch(/--allow-leftovers/);
    }
    expect(row(report, "P2").detail).toMatch(/CLOUDTEST\.00060001/);
    expect(plansAfter).toEqual([]);
    expect(report.leftovers).toEqual([]);
  });

  test("no region configured: V1 and V2 unknown (the `region` header has nothing to name), no call", async () => {
    const emu = await startEmulator({ port: 0, quiet: true });
    try {
      const report = await runConformance({ settings: { ...clientSettings(emu, DEFAULT_ACCOUNT), region: undefined }, rows: VPCEP });
      for (const id of VPCEP) {
        expect(row(report, id).reading).toBe("unknown");
        expect(row(report, id).detail).toMatch(/huaweicloud:region/);
        expect(row(report, id).calls).toBe(0);
      }
    } finally {
      await emu.close();
    }
  });

  test.each([["atomic"], ["partial"]])("C1=%s, but the caller has no permission on the test type (500 CLOUDTEST.00013001, C2): unknown, not partial", async (c1) => {
    const { report } = await probeSeeded(
      { C1: c1 },
      ["C1"],
      (emu) => {
        seedPlans(emu, 1);
        seedCloudTestPermissions(emu.store, PROJECT, { deniedServiceIds: [13] });
      },
      { project: PROJECT },
    );
    expect(row(report, "C1").reading).toBe("unknown");
    expect(row(report, "C1").detail).toMatch(/CLOUDTEST\.00013001/);
  });

  test("V1: the other path answers a 200 HTML page (a proxy), not a gateway 404: unknown", async () => {
    const emu = await startEmulator({ port: 0, quiet: true, dialect: { V1: "en" } });
    try {
      emu.faults.inject({ method: "DELETE", path: "/v2/vpceps", fault: { type: "bad-success", body: "html" }, times: 10 });
      const report = await runConformance({ settings: clientSettings(emu, DEFAULT_ACCOUNT), rows: ["V1"] });
      console.log(`V1 with a proxy page on /v2/vpceps: ${row(report, "V1").reading}: ${row(report, "V1").detail}`);
      expect(row(report, "V1").reading).toBe("unknown");
    } finally {
      await emu.close();
    }
  });
});

describe("other rows' readings do not confuse P2: a list that shifts between requests (P3)", () => {
  test.each([["position0"], ["position1"], ["page1"]])("P2=%s, P3=shifting", async (p2) => {
    const { report, changed } = await probeEmulator({ P2: p2, P3: "shifting" }, ["P2"]);
    console.log(`P2=${p2} P3=shifting: ${row(report, "P2").reading} (${row(report, "P2").calls} calls) ${row(report, "P2").detail}`);
    expect(row(report, "P2").reading).toBe(p2);
    expect(changed).toEqual([]);
  });
});

describe("read-only when the project already has what the probe needs", () => {
  test.each([["position0"], ["position1"], ["page1"]])(
    "P2=%s, C1 partial, C3 free ids: 4 existing plans, no --allow-leftovers: P2, C3 found, C1 unknown (a bare 500 proves nothing), nothing made, no test case added",
    async (p2) => {
      let cases: string[] = [];
      const { report, changed, emu } = await probeSeeded(
        { P2: p2, C1: "partial", C3: "free" },
        CLOUDTEST,
        (emu) => {
          cases = seedPlans(emu, 4, ["TP_someone-s_plan_0001", "TP_someone-s_plan_0002", "TP_someone-s_plan_0003", "TP_someone-s_plan_0004"]);
          seedTestCases(emu.store, PROJECT, 13, ["f".repeat(32)]);
        },
        { project: PROJECT, testCaseId: "f".repeat(32) },
      );
      expect(row(report, "P2").reading).toBe(p2);
      expect(row(report, "C1").reading).toBe("unknown");
      expect(row(report, "C1").detail).toMatch(/500 CLOUDTEST\.00000001 .*naming no case.*--test-case .*--allow-leftovers/);
      expect(row(report, "C1").calls).toBe(2);
      expect(row(report, "C3").reading).toBe("free");
      expect(row(report, "C3").detail).toMatch(/TP_someone-s_plan/);
      expect(changed).toEqual([]);
      expect(report.leftovers).toEqual([]);
      // The batch-add named only a case no project holds: the user's plans hold what they held.
      expect(row(report, "C1").detail).toMatch(/to the project's plan TP_someone-s_plan_000[1-4]/);
      for (const id of cases) expect(planTestCases(emu.store, PROJECT, id)).toEqual([]);
    },
  );

  test.each([["atomic"], ["partial"]])(
    "C1=%s, someone's plan, --test-case and --allow-leftovers: the known case goes only to a scratch plan (a leftover), never to the user's",
    async (c1) => {
      const known = "f".repeat(32);
      let user: string[] = [];
      const { report, changed, emu, plansAfter } = await probeSeeded(
        { C1: c1 },
        ["C1"],
        (emu) => {
          user = seedPlans(emu, 1);
          seedTestCases(emu.store, PROJECT, 13, [known]);
        },
        { project: PROJECT, testCaseId: known, allowLeftovers: true },
      );
      console.log(`C1=${c1} with someone's plan and --test-case: ${row(report, "C1").reading} (${row(report, "C1").calls} calls) ${row(report, "C1").detail}`);
      expect(row(report, "C1").reading).toBe(c1);
      expect(planTestCases(emu.store, PROJECT, user[0])).toEqual([]);
      if (c1 === "atomic") {
        // Read-only: the unknown-only batch to the user's plan tells atomic; no scratch plan.
        expect(row(report, "C1").calls).toBe(2);
        expect(plansAfter).toEqual(user);
        expect(report.leftovers).toEqual([]);
      } else {
        expect(row(report, "C1").calls).toBe(5);
        expect(row(report, "C1").detail).toMatch(/1 case\(s\).*known case added, then a 500 naming the unknown case/);
        const scratch = plansAfter.filter((id) => !user.includes(id));
        expect(scratch).toHaveLength(1);
        expect(planTestCases(emu.store, PROJECT, scratch[0])).toEqual([known]);
        expect(report.leftovers).toEqual([expect.stringMatching(new RegExp(`C1: test plan .*${scratch[0]}.*no API deletes it`))]);
      }
      // Nothing else changed: only the scratch plan is new.
      expect(changed).toEqual(plansAfter.filter((id) => !user.includes(id)).map((id) => `left ${id}`));
    },
  );

  test("C1 partial, --test-case of another test type than the one given: the known case is not added either, so unknown, not a guess", async () => {
    const known = "f".repeat(32);
    const { report } = await probeSeeded({ C1: "partial" }, ["C1"], (emu) => void seedTestCases(emu.store, PROJECT, 24, [known]), {
      project: PROJECT,
      testCaseId: known,
      allowLeftovers: true,
    });
    expect(row(report, "C1").reading).toBe("unknown");
    expect(row(report, "C1").detail).toMatch(/0 case\(s\).*not added either.*test type 13/);
    // Named with its type, the same case tells partial.
    const typed = await probeSeeded({ C1: "partial" }, ["C1"], (emu) => void seedTestCases(emu.store, PROJECT, 24, [known]), {
      project: PROJECT,
      testCaseId: `24:${known}`,
      allowLeftovers: true,
    });
    expect(row(typed.report, "C1").reading).toBe("partial");
  });

  test("C1 atomic on someone's plan holding a test case: 400, the plan's cases unchanged", async () => {
    const emu = await startEmulator({ port: 0, quiet: true, dialect: { C1: "atomic" } });
    try {
      const [plan] = seedPlans(emu, 1);
      const known = "a".repeat(32);
      seedTestCases(emu.store, PROJECT, 13, [known]);
      emu.store.collection<PlanRecord>("testPlans").put(PROJECT, plan, { ...emu.store.collection<PlanRecord>("testPlans").get(PROJECT, plan)!, testcases: { [known]: 13 } });
      const report = await runConformance({ settings: clientSettings(emu, DEFAULT_ACCOUNT), codeartsProjectId: PROJECT, rows: ["C1"] });
      expect(row(report, "C1").reading).toBe("atomic");
      expect(row(report, "C1").calls).toBe(2);
      expect(planTestCases(emu.store, PROJECT, plan)).toEqual([known]);
      expect(report.leftovers).toEqual([]);
    } finally {
      await emu.close();
    }
  });

  test("C3 with hex plan ids only: `hex`, and the evidence says it is an inference from N ids", async () => {
    const { report } = await probeSeeded({ C3: "hex" }, ["C3"], (emu) => void seedPlans(emu, 4), { project: PROJECT });
    expect(row(report, "C3").reading).toBe("hex");
    expect(row(report, "C3").detail).toMatch(/^4 plan id\(s\).*inferred/);
    expect(row(report, "C3").calls).toBe(1);
  });

  test("P2=position0 with fewer than 2 plans and no --allow-leftovers: offset=0 accepted is evidence, and the evidence says the positions were not checked", async () => {
    const { report, plansAfter } = await probeSeeded({ P2: "position0" }, ["P2"], (emu) => void seedPlans(emu, 1), { project: PROJECT });
    expect(row(report, "P2").reading).toBe("position0");
    expect(row(report, "P2").detail).toMatch(/not checked/);
    expect(plansAfter.length).toBe(1);
  });

  test.each([["omitted"], ["returned"]])("R4=%s with a rule the account already has: 2 calls, no scratch rule", async (r4) => {
    const domain = DEFAULT_ACCOUNT.domainId;
    const { report, changed } = await probeSeeded({ R4: r4 }, ["R4"], (emu) => {
      const rule: RuleRecord = {
        id: "1".repeat(32),
        type: "Build",
        name: "someone's rule",
        layout_content: "{}",
        content: [],
        version: "2".repeat(32),
        creator: "u",
        updater: "u",
        create_time: "2023-10-20T10:30:20",
        update_time: "2023-10-20T10:30:20",
        operate_time: 1,
      };
      emu.store.collection<RuleRecord>("rules").put(domain, rule.id, rule);
    });
    expect(row(report, "R4").reading).toBe(r4);
    expect(row(report, "R4").calls).toBe(2);
    expect(row(report, "R4").detail).toMatch(/existing rule 1{32}/);
    expect(changed).toEqual([]);
  });

  test.each([["tenant-only"], ["mixed"]])("R5=%s with a tenant policy and a tenant rule set the project already sees: read-only (2 calls per half)", async (r5) => {
    const made = await probeSeeded(
      { R5: r5 },
      ["R5"],
      (emu) => {
        emu.store.collection<Record<string, unknown>>("openSourcePolicies").put(DEFAULT_ACCOUNT.domainId, "3".repeat(32), {
          id: "3".repeat(32),
          name: "someone's policy",
          level: "tenant",
          parent_id: null,
          version: "4".repeat(32),
          is_valid: true,
          is_public: false,
          is_legacy: false,
          creator: "u",
          updater: "u",
          create_time: "2023-10-20T10:30:20",
          update_time: "2023-10-20T10:30:20",
          operate_time: 1,
          content: {},
        });
        const set: RuleSetRecord = {
          id: "5".repeat(32),
          name: "someone's rule set",
          type: "Build",
          version: "6".repeat(32),
          is_valid: true,
          creator: "u",
          updater: "u",
          create_time: "2023-10-20T10:30:20",
          update_time: "2023-10-20T10:30:20",
          operate_time: 1,
          rule_instances: [],
        };
        emu.store.collection<RuleSetRecord>("ruleSets").put(DEFAULT_ACCOUNT.domainId, set.id, set);
      },
      { project: PROJECT },
    );
    expect(row(made.report, "R5").reading).toBe(r5);
    expect(row(made.report, "R5").calls).toBe(4);
    expect(row(made.report, "R5").detail).toMatch(/project's tenant policy 3{32}.*project's tenant rule set 5{32}/);
    expect(made.changed).toEqual([]);
  });
});

test("R5: both lists asked, §4.8.2 open-source policies then §4.6.1 rule sets; halves that disagree are neither reading", async () => {
  // The emulator speaks one reading for the open-source list and is switched to the other once that half is done.
  for (const [ossReading, setReading] of [
    ["tenant-only", "mixed"],
    ["mixed", "tenant-only"],
    ["tenant-only", "tenant-only"],
    ["mixed", "mixed"],
  ]) {
    const emu = await startEmulator({ port: 0, quiet: true, dialect: { R5: ossReading } });
    try {
      const before = holdings(emu);
      const ops: string[] = [];
      const report = await runConformance({
        settings: clientSettings(emu, DEFAULT_ACCOUNT),
        codeartsProjectId: PROJECT,
        rows: ["R5"],
        transcript: (e) => {
          ops.push(`${e.operation}${e.query?.include_tenant_rule_set ? ` ${e.query.include_tenant_rule_set}` : ""}`);
          if (e.operation === "Conformance.ProjectOpenSourcePolicy.list" && e.query?.include_tenant_rule_set === "false") emu.dialect.set({ R5: setReading });
        },
      });
      const r = row(report, "R5");
      console.log(`R5 open-source ${ossReading}, rule sets ${setReading}: ${r.reading} (${r.calls} calls) ${r.detail}`);
      const creates = ops.filter((o) => /create/.test(o));
      expect(creates).toEqual(["Conformance.OpenSourcePolicy.create", "Conformance.Rule.create", "Conformance.RuleSet.create"]);
      expect(ops.filter((o) => /^Conformance\.Project/.test(o))).toEqual([
        "Conformance.ProjectOpenSourcePolicy.list true",
        "Conformance.ProjectOpenSourcePolicy.list true",
        "Conformance.ProjectOpenSourcePolicy.list false",
        "Conformance.ProjectRuleSet.list true",
        "Conformance.ProjectRuleSet.list true",
        "Conformance.ProjectRuleSet.list false",
      ]);
      if (ossReading === setReading) {
        expect(r.reading).toBe(ossReading);
        expect(r.detail).toMatch(/§4\.8\.2 .*; §4\.6\.1 /);
      } else {
        expect(r.reading).toBe("unknown");
        expect(r.detail).toMatch(/halves disagree/);
        expect(r.detail).toMatch(/§4\.8\.2 open-source policy list: .*§4\.6\.1 rule set list: /);
      }
      expect(difference(before, holdings(emu))).toEqual([]);
    } finally {
      await emu.close();
    }
  }
});

test("R5: the §4.6.1 rule set list answering 500: unknown, every scratch object removed", async () => {
  const emu = await startEmulator({ port: 0, quiet: true, dialect: { R5: "mixed" } });
  try {
    emu.faults.inject({ method: "GET", path: "/v2/*/rule-sets/query", fault: { type: "status", status: 500 }, times: 10 });
    const before = holdings(emu);
    const report = await runConformance({ settings: { ...clientSettings(emu, DEFAULT_ACCOUNT), maxRetries: 0 }, codeartsProjectId: PROJECT, rows: ["R5"] });
    expect(row(report, "R5").reading).toBe("unknown");
    expect(row(report, "R5").detail).toMatch(/§4\.6\.1 rule set list with include_tenant_rule_set=true answered 500/);
    expect(difference(before, holdings(emu))).toEqual([]);
  } finally {
    await emu.close();
  }
});
