import { renderMatrix, rowMatrix, type MatrixCell } from "./support/dialectMatrix";
import { expectRefusedAtCheck, World, inWorld } from "./support/world";
import type { DialectId } from "../emulator/dialects";
import { clientSettings, holdPipelineRuns, planTestCases, seedCloudTestPermissions, seedTestCases } from "../emulator";
import { listProjectOpenSourcePolicies, listProjectRuleSets } from "../provider/lookups/policies";

/**
 * The "policies" family of the dialect matrix (issue 15): rows R1–R5 (rules, rule sets, open-source
 * policies), L1, L2, L4, L5 (pipelines, groups, templates), C1, C3 (CloudTest), and the capabilities L3,
 * C2, C4. The generic lifecycle under every reading, then scenarios that make each reading matter,
 * through the real host, checking the service's inventory afterwards.
 */
jest.setTimeout(300_000);

const ROWS: DialectId[] = ["R1", "L4", "L5", "R3", "R4", "R2", "R5", "L1", "L2", "C1", "C3"];
let cells: MatrixCell[] = [];

test("matrix: every concerned kind's lifecycle under every reading of the family's rows", async () => {
  cells = await rowMatrix(ROWS);
  console.log(`policies family dialect matrix\n${renderMatrix(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

const ruleInputs = (name: string, type = "Gate") => ({
  name,
  type,
  layoutContent: "l",
  content: [{ groupName: "g", properties: [{ key: "k", name: "n", type: "judge", operator: ">=", valueType: "float", value: "0.5" }] }],
});

describe("R1: rules[].id of a rule-set update (rule ids or the set's instance ids)", () => {
  const remote = async (w: World, id: string): Promise<any> =>
    (await w.outOfBand.send<Record<string, any>>({ service: "pipeline", method: "GET", path: `/v2/${w.account.domainId}/tenant/rule-sets/${id}/detail`, operation: "Test.get" }))
      .body;
  for (const reading of ["rule-ids", "instance-ids"]) {
    test(`${reading}: rename, disable a rule, drop a rule: the set holds exactly what is declared`, async () => {
      await inWorld({ R1: reading }, async (w) => {
        const a = (await w.engine.up("Rule", "a", ruleInputs("API pass rate"))).state!.id;
        const b = (await w.engine.up("Rule", "b", ruleInputs("Unit coverage", "Build"))).state!.id;
        const c = (await w.engine.up("Rule", "c", ruleInputs("Code check"))).state!.id;
        const id = (await w.engine.up("RuleSet", "set", { name: "gate", rules: [{ id: a }, { id: b }] })).state!.id;
        expect((await w.engine.up("RuleSet", "set", { name: "gate 2", rules: [{ id: a }, { id: b }] })).op).toBe("update");
        expect((await w.engine.up("RuleSet", "set", { name: "gate 2", rules: [{ id: a }, { id: b, isValid: false }] })).op).toBe("update");
        let s = await remote(w, id);
        expect(s.name).toBe("gate 2");
        expect(s.rule_instances.map((i: any) => [i.name, i.is_valid])).toEqual([
          ["API pass rate", true],
          ["Unit coverage", false],
        ]);
        expect((await w.engine.up("RuleSet", "set", { name: "gate 2", rules: [{ id: b, isValid: false }] })).op).toBe("update");
        s = await remote(w, id);
        expect(s.rule_instances.map((i: any) => i.name)).toEqual(["Unit coverage"]);
        expect((await w.engine.refresh("RuleSet", "set")).state!.inputs.rules).toEqual([{ id: b, isValid: false }]);
        // Adding a rule: rule ids under `rule-ids`; under `instance-ids` no id can name it: stopped, nothing changed.
        const add = await w.engine.up("RuleSet", "set", { name: "gate 2", rules: [{ id: b, isValid: false }, { id: c }] }).catch((e: Error) => e);
        s = await remote(w, id);
        if (reading === "rule-ids") {
          expect(s.rule_instances.map((i: any) => i.name)).toEqual(["Unit coverage", "Code check"]);
        } else {
          expect(String((add as any).message ?? (add as any).error ?? JSON.stringify(add))).toMatch(/Rule Instance ID.*R1 instance-ids|R1 instance-ids/s);
          expect(s.rule_instances.map((i: any) => i.name)).toEqual(["Unit coverage"]);
        }
        await w.engine.destroy("RuleSet", "set");
        expect(w.emu.store.snapshot().ruleSets?.[w.account.domainId] ?? {}).toEqual({});
      });
    });
  }
});

describe("L4/L5: a template's definition and unset fields read back", () => {
  // The §4.1.3 example's shape: unsorted keys, "0" beside 0, a null member.
  const definition = { stages: [{ name: "Phase 1", sequence: "0", identifier: "s1", jobs: [{ name: "j", sequence: 0, identifier: "j1", steps: [], post: null }] }] };
  for (const dialect of [{ L4: "verbatim" }, { L4: "normalised" }, { L4: "normalised", L5: "omitted" }, { L4: "normalised", L5: "defaults" }] as Array<Record<string, string>>) {
    test(`${JSON.stringify(dialect)}: no perpetual diff; adoption converges with no update; real drift still shows`, async () => {
      await inWorld(dialect, async (w) => {
        const inputs = { name: "mixed", language: "Java", isShowSource: true, definition };
        const id = (await w.engine.up("PipelineTemplate", "t", inputs)).state!.id;
        const read = await w.engine.refresh("PipelineTemplate", "t");
        expect(read.op).toBe("refresh");
        expect((await w.engine.up("PipelineTemplate", "t", inputs)).op).toBe("same");
        const mark = w.emu.log.mark();
        const adopted = await w.engine.up("PipelineTemplate", "t2", { ...inputs, adoptId: id });
        expect(adopted.state!.id).toBe(id);
        expect(
          w.emu.log
            .since(mark)
            .filter((e) => e.method !== "GET" && !(e.operation ?? "").endsWith(".list"))
            .map((e) => e.operation),
        ).toEqual([]);
        w.engine.state.delete(w.engine.urn("PipelineTemplate", "t2"));
        // Real drift still shows: the stage renamed behind Pulumi's back.
        const t = (await w.outOfBand.send<any>({ service: "pipeline", method: "GET", path: `/v5/${w.account.domainId}/api/pipeline-templates/${id}`, operation: "Test.get" })).body;
        await w.outOfBand.send({
          service: "pipeline",
          method: "PUT",
          path: `/v5/${w.account.domainId}/api/pipeline-templates/${id}`,
          operation: "Test.put",
          body: {
            name: t.name,
            language: t.language,
            is_system: false,
            domain_id: w.account.domainId,
            is_show_source: true,
            definition: t.definition.replace("Phase 1", "Phase X"),
          },
        });
        expect(JSON.parse((await w.engine.refresh("PipelineTemplate", "t")).state!.inputs.definition as string).stages[0].name).toBe("Phase X");
        expect((await w.engine.up("PipelineTemplate", "t", inputs)).op).toBe("update");
        expect((await w.engine.up("PipelineTemplate", "t", inputs)).op).toBe("same");
        await w.engine.destroy("PipelineTemplate", "t");
        expect(w.emu.store.snapshot().pipelineTemplates?.[w.account.domainId] ?? {}).toEqual({});
      });
    });
  }
});

const mutating = (w: World, mark: number) =>
  w.emu.log
    .since(mark)
    .filter((e) => e.method !== "GET" && !(e.operation ?? "").endsWith(".list"))
    .map((e) => e.operation);

describe("R3: open-source policy content read back verbatim or normalised", () => {
  // Left out: every `enable` of security and licence, the severity section; "" in cve values (the §4.7.2 example).
  const content = {
    versionSet: { enable: true, rules: [{ ecosystem: "Maven", packageName: "sboot", predicate: "eq", packageVersion: "1.1" }] },
    security: { rules: { cve: { values: ["CVE-2023-1", ""] } } },
    license: { rules: [{ predicate: "contain" }] },
  };
  for (const reading of ["verbatim", "normalised"]) {
    test(`${reading}: no perpetual diff, adoption converges with no change, real drift shows`, async () => {
      await inWorld({ R3: reading }, async (w) => {
        const inputs = { name: "oss", content, isValid: false };
        const id = (await w.engine.up("OpenSourcePolicy", "p", inputs)).state!.id;
        expect((await w.engine.refresh("OpenSourcePolicy", "p")).op).toBe("refresh");
        expect((await w.engine.up("OpenSourcePolicy", "p", inputs)).op).toBe("same");
        const mark = w.emu.log.mark();
        expect((await w.engine.up("OpenSourcePolicy", "p2", { ...inputs, adoptId: id })).state!.id).toBe(id);
        expect(mutating(w, mark)).toEqual([]);
        w.engine.state.delete(w.engine.urn("OpenSourcePolicy", "p2"));
        const D = w.account.domainId;
        const cur = (await w.outOfBand.send<any>({ service: "pipeline", method: "GET", path: `/v2/${D}/tenant/open-source/rule-sets/${id}/detail`, operation: "Test.get" })).body;
        cur.content.security.rules.cve.values = ["CVE-2024-9"];
        await w.outOfBand.send({
          service: "pipeline",
          method: "PUT",
          path: `/v2/${D}/tenant/open-source/rule-sets/${id}/update`,
          body: { name: "oss", content: cur.content },
          operation: "Test.put",
        });
        expect((await w.engine.refresh("OpenSourcePolicy", "p")).state!.inputs.content).toMatchObject({ security: { rules: { cve: { values: ["CVE-2024-9"] } } } });
        expect((await w.engine.up("OpenSourcePolicy", "p", inputs)).op).toBe("update");
        expect((await w.engine.up("OpenSourcePolicy", "p", inputs)).op).toBe("same");
        await w.engine.destroy("OpenSourcePolicy", "p");
        expect(w.emu.store.snapshot().openSourcePolicies?.[D] ?? {}).toEqual({});
      });
    });
  }
});

describe("R4: layout_content in the rule detail, omitted or returned", () => {
  for (const reading of ["omitted", "returned"]) {
    test(`${reading}: adoption leaves the service holding the declared layout; drift shows where it can be seen`, async () => {
      await inWorld({ R4: reading }, async (w) => {
        const D = w.account.domainId;
        const stored = (id: string) => (w.emu.store.snapshot().rules[D][id] as any).layout_content;
        const id = (await w.engine.up("Rule", "r", ruleInputs("gate rule"))).state!.id;
        expect((await w.engine.up("Rule", "r", ruleInputs("gate rule"))).op).toBe("same");
        // Someone edits the layout behind Pulumi's back.
        const body = {
          type: "Gate",
          name: "gate rule",
          layout_content: "edited",
          content: [{ group_name: "g", properties: [{ key: "k", name: "n", type: "judge", operator: ">=", value_type: "float", value: "0.5" }] }],
        };
        await w.outOfBand.send({ service: "pipeline", method: "PUT", path: `/v2/${D}/rules/${id}/update`, body, operation: "Test.put" });
        const seen = (await w.engine.refresh("Rule", "r")).state!.inputs.layoutContent;
        expect(seen).toBe(reading === "returned" ? "edited" : "l");
        // Adopting it: under `omitted` the layout cannot be seen, so the declared one is sent.
        const mark = w.emu.log.mark();
        expect((await w.engine.up("Rule", "r2", { ...ruleInputs("gate rule"), adoptId: id })).state!.id).toBe(id);
        expect(mutating(w, mark)).toEqual(["Rule.update"]);
        expect(stored(id)).toBe("l");
        expect((await w.engine.up("Rule", "r2", { ...ruleInputs("gate rule"), adoptId: id })).op).toBe("same");
        w.engine.state.delete(w.engine.urn("Rule", "r"));
        await w.engine.destroy("Rule", "r2");
        expect(w.emu.store.snapshot().rules?.[D] ?? {}).toEqual({});
      });
    });
  }
});

describe("R2: a new open-source policy's is_valid, disabled or enabled", () => {
  for (const reading of ["disabled", "enabled"]) {
    test(`${reading}: the service holds the declared state; a switch only when the default differs`, async () => {
      await inWorld({ R2: reading }, async (w) => {
        const D = w.account.domainId;
        for (const isValid of [true, false]) {
          const mark = w.emu.log.mark();
          const id = (await w.engine.up("OpenSourcePolicy", `p-${isValid}`, { name: `p ${isValid}`, content: { versionSet: { enable: true } }, isValid })).state!.id;
          expect((w.emu.store.snapshot().openSourcePolicies[D][id] as any).is_valid).toBe(isValid);
          expect(mutating(w, mark).filter((o) => o === "OpenSourcePolicy.switch")).toHaveLength(isValid === (reading === "enabled") ? 0 : 1);
          expect((await w.engine.refresh("OpenSourcePolicy", `p-${isValid}`)).state!.inputs.isValid).toBe(isValid);
        }
      });
    });
  }
});

describe("R5: project-level lists with include_tenant_rule_set=false", () => {
  for (const reading of ["tenant-only", "mixed"]) {
    test(`${reading}: includeTenant false never yields a tenant item; true yields ours; system items are labelled`, async () => {
      await inWorld({ R5: reading }, async (w) => {
        const P = w.account.codeartsProjects[0];
        const rule = (await w.engine.up("Rule", "r", ruleInputs("rule"))).state!.id;
        const set = (await w.engine.up("RuleSet", "s", { name: "tenant set", rules: [{ id: rule }] })).state!.id;
        const oss = (await w.engine.up("OpenSourcePolicy", "o", { name: "tenant oss", content: { versionSet: { enable: true } } })).state!.id;
        const settings = clientSettings(w.emu);
        for (const list of [listProjectRuleSets, listProjectOpenSourcePolicies] as const) {
          const without = await list(P, { settings, includeTenant: false });
          expect(without.filter((i) => i.level === "tenant")).toEqual([]);
          expect(without.map((i) => i.id)).not.toContain(set);
          expect(without.map((i) => i.id)).not.toContain(oss);
          const all = await list(P, { settings });
          expect(all.map((i) => i.id)).toContain(list === listProjectRuleSets ? set : oss);
          if (reading === "mixed") expect(all.filter((i) => i.level === "system")).toHaveLength(1);
        }
      });
    });
  }
});

const pipelineDefinition = { stages: [{ name: "Build", sequence: 0, identifier: "s1", jobs: [{ name: "Compile", identifier: "job-1", sequence: 0, steps: [] }] }] };
const pipelineInputs = (P: string, name: string, groupId: string) => ({ projectId: P, name, isPublish: false, definition: pipelineDefinition, groupId });
/** Groups A and A/B, a pipeline in each; returns their ids. */
async function groupsWithPipelines(w: World) {
  const P = w.account.codeartsProjects[0];
  const A = (await w.engine.up("PipelineGroup", "A", { projectId: P, name: "A" })).state!.id;
  const B = (await w.engine.up("PipelineGroup", "B", { projectId: P, name: "B", parentId: A })).state!.id;
  const inA = (await w.engine.up("Pipeline", "inA", pipelineInputs(P, "in-a", A))).state!.id;
  const inB = (await w.engine.up("Pipeline", "inB", pipelineInputs(P, "in-b", B))).state!.id;
  return { P, A, B, inA, inB };
}

describe("L1: the pipeline list's group_path_id filter (path, id or subtree)", () => {
  for (const reading of ["path", "id", "subtree"]) {
    test(`${reading}: membership of a nested group reads back right, no perpetual move; a move behind Pulumi's back shows`, async () => {
      await inWorld({ L1: reading }, async (w) => {
        const { P, A, B, inA } = await groupsWithPipelines(w);
        for (const [name, group] of [
          ["inA", A],
          ["inB", B],
        ] as const) {
          expect((await w.engine.refresh("Pipeline", name)).state!.inputs.groupId).toBe(group);
          expect((await w.engine.up("Pipeline", name, pipelineInputs(P, name === "inA" ? "in-a" : "in-b", group))).op).toBe("same");
        }
        // in-a moved into the sub-group B out of band: under `subtree` A's filter still shows it.
        await w.outOfBand.send({
          service: "pipeline",
          method: "POST",
          path: `/v5/${P}/api/pipeline-group/pipeline/move`,
          body: { group_id: B, pipelines: [{ pipeline_id: inA, pipeline_name: "in-a" }] },
          operation: "Test.move",
        });
        expect((await w.engine.refresh("Pipeline", "inA")).state!.inputs.groupId).toBe(B);
        expect((await w.engine.up("Pipeline", "inA", pipelineInputs(P, "in-a", A))).op).toBe("update");
        expect((w.emu.store.snapshot().pipelines[P][inA] as any).group_id).toBe(A);
      });
    });
  }
});

