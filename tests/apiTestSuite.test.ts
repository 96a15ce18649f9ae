import { expectRefusedAtCheck, startWorld, World, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";
import { API_TEST_SERVICE_ID, planTestCases, projectSuites, putRepositoryFile } from "../emulator";
import { PETSTORE } from "./harness/kinds";
import { renderMatrix, rowMatrix } from "./support/dialectMatrix";

// CloudTest API test suite (CloudTest API Reference §4.1.1) through the real host: generated from a repository's
// Swagger 2.0 file, one case per operation. No read, update or delete exist: changes replace, refresh keeps the
// state, destroy forgets, and an ambiguous create is not repeated (nothing can find what it made).
const T = "ApiTestSuite";
const ROUTE = { method: "POST", path: "/v1/projects/{project_id}/repository/testsuites" };
const REPO = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
let w: World;
let P: string;
const { calls, measured } = callCounter(() => w);
const declared = (over: Record<string, unknown> = {}) => ({
  projectId: P,
  testsuiteName: "petstore API",
  repositoryId: REPO,
  repositoryBranch: "master",
  filePath: "api/petstore.yaml",
  ...over,
});
/** A Swagger 2.0 JSON document with these operations ("get /a"). */
const swaggerJson = (...ops: string[]) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    const [method, path] = op.split(" ");
    (paths[path] ??= {})[method] = { responses: { "200": { description: "ok" } } };
  }
  return JSON.stringify({ swagger: "2.0", info: { title: "t", version: "1" }, paths });
};

