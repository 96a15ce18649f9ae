import { DIALECT_ROWS, type DialectId } from "../emulator/dialects";
import { renderMatrix, rowMatrix } from "./support/dialectMatrix";
import { addPlanOutOfBand } from "./support/testPlans";
import { startWorld, World } from "./support/world";
import { KINDS_UNDER_TEST } from "./harness/kinds";
import { clientSettings, stackConfig as emulatorStackConfig } from "../emulator";
import { listProjectOpenSourcePolicies } from "../provider/lookups/policies";

/**
 * The "lists" family of the dialect matrix (issue 15): P1 (what the plug-in lists' `offset` counts),
 * P2 (the CloudTest v2 plan list's `offset`), P3 (objects inserted at the front between two page
 * requests), N1 (duplicate names), G3 (Pipeline errors in a 200 or as 4xx), G5 (scope headers).
 * The matrix runs every concerned kind's lifecycle under each reading; the scenarios below make the
 * reading matter (a second page, a duplicate name) and check the service's inventory afterwards.
 */
jest.setTimeout(240_000);

const ROWS: DialectId[] = (process.env.LIST_ROWS?.split(",") as DialectId[] | undefined) ?? ["P1", "P2", "P3", "N1", "G3", "G5"];

test("matrix: every concerned kind's lifecycle under every reading of the lists rows", async () => {
  const cells = await rowMatrix(ROWS);
  console.log(`Dialect matrix, lists rows:\n${renderMatrix(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

async function withWorld<T>(dialect: Record<string, string>, f: (w: World) => Promise<T>): Promise<T> {
  const w = await startWorld({ dialect });
  try {
    return await f(w);
  } finally {
    await w.close();
  }
}

const addPlugin = (w: World, name: string) =>
  w.outOfBand.send({
    service: "pipeline",
    method: "POST",
    path: `/v3/${w.account.domainId}/extension/info/add`,
    operation: "Test.add",
    body: {
      plugin_name: name,
      display_name: name,
      business_type: "Normal",
      description: "",
      maintainers: "",
      business_type_display_name: "General",
      icon_url: "",
      plugin_composition_type: "single",
    },
  });

describe("P1: a plug-in beyond the first page is found under every reading of `offset`", () => {
  const held = (w: World) =>
    w.emu.store
      .collection<Record<string, unknown>>("plugins")
      .list(w.account.domainId)
      .map((p) => String(p.plugin_name))
      .sort();

  for (const reading of DIALECT_ROWS.P1.readings) {
    test(`P1=${reading}: refresh, adoption and destroy of a plug-in on page 2 (13 plug-ins, pages of 10)`, async () => {
      await withWorld({ P1: reading }, async (w) => {
        const inputs = { pluginName: "lst", displayName: "Listed", businessType: "Deploy" };
        expect((await w.engine.up("Plugin", "lst", inputs)).op).toBe("create");
        // Newer plug-ins list first: these push "lst" to position 12, the second page.
        for (let i = 1; i <= 12; i++) await addPlugin(w, `lst_${String(i).padStart(2, "0")}`);
        const r = await w.engine.refresh("Plugin", "lst");
        expect(r.op).toBe("refresh"); // not "gone"
        expect((await w.engine.up("Plugin", "lst", inputs)).op).toBe("same");
        // A second resource adopts it by id: the look-up must find it on page 2.
        const adopted = await w.engine.up("Plugin", "lst-adopted", { ...inputs, adoptId: "lst" });
        expect(adopted.op).toBe("create");
        expect(adopted.state!.id).toBe("lst");
        w.engine.state.delete(w.engine.urn("Plugin", "lst"));
        await w.engine.destroy("Plugin", "lst-adopted");
        expect(held(w)).toEqual(Array.from({ length: 12 }, (_, i) => `lst_${String(i + 1).padStart(2, "0")}`));
      });
    });
  }
});

describe("P2: a test plan beyond the first page of the v2 list is found under every reading of `offset`", () => {
  for (const reading of DIALECT_ROWS.P2.readings) {
    test(`P2=${reading}: refresh and adoption-free read of a plan on page 2 (111 plans, pages of 100)`, async () => {
      await withWorld({ P2: reading }, async (w) => {
        const P = w.account.codeartsProjects[0];
        const inputs = { projectId: P, name: "tp", endDate: "2026-12-31", serviceIdList: [1] };
        const made = await w.engine.up("TestPlan", "tp", inputs);
        expect(made.op).toBe("create");
        await new Promise((r) => setTimeout(r, 5));
        // Newer plans list first: these push "tp" to position 110, the second page of 100.
        for (let i = 1; i <= 110; i++) {
          await addPlanOutOfBand(w.outOfBand, w.emu, P, `tp ${String(i).padStart(3, "0")}`);
        }
        const r = await w.engine.refresh("TestPlan", "tp");
        expect(r.op).toBe("refresh"); // not "gone"
        expect(r.state!.id).toBe(made.state!.id);
        expect((await w.engine.up("TestPlan", "tp", inputs)).op).toBe("same");
        expect(w.emu.store.collection<Record<string, unknown>>("testPlans").list(P)).toHaveLength(111);
      });
    });
  }
});

describe("P3: an object inserted at the front between two page requests", () => {
  for (const reading of DIALECT_ROWS.P3.readings) {
    test(`P3=${reading}: a project's 20 open-source policies (pages of 15) are each listed once`, async () => {
      await withWorld({ P3: reading }, async (w) => {
        const k = KINDS_UNDER_TEST.find((x) => x.type === "OpenSourcePolicy")!;
        const ids: string[] = [];
        for (let i = 1; i <= 20; i++) ids.push((await w.engine.up("OpenSourcePolicy", `oss-${i}`, k.inputs({}, i))).state!.id);
        const listed = (await listProjectOpenSourcePolicies(w.account.codeartsProjects[0], { settings: clientSettings(w.emu) })).map((p) => p.id);
        // Under `shifting` the second page repeats the first page's last policy: listed once all the same.
        expect([...listed].sort()).toEqual([...ids].sort());
      });
    });
  }
  for (const offsetRule of DIALECT_ROWS.P1.readings) {
    test(`P3=shifting with P1=${offsetRule}: a plug-in on page 2 is found; a publisher among 12 similar ones is created once`, async () => {
      await withWorld({ P3: "shifting", P1: offsetRule }, async (w) => {
        const inputs = { pluginName: "sh", displayName: "Shifted", businessType: "Deploy" };
        expect((await w.engine.up("Plugin", "sh", inputs)).op).toBe("create");
        for (let i = 1; i <= 12; i++) await addPlugin(w, `sh_${String(i).padStart(2, "0")}`);
        expect((await w.engine.refresh("Plugin", "sh")).op).toBe("refresh");
        const adopted = await w.engine.up("Plugin", "sh-adopted", { ...inputs, adoptId: "sh" });
        expect(adopted.state!.id).toBe("sh");
        w.engine.state.delete(w.engine.urn("Plugin", "sh"));
        await w.engine.destroy("Plugin", "sh-adopted");
        expect(w.emu.store.collection<Record<string, unknown>>("plugins").list(w.account.domainId)).toHaveLength(12);
        // The publisher create lists by name before and after (§4.9.3 answers a bare `true`): both
        // listings span two pages whose total never reconciles (one more than can be seen).
        for (let i = 1; i <= 12; i++) {
          await w.outOfBand.send({
            service: "pipeline",
            method: "POST",
            path: `/v1/${w.account.domainId}/publisher/create`,
            operation: "Test.create",
            body: { name: `Shift ${i}`, en_name: `shift${i}`, description: "", website: "", support_url: "s@example.com", source_url: "", logo_url: "" },
          });
        }
        const pub = await w.engine.up("Publisher", "shift", { name: "Shift", enName: "shift", supportUrl: "s@example.com" });
        expect(pub.op).toBe("create");
        const held = w.emu.store
          .collection<Record<string, unknown>>("publishers")
          .list(w.account.domainId)
          .filter((p) => p.is_delete !== 1);
        expect(held).toHaveLength(13);
        expect(held.filter((p) => p.publisher_unique_id === pub.state!.id)).toHaveLength(1);
      });
    });
  }
});