describe("L2: deleting a group with sub-groups or pipelines (refuse, cascade, ungroup)", () => {
  for (const reading of ["refuse", "cascade", "ungroup"]) {
    test(`${reading}: a group that is not empty is never deleted; the pipelines the state claims stay; emptied, it goes`, async () => {
      await inWorld({ L2: reading }, async (w) => {
        const { P, A, B, inA, inB } = await groupsWithPipelines(w);
        const held = () => ({
          groups: Object.keys(w.emu.store.snapshot().pipelineGroups?.[P] ?? {}).sort(),
          pipelines: Object.keys(w.emu.store.snapshot().pipelines?.[P] ?? {}).sort(),
        });
        const before = held();
        await expect(w.engine.destroy("PipelineGroup", "A")).rejects.toThrow(/not deleted.*sub-groups.*pipelines.*L2/s);
        await expect(w.engine.destroy("PipelineGroup", "B")).rejects.toThrow(/not deleted.*pipelines in-b.*L2/s);
        expect(held()).toEqual(before);
        await w.engine.destroy("Pipeline", "inB");
        await w.engine.destroy("PipelineGroup", "B");
        await expect(w.engine.destroy("PipelineGroup", "A")).rejects.toThrow(/pipelines in-a/);
        await w.engine.destroy("Pipeline", "inA");
        await w.engine.destroy("PipelineGroup", "A");
        expect(held().groups.filter((g) => [A, B].includes(g))).toEqual([]);
        expect(held().pipelines.filter((p) => [inA, inB].includes(p))).toEqual([]);
      });
    });
  }
});