beforeAll(async () => {
  w = await startWorld();
  P = w.account.codeartsProjects[0];
  putRepositoryFile(w.emu.store, REPO, "master", "api/petstore.yaml", PETSTORE);
  putRepositoryFile(w.emu.store, REPO, "master", "api/orders.json", swaggerJson("get /orders", "post /orders", "delete /orders/{id}"));
  putRepositoryFile(w.emu.store, REPO, "master", "api/openapi3.yaml", "openapi: 3.0.0\ninfo: { title: t, version: '1' }\npaths: {}\n");
  putRepositoryFile(w.emu.store, REPO, "master", "api/empty.json", swaggerJson());
  putRepositoryFile(w.emu.store, REPO, "master", "api/broken.yaml", "swagger: '2.0'\npaths: [unclosed\n");
});
afterAll(async () => {
  console.log(`ApiTestSuite API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("ApiTestSuite lifecycle", () => {
  let id: string;
  let caseIds: string[];
  test("create: one call, one generated test case per operation of the file", async () => {
    const r = await measured("create", () => w.engine.up(T, "suite", declared()));
    expect(r.op).toBe("create");
    id = r.state!.id;
    caseIds = r.state!.outputs.testcaseIds;
    const held = projectSuites(w.emu.store, P).find((s) => s.testsuite_id === id)!;
    expect(held.operations).toEqual(["GET /pets", "POST /pets"]);
    expect(r.state!.outputs).toMatchObject({ testsuiteId: id, testcaseIds: held.testcase_ids });
    expect(caseIds).toHaveLength(2);
  });
  test("read keeps the state with no call (no read API); a no-op makes no call", async () => {
    const before = w.engine.state.get(w.engine.urn(T, "suite"))!.outputs;
    const r = await measured("read", () => w.engine.refresh(T, "suite"));
    expect(r.state!.outputs).toEqual(before);
    expect((await measured("no-op", () => w.engine.up(T, "suite", declared()))).op).toBe("same");
  });
  test("its testcaseIds feed a TestPlan's testCases as they are", async () => {
    const plan = {
      projectId: P,
      name: "API regression",
      endDate: "2026-12-31",
      serviceIdList: [API_TEST_SERVICE_ID],
      testCases: [{ serviceId: API_TEST_SERVICE_ID, ids: caseIds }],
    };
    const r = await w.engine.up("TestPlan", "plan", plan);
    expect(r.op).toBe("create");
    expect(planTestCases(w.emu.store, P, r.state!.id).sort()).toEqual([...caseIds].sort());
  });
  test("a new file replaces: a new suite is generated, and the old one stays in CloudTest", async () => {
    const r = await measured("replace", () => w.engine.up(T, "suite", declared({ filePath: "api/orders.json" })));
    expect(r.op).toBe("replace");
    expect(r.diff!.replaces).toEqual(["filePath"]);
    expect(r.state!.outputs.testcaseIds).toHaveLength(3);
    expect(projectSuites(w.emu.store, P).map((s) => s.testsuite_id)).toEqual(expect.arrayContaining([id, r.state!.id]));
    id = r.state!.id;
  });
  test("destroy leaves the suite in CloudTest and says so in the log", async () => {
    const logs = w.host.logs.length;
    await measured("delete", () => w.engine.destroy(T, "suite"));
    expect(projectSuites(w.emu.store, P).some((s) => s.testsuite_id === id)).toBe(true);
    // The host's log reaches us on its stderr, which may trail the delete's answer: wait for it (bounded).
    const said = () => /no API to delete a test suite; it stays in CloudTest/.test(w.host.logs.slice(logs).join("\n"));
    for (let i = 0; i < 50 && !said(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(w.host.logs.slice(logs).join("\n")).toMatch(/no API to delete a test suite; it stays in CloudTest/);
  });
});

describe("the documented 400s, with error_detail, name what is wrong; nothing is recorded", () => {
  // Overrides of the declared inputs: the project id is known only once the world runs.
  test.each<[string, Record<string, unknown>, RegExp]>([
    ["a file missing from the branch", { filePath: "api/missing.yaml" }, /CLOUDTEST\.43400207.*file_path: The system cannot find the specified path/],
    ["a branch without the file", { repositoryBranch: "develop" }, /CLOUDTEST\.43400207/],
    ["an OpenAPI 3 file (not Swagger 2.0)", { filePath: "api/openapi3.yaml" }, /CLOUDTEST\.43400225.*file_path: The import script template file does not comply with Swagger/],
    ["a file that does not parse", { filePath: "api/broken.yaml" }, /CLOUDTEST\.43400225/],
    ["a Swagger 2.0 file with no operation", { filePath: "api/empty.json" }, /CLOUDTEST\.43400323/],
  ])("%s", async (_label, over, message) => {
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "refused", declared(over))).rejects.toThrow(message);
    expect(w.emu.log.since(mark).filter((e) => e.operation === "ApiTestSuite.create")).toHaveLength(1);
    expect(w.engine.state.has(w.engine.urn(T, "refused"))).toBe(false);
  });
});

describe("an ambiguous create is not repeated: no API can find what it made", () => {
  test("commit then 5xx: one request, an error saying a suite may exist; the next up generates one", async () => {
    const before = projectSuites(w.emu.store, P).length;
    const mark = w.emu.log.mark();
    w.emu.faults.inject({ ...ROUTE, fault: { type: "commit-then-fail" }, times: 1 });
    await expect(w.engine.up(T, "ambiguous", declared({ testsuiteName: "ambiguous suite" }))).rejects.toThrow(
      /may have generated the suite "ambiguous suite" anyway.*not repeated.*remove any extra by hand/s,
    );
    w.emu.faults.clear();
    expect(w.emu.log.since(mark).filter((e) => e.operation === "ApiTestSuite.create")).toHaveLength(1);
    expect(w.engine.state.has(w.engine.urn(T, "ambiguous"))).toBe(false);
    expect(projectSuites(w.emu.store, P)).toHaveLength(before + 1); // the one the error warned of
    expect((await w.engine.up(T, "ambiguous", declared({ testsuiteName: "ambiguous suite" }))).op).toBe("create");
    expect(projectSuites(w.emu.store, P)).toHaveLength(before + 2);
  });
});

test("T1, T2 matrix: the common lifecycle under every reading (create, read, no-op, delete)", async () => {
  const cells = await rowMatrix(["T1", "T2"]);
  console.log(`API test suite dialect matrix\n${renderMatrix(cells)}`);
  expect(cells.map((c) => `${c.row}=${c.reading}`)).toEqual(["T1=table", "T1=example", "T2=strict", "T2=loose"]);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
}, 120_000);

describe("T1, T2: every reading", () => {
  afterEach(() => w.emu.dialect.reset());
  test("T1 example: the case ids answered as testsuite_ids are the suite's test cases", async () => {
    w.emu.dialect.set({ T1: "example" });
    const r = await w.engine.up(T, "t1-example", declared({ testsuiteName: "T1 example" }));
    const held = projectSuites(w.emu.store, P).find((s) => s.testsuite_id === r.state!.id)!;
    expect(r.state!.outputs.testcaseIds).toEqual(held.testcase_ids);
    expect(held.testcase_ids).toHaveLength(2);
  });
  test.each(["strict", "loose"])("T2 %s: the example's 30-character repository id is refused at check, with no call", async (reading) => {
    w.emu.dialect.set({ T2: reading });
    await expectRefusedAtCheck(w, T, declared({ repositoryId: REPO.slice(0, 30) }), "repositoryId", /32-character repository ID/);
  });
  test("T2 strict: the service itself refuses 30 characters with CLOUDTEST.43400334", async () => {
    const res = await w.outOfBand
      .send({
        service: "cloudtest",
        method: "POST",
        path: `/v1/projects/${P}/repository/testsuites`,
        body: { testsuite_name: "T2 strict", repository_id: REPO.slice(0, 30), repository_branch: "master", file_path: "api/petstore.yaml" },
        operation: "Test.create",
      })
      .catch((e) => e);
    expect(res.errorCode).toBe("CLOUDTEST.43400334");
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const bad = (over: Record<string, unknown>) => ({
    projectId: "0123456789abcdef0123456789abcdef",
    testsuiteName: "suite",
    repositoryId: REPO,
    repositoryBranch: "master",
    filePath: "api/petstore.yaml",
    ...over,
  });
  const table: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["name of 2 characters", bad({ testsuiteName: "ab" }), "testsuiteName", /at least 3 .*CLOUDTEST\.43400248/],
    ["name over 128", bad({ testsuiteName: "n".repeat(129) }), "testsuiteName", /at most 128/],
    ["repository id of 31 characters", bad({ repositoryId: REPO.slice(1) }), "repositoryId", /32-character repository ID/],
    ["branch of 2 characters", bad({ repositoryBranch: "v1" }), "repositoryBranch", /at least 3 .*CLOUDTEST\.43400336/],
    ["path of 5 characters", bad({ filePath: "a.yml" }), "filePath", /at least 6 .*CLOUDTEST\.43400335/],
    ["a .yml file", bad({ filePath: "api/petstore.yml" }), "filePath", /\.yaml or \.json file \(CLOUDTEST\.43400102\)/],
    ["missing filePath", bad({ filePath: undefined }), "filePath", /is required/],
    ["misspelt property", bad({ file_path: "api/petstore.yaml" }), "file_path", /is not a property of ApiTestSuite/],
  ];
  test.each(table)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("ApiTestSuite", calls)).toEqual([]);
});
