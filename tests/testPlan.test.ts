import { expectRefusedAtCheck, startWorld, World, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";
import { planTestCases, seedTestCases } from "../emulator";

// CloudTest test plan (CloudTest API Reference §4.3) through the real host: create and add test cases; everything
// else is refused at check, replaced under a new name, or forgotten on destroy — each said visibly.
const T = "TestPlan";
let w: World;
let P: string;
const { calls, measured } = callCounter(() => w);
const cases = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(32 - prefix.length, "0")}`);
const declared = (over: Record<string, unknown> = {}) => ({
  projectId: P,
  name: "Release 1.0 regression",
  startDate: "2026-11-01",
  endDate: "2026-11-30",
  serviceIdList: [13, 24],
  ...over,
});
const listed = async (): Promise<any[]> =>
  (await w.outOfBand.send<any[]>({ service: "cloudtest", method: "GET", path: `/v2/projects/${P}/plans`, query: { offset: 0, limit: 200 }, operation: "Test.list" })).body;

beforeAll(async () => {
  w = await startWorld();
  P = w.account.codeartsProjects[0];
  seedTestCases(w.emu.store, P, 13, cases(60, "a"));
});
afterAll(async () => {
  console.log(`TestPlan API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("TestPlan lifecycle", () => {
  let id: string;
  test("create with 60 test cases: one plan, test cases added in batches of fewer than 50", async () => {
    const r = await measured("create", () => w.engine.up(T, "plan", declared({ testCases: [{ serviceId: 13, ids: cases(60, "a") }] })));
    expect(r.op).toBe("create");
    id = r.state!.id;
    expect(planTestCases(w.emu.store, P, id)).toHaveLength(60);
    expect(w.emu.log.entries.filter((e) => e.operation === "TestPlan.addTestCases")).toHaveLength(2);
    expect(r.state!.outputs).toMatchObject({ currentStage: "create", caseCount: 60 });
  });
  test("read by listing (201 answers, bare arrays); no-op makes no call", async () => {
    const r = await measured("read", () => w.engine.refresh(T, "plan"));
    expect(r.state!.inputs).toMatchObject({ name: "Release 1.0 regression", endDate: "2026-11-30", serviceIdList: [13, 24] });
    expect((await measured("no-op", () => w.engine.up(T, "plan", declared({ testCases: [{ serviceId: 13, ids: cases(60, "a") }] })))).op).toBe("same");
  });
  test("changing the dates under the same name is refused at check, explaining the options, with zero API calls", async () => {
    const mark = w.emu.log.mark();
    const r = await w.engine.up(T, "plan", declared({ endDate: "2026-12-31", testCases: [{ serviceId: 13, ids: cases(60, "a") }] }));
    expect(r.op).toBe("invalid");
    expect(r.failures![0]).toMatchObject({ property: "endDate", reason: expect.stringMatching(/no API to update a plan.*give the plan a new name.*old one stays in CloudTest/) });
    expect(w.emu.log.since(mark)).toHaveLength(0);
  });
  test("removing a test case is refused at check", async () => {
    const r = await w.engine.up(T, "plan", declared({ testCases: [{ serviceId: 13, ids: cases(59, "a") }] }));
    expect(r.failures).toEqual([{ property: "testCases", reason: expect.stringMatching(/cannot remove .*no API to remove a test case/) }]);
  });
  test("a new name replaces: a new plan, the old one stays in CloudTest, and destroy of the old one says so", async () => {
    const r = await measured("replace", () => w.engine.up(T, "plan", declared({ name: "Release 1.1 regression", testCases: [{ serviceId: 13, ids: cases(60, "a") }] })));
    expect(r.op).toBe("replace");
    expect(r.diff!.replaces).toEqual(["name"]);
    expect((await listed()).map((p) => p.name).sort()).toEqual(["Release 1.0 regression", "Release 1.1 regression"]);
    id = r.state!.id;
  });
  test("adding test cases updates in place through batch-add", async () => {
    seedTestCases(w.emu.store, P, 24, cases(3, "b"));
    const r = await measured("add test cases", () =>
      w.engine.up(
        T,
        "plan",
        declared({
          name: "Release 1.1 regression",
          testCases: [
            { serviceId: 13, ids: cases(60, "a") },
            { serviceId: 24, ids: cases(3, "b") },
          ],
        }),
      ),
    );
    expect(r.op).toBe("update");
    expect(planTestCases(w.emu.store, P, id)).toHaveLength(63);
  });
  test("a test case the service does not know fails the update with the service's per-case error", async () => {
    await expect(
      w.engine.up(
        T,
        "plan",
        declared({
          name: "Release 1.1 regression",
          testCases: [
            { serviceId: 13, ids: cases(60, "a") },
            { serviceId: 24, ids: [...cases(3, "b"), "f".repeat(32)] },
          ],
        }),
      ),
    ).rejects.toThrow(/CLOUDTEST\.00017057/);
  });
  test("destroy leaves the plan in CloudTest and says so in the log", async () => {
    await measured("delete", () => w.engine.destroy(T, "plan"));
    expect((await listed()).some((p) => p.plan_id === id)).toBe(true);
  });
  test("a plan that exists under the same name: create fails clearly, adoption works", async () => {
    await expect(w.engine.up(T, "again", declared({ name: "Release 1.1 regression" }))).rejects.toThrow(/already exists.*adoptId/);
    const r = await measured("adopt", () => w.engine.up(T, "adopted", declared({ name: "Release 1.1 regression", adoptId: id })));
    expect(r.state!.id).toBe(id);
    expect(await w.engine.refresh(T, "adopted")).toMatchObject({ op: "refresh" });
  });
  test("get by <projectId>/<planId>", async () => {
    expect((await w.engine.get(T, "ro", `${P}/${id}`)).state!.outputs.name).toBe("Release 1.1 regression");
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  // Built before beforeAll runs: a fixed project id keeps every other field valid (zod runs cross-field rules only then).
  const declared = (over: Record<string, unknown> = {}) => ({
    projectId: "0123456789abcdef0123456789abcdef",
    name: "Plan",
    startDate: "2026-11-01",
    endDate: "2026-11-30",
    serviceIdList: [13],
    ...over,
  });
  const table: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing name", declared({ name: undefined }), "name", /is required/],
    ["name over 128", declared({ name: "n".repeat(129) }), "name", /at most 128/],
    ["name with #", declared({ name: "Plan #1" }), "name", /must not contain # % & \( \)/],
    ["name with parentheses", declared({ name: "Plan (old)" }), "name", /must not contain/],
    ["missing endDate", declared({ endDate: undefined }), "endDate", /is required/],
    ["endDate as 3/4/2020", declared({ endDate: "3/4/2020" }), "endDate", /YYYY-MM-DD/],
    ["startDate after endDate", declared({ startDate: "2026-12-01" }), "startDate", /must not be after endDate/],
    ["ten service types", declared({ serviceIdList: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }), "serviceIdList", /fewer than 10/],
    ["service id not an integer", declared({ serviceIdList: [1.5] }), "serviceIdList[0]", /integer/],
    ["assignedId not 32 characters", declared({ assignedId: "me" }), "assignedId", /32-character user ID/],
    ["test case id not 32 characters", declared({ testCases: [{ serviceId: 13, ids: ["abc"] }] }), "testCases[0].ids[0]", /32-character test case ID/],
    ["projectId of the wrong form", declared({ projectId: "p" }), "projectId", /32 lower-case hexadecimal/],
    ["misspelt property", declared({ service_id_list: [1] }), "service_id_list", /is not a property of TestPlan/],
  ];
  test("cases per kind", () => console.log(`TestPlan bad-input cases: ${table.length}`));
  test.each(table)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("TestPlan", calls)).toEqual([]);
});