const plan = (P: string, name: string, extra: Record<string, unknown> = {}) => ({ projectId: P, name, endDate: "2026-12-31", serviceIdList: [1], ...extra });
const K1 = "c1000000000000000000000000000001";
const K2 = "c1000000000000000000000000000002";
const UNKNOWN = "c1000000000000000000000000000099";

describe("C1: batch-add of test cases with an unknown case (atomic or partial)", () => {
  for (const reading of ["atomic", "partial"]) {
    test(`${reading}: the update stops naming the unknown case; state records only what was added before; fixed, the next up adds the rest`, async () => {
      await inWorld({ C1: reading }, async (w) => {
        const P = w.account.codeartsProjects[0];
        seedTestCases(w.emu.store, P, 1, [K1, K2]);
        const id = (await w.engine.up("TestPlan", "p", plan(P, "c1 plan", { testCases: [{ serviceId: 1, ids: [K1] }] }))).state!.id;
        const mark = w.emu.log.mark();
        await expect(w.engine.up("TestPlan", "p", plan(P, "c1 plan", { testCases: [{ serviceId: 1, ids: [K1, K2, UNKNOWN] }] }))).rejects.toThrow(
          new RegExp(`${UNKNOWN}.*C1`, "s"),
        );
        expect(w.callsSince(mark, "TestPlan.addTestCases")).toBe(1); // a definitive answer: not retried
        expect(planTestCases(w.emu.store, P, id).sort()).toEqual(reading === "atomic" ? [K1] : [K1, K2]);
        expect(w.engine.state.get(w.engine.urn("TestPlan", "p"))!.outputs.testCases).toEqual([{ serviceId: 1, ids: [K1] }]);
        expect((await w.engine.up("TestPlan", "p", plan(P, "c1 plan", { testCases: [{ serviceId: 1, ids: [K1, K2] }] }))).op).toBe("update");
        expect(planTestCases(w.emu.store, P, id).sort()).toEqual([K1, K2]);
      });
    });
  }
});

