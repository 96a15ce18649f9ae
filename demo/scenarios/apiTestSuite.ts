import { API_TEST_SERVICE_ID, putRepositoryFile } from "../../emulator";
import type { Scenario } from "../lifecycle";

/** A Swagger 2.0 file of three operations: the suite gets three test cases. */
const PETSTORE = `swagger: "2.0"
info: { title: Petstore, version: 1.0.0 }
paths:
  /pets:
    get: { responses: { "200": { description: the pets } } }
    post: { responses: { "201": { description: added } } }
  /pets/{id}:
    delete: { responses: { "204": { description: removed } } }
`;

export const apiTestSuiteScenario: Scenario = async ({ emu, engine, account }, step) => {
  const T = "ApiTestSuite";
  const projectId = account.codeartsProjects[0];
  const repositoryId = "5f0c1b2a3d4e5f60718293a4b5c6d7e8";
  putRepositoryFile(emu.store, repositoryId, "master", "api/petstore.yaml", PETSTORE); // repositories have no API here
  const suite = (over: Record<string, unknown> = {}) => ({
    projectId,
    testsuiteName: "Demo petstore API",
    repositoryId,
    repositoryBranch: "master",
    filePath: "api/petstore.yaml",
    ...over,
  });
  let ids: string[] = [];
  await step("create from the repository's Swagger file", async () => {
    const r = await engine.up(T, "suite", suite());
    ids = r.state!.outputs.testcaseIds;
    return `${r.op} ${r.state!.id}: ${ids.length} test cases`;
  });
  await step("refresh (no read API: state kept)", async () => `${(await engine.refresh(T, "suite")).op}`);
  // The suite's testcaseIds go into a plan's testCases as they are (in a program: `ids: suite.testcaseIds`).
  const plan = { projectId, name: "Demo API regression", endDate: "2026-12-31", serviceIdList: [API_TEST_SERVICE_ID], testCases: [{ serviceId: API_TEST_SERVICE_ID, ids }] };
  await step("a test plan takes its test cases", async () => `${(await engine.up("TestPlan", "api-plan", plan)).op}: ${ids.length} cases added`);
  await step("rename = a new suite (old one stays)", async () => `${(await engine.up(T, "suite", suite({ testsuiteName: "Demo petstore API v2" }))).op}`);
  await step("a file that is not Swagger 2.0: the service's 400", async () => {
    putRepositoryFile(emu.store, repositoryId, "master", "api/openapi3.yaml", "openapi: 3.0.0\ninfo: { title: t, version: '1' }\npaths: {}\n");
    try {
      await engine.up(T, "openapi3", suite({ testsuiteName: "Demo OpenAPI 3", filePath: "api/openapi3.yaml" }));
      return "created (unexpected)";
    } catch (e) {
      return `refused: ${/CLOUDTEST\.\d+/.exec((e as Error).message)?.[0]}`;
    }
  });
  await step("destroy (CloudTest keeps the suites)", async () => {
    await engine.destroy("TestPlan", "api-plan");
    return `${(await engine.destroy(T, "suite")).op}, forgotten`;
  });
};