describe("N1: a second object with the same name", () => {
  const rules = (w: World) =>
    w.emu.store
      .collection<Record<string, unknown>>("rules")
      .list(w.account.domainId)
      .filter((r) => r.name === "dup");
  const ruleInputs = (value: string) => ({
    name: "dup",
    type: "Gate",
    layoutContent: "l",
    content: [{ groupName: "g", properties: [{ key: "k", name: "n", type: "judge", operator: ">=", valueType: "float", value }] }],
  });
  const cost: Record<string, number> = {};
  afterAll(() => console.log(`N1: API calls per Rule create (list before, create, read back): ${JSON.stringify(cost)}`));

  for (const reading of DIALECT_ROWS.N1.readings) {
    test(`N1=${reading}: two rules named "dup", the second's create applied but answered 500`, async () => {
      await withWorld({ N1: reading }, async (w) => {
        const mark = w.emu.log.mark();
        const a = await w.engine.up("Rule", "dup-a", ruleInputs("0.5"));
        cost[reading] = w.callsSince(mark);
        expect(a.op).toBe("create");
        // The second create is applied, then answered 500: the look-up after it must not take "dup-a" for it.
        w.emu.faults.inject({ method: "POST", path: "/v2/{domain_id}/rules/create", fault: { type: "commit-then-fail" } });
        const b = await w.engine.up("Rule", "dup-b", ruleInputs("0.7")).catch((e: Error) => e);
        w.emu.faults.clear();
        if (reading === "repeat") {
          // Listed before the create: only a rule that was not there counts as made by it.
          expect(b).not.toBeInstanceOf(Error);
          const ids = [a.state!.id, (b as { state?: { id: string } }).state!.id];
          expect(new Set(ids).size).toBe(2);
          expect(
            rules(w)
              .map((r) => r.id)
              .sort(),
          ).toEqual([...ids].sort());
        } else {
          // The service refuses the duplicate: the create fails as the service said, and nothing else is made or recorded.
          expect(b).toBeInstanceOf(Error);
          expect((b as Error).message).toMatch(/DEVCP\.00014004.*already exists/);
          expect(w.engine.state.has(w.engine.urn("Rule", "dup-b"))).toBe(false);
          expect(rules(w).map((r) => r.id)).toEqual([a.state!.id]);
        }
        await w.engine.destroy("Rule", "dup-a");
        if (reading === "repeat") await w.engine.destroy("Rule", "dup-b");
        expect(rules(w)).toEqual([]);
      });
    });
  }
});