describe("C1: every case of the batch unknown", () => {
  for (const reading of ["atomic", "partial"]) {
    test(`${reading}: one call (the 500 CLOUDTEST.00000001 without error_detail is not retried either), nothing added, nothing assumed`, async () => {
      await inWorld({ C1: reading }, async (w) => {
        const P = w.account.codeartsProjects[0];
        seedTestCases(w.emu.store, P, 1, [K1]);
        const id = (await w.engine.up("TestPlan", "p", plan(P, "c1 all", { testCases: [{ serviceId: 1, ids: [K1] }] }))).state!.id;
        const mark = w.emu.log.mark();
        const answer = reading === "atomic" ? /CLOUDTEST\.00017057/ : /HTTP 500 CLOUDTEST\.00000001.*naming no case/s;
        const e = await w.engine
          .up(
            "TestPlan",
            "p",
            plan(P, "c1 all", {
              testCases: [
                { serviceId: 1, ids: [K1, UNKNOWN] },
                { serviceId: 2, ids: [K2] },
              ],
            }),
          )
          .then(
            () => undefined,
            (x: Error) => x,
          );
        expect(e?.message).toMatch(answer);
        expect(e?.message).toMatch(new RegExp(`${UNKNOWN}.*C1`, "s"));
        expect(w.callsSince(mark, "TestPlan.addTestCases")).toBe(1);
        expect(planTestCases(w.emu.store, P, id)).toEqual([K1]);
        expect(w.engine.state.get(w.engine.urn("TestPlan", "p"))!.outputs.testCases).toEqual([{ serviceId: 1, ids: [K1] }]);
      });
    });
  }
});

describe("C3: plan and test-case id forms (hex or free)", () => {
  for (const reading of ["hex", "free"]) {
    test(`${reading}: a plan with the service's id form is created, read and adopted; test-case ids of 32 characters of any kind are added`, async () => {
      await inWorld({ C3: reading }, async (w) => {
        const P = w.account.codeartsProjects[0];
        const free = "case-0000_0000-0000-0000000000001";
        seedTestCases(w.emu.store, P, 1, [free.slice(0, 32)]);
        const id = (await w.engine.up("TestPlan", "p", plan(P, "c3 plan"))).state!.id;
        if (reading === "free") expect(id).not.toMatch(/^[0-9a-f]{32}$/);
        expect((await w.engine.refresh("TestPlan", "p")).op).toBe("refresh");
        const adopted = await w.engine.up("TestPlan", "again", plan(P, "c3 plan", { adoptId: id, testCases: [{ serviceId: 1, ids: [free.slice(0, 32)] }] }));
        expect(adopted.state!.id).toBe(id);
        expect(planTestCases(w.emu.store, P, id)).toEqual([free.slice(0, 32)]);
      });
    });
  }
});

describe("C2: definitive CloudTest failures answered 500 (capability, always on)", () => {
  test("a viewer as handler, a test type without permission: one call each, no retry, no look-up, nothing recorded; on batch-add the plan is kept", async () => {
    await inWorld({}, async (w) => {
      const P = w.account.codeartsProjects[0];
      const viewer = "a0000000000000000000000000000077";
      seedCloudTestPermissions(w.emu.store, P, { roles: { [viewer]: "viewer" }, deniedServiceIds: [7] });
      seedTestCases(w.emu.store, P, 7, [K1]);
      for (const [inputs, code] of [
        [plan(P, "handler", { assignedId: viewer }), "00070008"],
        [plan(P, "types", { serviceIdList: [1, 7] }), "00013002"],
      ] as const) {
        const mark = w.emu.log.mark();
        await expect(w.engine.up("TestPlan", inputs.name, inputs)).rejects.toThrow(new RegExp(`${code}.*definitive`, "s"));
        expect(w.emu.log.since(mark).map((e) => e.operation)).toEqual(["TestPlan.create"]);
        expect(w.engine.state.has(w.engine.urn("TestPlan", inputs.name))).toBe(false);
      }
      const mark = w.emu.log.mark();
      await expect(w.engine.up("TestPlan", "cases", plan(P, "cases", { testCases: [{ serviceId: 7, ids: [K1] }] }))).rejects.toThrow(/00013001/);
      expect(w.callsSince(mark, "TestPlan.addTestCases")).toBe(1);
      expect(w.engine.state.get(w.engine.urn("TestPlan", "cases"))?.id).toMatch(/./); // the plan exists: kept in state
    });
  });
});