describe("G3: Pipeline errors in a 200 or as 4xx", () => {
  for (const reading of DIALECT_ROWS.G3.readings) {
    test(`G3=${reading}: a rule deleted out of band reads as gone, its delete succeeds; a refused create is not retried nor sent`, async () => {
      await withWorld({ G3: reading }, async (w) => {
        const D = w.account.domainId;
        const inputs = {
          name: "g3",
          type: "Gate",
          layoutContent: "l",
          content: [{ groupName: "g", properties: [{ key: "k", name: "n", type: "judge", operator: ">=", valueType: "float", value: "0.5" }] }],
        };
        const made = await w.engine.up("Rule", "g3", inputs);
        const st = w.engine.state.get(w.engine.urn("Rule", "g3"))!;
        await w.outOfBand.send({ service: "pipeline", method: "DELETE", path: `/v2/${D}/rules/${made.state!.id}/delete`, operation: "Test.delete" });
        // Not found: DEVCP.00012002 in a 200, or the same body with 404.
        expect((await w.engine.refresh("Rule", "g3")).op).toBe("gone");
        await expect(w.host.delete(st.id, st.urn, st.outputs)).resolves.toBeUndefined();
        // A create the service refuses (an unknown tenant: no permission) fails once, with the service's code, whatever the status.
        const mark = w.emu.log.mark();
        const refused = await w.engine.up("Rule", "g3-other", { ...inputs, tenantId: "f".repeat(32) }).catch((e: Error) => e);
        expect(refused).toBeInstanceOf(Error);
        expect((refused as Error).message).toMatch(/DEVPIPE\.0011301/);
        expect(w.emu.log.since(mark)).toHaveLength(1); // the listing before the create, refused once: not retried, nothing sent after it
        expect(w.emu.store.collection("rules").list(D)).toEqual([]);
      });
    });
  }
});

describe("G5: scope headers", () => {
  test("G5=strict: the headers are sent; without huaweicloud:projectId a COC create under AK/SK is refused once, nothing made", async () => {
    await withWorld({ G5: "strict" }, async (w) => {
      const group = await w.engine.up("PipelineGroup", "g5", { projectId: w.account.codeartsProjects[0], name: "g5" });
      expect(group.op).toBe("create");
      const seen = w.emu.log.since(0).filter((e) => e.operation === "PipelineGroup.create");
      expect(seen).toHaveLength(1);
    });
    const w = await startWorld({
      dialect: { G5: "strict" },
      config: (emu) => {
        const { "huaweicloud:projectId": _p, ...rest } = emulatorStackConfig(emu);
        return { ...rest, "huaweicloud:maxRetries": "3" };
      },
    });
    try {
      const k = KINDS_UNDER_TEST.find((x) => x.type === "Script")!;
      const e = await w.engine.up("Script", "g5", k.inputs({}, 1)).catch((x: Error) => x);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toMatch(/APIG\.0301.*X-Project-Id/);
      expect(w.emu.store.collection("cocScripts").list(w.account.domainId)).toEqual([]);
      expect(w.emu.log.since(0).filter((x) => x.operation === "Script.create")).toHaveLength(1);
    } finally {
      await w.close();
    }
  });
});