describe("C4: dates are real calendar dates (provider check, always on)", () => {
  test("2026-02-31 and 2026-13-01 are refused at check, naming the property; 2028-02-29 is accepted", async () => {
    await inWorld({}, async (w) => {
      const P = w.account.codeartsProjects[0];
      await expectRefusedAtCheck(w, "TestPlan", plan(P, "bad end", { endDate: "2026-02-31" }), "endDate", /real calendar date/);
      await expectRefusedAtCheck(w, "TestPlan", plan(P, "bad start", { startDate: "2026-13-01" }), "startDate", /real calendar date/);
      expect((await w.engine.up("TestPlan", "leap", plan(P, "leap", { endDate: "2028-02-29" }))).op).toBe("create");
    });
  });
});

describe("L3: runs held QUEUED, PAUSED or SUSPEND block a pipeline delete (capability, always on)", () => {
  test("each held status: delete is refused while the run is held; the provider stops it and deletes the pipeline and its runs", async () => {
    await inWorld({}, async (w) => {
      const P = w.account.codeartsProjects[0];
      for (const status of ["QUEUED", "PAUSED", "SUSPEND"] as const) {
        const id = (await w.engine.up("Pipeline", status, { projectId: P, name: `held-${status}`, isPublish: false, definition: pipelineDefinition })).state!.id;
        const run = (await w.outOfBand.send<any>({ service: "pipeline", method: "POST", path: `/v5/${P}/api/pipelines/${id}/run`, body: {}, operation: "Test.run" })).body
          .pipeline_run_id;
        expect(holdPipelineRuns(w.emu.store, P, id, status)).toEqual([run]);
        const listed = (
          await w.outOfBand.send<any>({
            service: "pipeline",
            method: "POST",
            path: `/v5/${P}/api/pipelines/${id}/pipeline-runs/list`,
            body: { status: [status], offset: 0, limit: 10 },
            operation: "Test.runs",
          })
        ).body;
        expect(listed.pipeline_runs.map((r: any) => r.pipeline_run_id)).toEqual([run]);
        const refused = await w.outOfBand.send<any>({ service: "pipeline", method: "DELETE", path: `/v5/${P}/api/pipelines/${id}`, operation: "Test.delete" }).catch((e: any) => e);
        expect(refused.errorCode).toBe("DEVPIPE.0011408");
        const mark = w.emu.log.mark();
        await w.engine.destroy("Pipeline", status);
        expect(w.emu.log.since(mark).filter((e) => e.operation === "Pipeline.stop")).toHaveLength(1);
        expect(w.emu.store.snapshot().pipelines?.[P]?.[id]).toBeUndefined();
        expect(w.emu.store.collection("pipelineRuns").get(P, run)).toBeUndefined();
      }
    });
  });
});
